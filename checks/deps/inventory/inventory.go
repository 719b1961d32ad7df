// Package inventory lists the packages a repository's manifests and
// lockfiles declare, with the file and line of each declaration. It runs
// osv-scalibr's extractors on content read from a checks.Tree, never the
// disk, and never lets them reach the network.
package inventory

import (
	"bytes"
	"context"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/google/osv-scalibr/extractor"
	"github.com/google/osv-scalibr/extractor/filesystem"
	"github.com/google/osv-scalibr/extractor/filesystem/language/python/requirements"

	"github.com/wardenbot/warden/checks"
)

// Package is one declared package version.
type Package struct {
	Ecosystem string `json:"ecosystem"` // OSV ecosystem: npm, PyPI, Go, crates.io, Maven…
	Name      string `json:"name"`
	Version   string `json:"version"`
	Path      string `json:"path"` // file that declares it
	Line      int    `json:"line"` // 1-based line of the declaration
	// License is the SPDX expression the lockfile records, if it does.
	License string `json:"license,omitempty"`
}

// Key identifies the package version apart from where it is declared.
func (p Package) Key() string { return p.Ecosystem + "/" + p.Name + "@" + p.Version }

// Unpinned is a requirement that names a range, not one version
// (`flask>=2.0`): its lower bound is not what gets installed, so warden
// does not look it up.
type Unpinned struct {
	Name string
	Spec string
	Line int
}

// File is what one manifest declares.
type File struct {
	Path     string
	Packages []Package
	Unpinned []Unpinned
}

// Extractor runs the supported extractors. It is safe for concurrent use.
type Extractor struct {
	plugins []plugin
}

// New builds the extractor set.
func New() (*Extractor, error) {
	ps, err := plugins()
	if err != nil {
		return nil, err
	}
	return &Extractor{plugins: ps}, nil
}

// Supports reports whether some extractor reads this path.
func (e *Extractor) Supports(p string) bool {
	return e.pluginFor(p, 0) != nil
}

func (e *Extractor) pluginFor(p string, size int64) *plugin {
	api := fileAPI{path: p, info: fileInfo{name: path.Base(p), size: size}}
	for i := range e.plugins {
		if e.plugins[i].ext.FileRequired(api) {
			return &e.plugins[i]
		}
	}
	return nil
}

// Extract lists the packages content (the file at p in tree) declares.
// tree is only read when the format refers to sibling files (a Maven parent
// POM); maxSize bounds those reads.
func (e *Extractor) Extract(ctx context.Context, tree checks.Tree, p string, content []byte, maxSize int64) (*File, error) {
	pl := e.pluginFor(p, int64(len(content)))
	if pl == nil {
		return nil, fmt.Errorf("%s: no extractor for this file", p)
	}
	fsys := &treeFS{ctx: ctx, tree: tree, root: p, content: content, siblings: pl.siblings, maxSize: maxSize}
	found, err := pl.extract(ctx, fsys, p, content)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	out := &File{Path: p}
	var lines *lineIndex // built for the first package without a line
	for _, fp := range found {
		sp := fp.pkg
		if desc := sp.Location.PathOrEmpty(); desc != "" && desc != p {
			continue // declared in another file (an included requirements file)
		}
		eco := sp.Ecosystem().String()
		if eco == "" || sp.Name == "" {
			continue
		}
		line := fp.line
		if spec, unpinned := unpinnedSpec(sp); unpinned {
			out.Unpinned = append(out.Unpinned, Unpinned{Name: sp.Name, Spec: spec, Line: line})
			continue
		}
		if sp.Version == "" {
			continue // a path or git dependency: nothing to look up
		}
		if line <= 0 {
			if lines == nil {
				lines = newLineIndex(content)
			}
			line = lines.find(sp.Name, sp.Version)
		}
		out.Packages = append(out.Packages, Package{Ecosystem: eco, Name: sp.Name, Version: sp.Version, Path: p, Line: line})
	}
	if pl.licenses != nil {
		pl.licenses(content, out.Packages)
	}
	sort.Slice(out.Packages, func(i, j int) bool {
		a, b := out.Packages[i], out.Packages[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Key() < b.Key()
	})
	out.Packages = dedupe(out.Packages, pl.split != nil && pl.split.collapse)
	return out, nil
}

// foundPackage is a package scalibr extracted, with its line in the file
// (0 when unknown).
type foundPackage struct {
	pkg  *extractor.Package
	line int
}

// extract runs the plugin's extractor on content: piece by piece when the
// plugin splits its format (split.go), else on the whole file. When the file
// cannot be split, or a piece is refused, the whole file goes to scalibr so
// that its answer (or error) is exactly what it would have been.
func (pl *plugin) extract(ctx context.Context, fsys *treeFS, p string, content []byte) ([]foundPackage, error) {
	if pl.split != nil {
		if found, ok := pl.extractUnits(ctx, fsys, p, content); ok {
			return found, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	inv, err := pl.ext.Extract(ctx, scanInput(fsys, p, content))
	if err != nil {
		return nil, err
	}
	found := make([]foundPackage, 0, len(inv.Packages))
	for _, sp := range inv.Packages {
		found = append(found, foundPackage{pkg: sp, line: lineOf(sp)})
	}
	return found, nil
}

func (pl *plugin) extractUnits(ctx context.Context, fsys *treeFS, p string, content []byte) ([]foundPackage, bool) {
	units, err := pl.split.split(content)
	if err != nil {
		return nil, false
	}
	var found []foundPackage
	for _, u := range units {
		if ctx.Err() != nil {
			return nil, false
		}
		inv, err := pl.ext.Extract(ctx, scanInput(fsys, p, u.doc))
		if err != nil {
			return nil, false
		}
		for _, sp := range inv.Packages {
			found = append(found, foundPackage{pkg: sp, line: u.lineFor(lineOf(sp))})
		}
	}
	return found, true
}

func scanInput(fsys *treeFS, p string, content []byte) *filesystem.ScanInput {
	return &filesystem.ScanInput{
		FS:     fsys,
		Path:   p,
		Root:   "",
		Info:   fileInfo{name: path.Base(p), size: int64(len(content))},
		Reader: bytes.NewReader(content),
	}
}

func lineOf(p *extractor.Package) int {
	if d := p.Location.Descriptor; d != nil && d.File != nil {
		return d.File.LineNumber
	}
	return 0
}

// unpinnedSpec recognises requirements.txt lines that allow a range of
// versions: only `==` (or `===`) with a version free of wildcards pins one.
func unpinnedSpec(p *extractor.Package) (string, bool) {
	m, ok := p.Metadata.(*requirements.Metadata)
	if !ok {
		return "", false
	}
	spec := strings.TrimSpace(m.Requirement)
	if spec == "" {
		spec = p.Name
	}
	switch {
	case m.VersionComparator != "==" && m.VersionComparator != "===":
		return spec, true
	case strings.Contains(p.Version, "*"), strings.Contains(spec, ","):
		return spec, true
	}
	return "", false
}

// dedupe drops a package declared twice on one line (nested npm copies of
// one version) or, with collapse, declared twice anywhere: ps is in line
// order, so the first declaration stays.
func dedupe(ps []Package, collapse bool) []Package {
	seen := map[string]bool{}
	out := ps[:0]
	for _, p := range ps {
		k := fmt.Sprintf("%s\x00%d", p.Key(), p.Line)
		if collapse {
			k = p.Key()
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, p)
	}
	return out
}
