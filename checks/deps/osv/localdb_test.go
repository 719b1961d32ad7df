package osv

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

func zipOf(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for name, data := range files {
		f, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func fixtureFiles(t testing.TB) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir("../testdata/osv")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join("../testdata/osv", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = data
	}
	return files
}

// The public export is one all.zip per ecosystem; osv-scanner's offline
// cache nests them as <dir>/<ecosystem>/all.zip. Both must load.
func TestLoadLocalDBLayouts(t *testing.T) {
	files := fixtureFiles(t)
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "osv-scanner", "npm"), 0o755); err != nil {
		t.Fatal(err)
	}
	zipped := zipOf(t, files)
	zipPath := filepath.Join(dir, "osv-scanner", "npm", "all.zip")
	if err := os.WriteFile(zipPath, zipped, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, path := range map[string]string{"zip file": zipPath, "nested dir": dir, "json dir": "../testdata/osv"} {
		t.Run(name, func(t *testing.T) {
			db, err := LoadLocalDB(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			if rec, skipped := db.Stats(); rec != len(files) || skipped != 0 {
				t.Errorf("records %d skipped %d, want %d and 0", rec, skipped, len(files))
			}
			k := PackageKey{Ecosystem: "Go", Name: "github.com/golang-jwt/jwt/v4", Version: "4.5.0"}
			got, err := db.Query(context.Background(), []PackageKey{k})
			if err != nil {
				t.Fatal(err)
			}
			if len(got[k]) != 2 {
				t.Errorf("jwt/v4 4.5.0: %d records, want GO- and GHSA-", len(got[k]))
			}
			withdrawn := PackageKey{Ecosystem: "PyPI", Name: "py", Version: "1.0.0"}
			if got, _ := db.Query(context.Background(), []PackageKey{withdrawn}); len(got[withdrawn]) != 0 {
				t.Error("a withdrawn record matched")
			}
		})
	}
}

func TestLoadLocalDBSkipsBadRecords(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{"a.json": `{"id": "X-1", "affected": [{"package": {"ecosystem": "npm", "name": "a"}, "versions": ["1.0.0"]}]}`, "bad.json": `{"id": `, "noid.json": `{}`, "notes.txt": `ignored`} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db, err := LoadLocalDB(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if rec, skipped := db.Stats(); rec != 1 || skipped != 2 {
		t.Errorf("records %d skipped %d, want 1 and 2", rec, skipped)
	}
	if _, err := LoadLocalDB(context.Background(), filepath.Join(dir, "missing.zip")); err == nil {
		t.Error("a missing export must be an error")
	}
}

func FuzzLoadZip(f *testing.F) {
	f.Add(zipOf(f, fixtureFiles(f)))
	f.Add(zipOf(f, map[string][]byte{"x.json": []byte(`{"id":"A","affected":[{"package":{"ecosystem":"npm","name":"a"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}`)}))
	f.Add([]byte("PK\x03\x04garbage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		db := &LocalDB{byPkg: map[string][]*Vuln{}, byID: map[string]*Vuln{}}
		if err := db.loadZip(context.Background(), bytes.NewReader(data), int64(len(data)), "fuzz.zip"); err != nil {
			return
		}
		for key, vs := range db.byPkg {
			for _, v := range vs {
				if v.IsWithdrawn() {
					t.Fatalf("withdrawn record %s indexed under %q", v.ID, key)
				}
			}
		}
	})
}
