package osv

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Bounds on a local export: an operator supplies it, but a truncated or
// hostile archive must not exhaust memory.
const (
	maxRecordBytes = 16 << 20
	maxRecords     = 5_000_000
)

// LocalDB is an OSV export held in memory and indexed by package: the
// public per-ecosystem all.zip, or directories of OSV JSON files (and
// all.zip files, e.g. osv-scanner's offline cache layout).
type LocalDB struct {
	path    string
	byPkg   map[string][]*Vuln // ecosystem + "\x00" + normalised name
	byID    map[string]*Vuln   // every record, withdrawn ones included
	records int
	skipped int
}

var _ Source = (*LocalDB)(nil)

// LoadLocalDB reads path: a .zip file or a directory walked for *.json and
// *.zip. Records that do not parse are skipped and counted.
func LoadLocalDB(ctx context.Context, path string) (*LocalDB, error) {
	db := &LocalDB{path: path, byPkg: map[string][]*Vuln{}, byID: map[string]*Vuln{}}
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("osv database: %w", err)
	}
	if !info.IsDir() {
		if err := db.loadZipFile(ctx, path); err != nil {
			return nil, err
		}
		return db, nil
	}
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if d.Type()&fs.ModeSymlink != 0 || d.IsDir() {
			return nil
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".zip":
			return db.loadZipFile(ctx, p)
		case ".json":
			data, err := readBounded(p)
			if err != nil {
				db.skipped++
				return nil
			}
			return db.add(data)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("osv database %s: %w", path, err)
	}
	return db, nil
}

func readBounded(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAllBounded(f)
}

func readAllBounded(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxRecordBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxRecordBytes {
		return nil, fmt.Errorf("record over %d bytes", maxRecordBytes)
	}
	return data, nil
}

func (db *LocalDB) loadZipFile(ctx context.Context, p string) error {
	f, err := os.Open(p)
	if err != nil {
		return fmt.Errorf("osv database: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("osv database: %w", err)
	}
	return db.loadZip(ctx, f, info.Size(), p)
}

// loadZip indexes every *.json entry of an archive.
func (db *LocalDB) loadZip(ctx context.Context, r io.ReaderAt, size int64, name string) error {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return fmt.Errorf("osv database %s: %w", name, err)
	}
	for _, zf := range zr.File {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if zf.FileInfo().IsDir() || !strings.HasSuffix(strings.ToLower(zf.Name), ".json") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			db.skipped++
			continue
		}
		data, err := readAllBounded(rc)
		rc.Close()
		if err != nil {
			db.skipped++
			continue
		}
		if err := db.add(data); err != nil {
			return fmt.Errorf("osv database %s: %w", name, err)
		}
	}
	return nil
}

// add indexes one record under every package it names.
func (db *LocalDB) add(data []byte) error {
	var v Vuln
	if err := json.Unmarshal(bytes.TrimSpace(data), &v); err != nil || v.ID == "" {
		db.skipped++
		return nil
	}
	if db.records >= maxRecords {
		return fmt.Errorf("more than %d records", maxRecords)
	}
	db.records++
	db.byID[v.ID] = &v
	if v.IsWithdrawn() {
		return nil
	}
	seen := map[string]bool{}
	for _, a := range v.Affected {
		key := indexKey(a.Package.Ecosystem, a.Package.Name)
		if a.Package.Name == "" || seen[key] {
			continue
		}
		seen[key] = true
		db.byPkg[key] = append(db.byPkg[key], &v)
	}
	return nil
}

func indexKey(ecosystem, name string) string {
	return baseEcosystem(ecosystem) + "\x00" + NormalizeName(ecosystem, name)
}

// Stats reports how many records were read and how many were unreadable.
func (db *LocalDB) Stats() (records, skipped int) { return db.records, db.skipped }

// Vuln returns a record by id, withdrawn or not.
func (db *LocalDB) Vuln(id string) (*Vuln, bool) {
	v, ok := db.byID[id]
	return v, ok
}

// Describe names the export for notes.
func (db *LocalDB) Describe() string { return "local OSV export " + filepath.Base(db.path) }

// Query implements Source by matching the versions locally.
func (db *LocalDB) Query(ctx context.Context, keys []PackageKey) (map[PackageKey][]*Vuln, error) {
	out := map[PackageKey][]*Vuln{}
	for _, k := range keys {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if _, done := out[k]; done || k.Version == "" {
			continue
		}
		var hits []*Vuln
		for _, v := range db.byPkg[indexKey(k.Ecosystem, k.Name)] {
			if v.Affects(k) {
				hits = append(hits, v)
			}
		}
		out[k] = hits
	}
	return out, nil
}
