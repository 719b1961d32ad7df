package deps

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/deps/inventory"
	"github.com/wardenbot/warden/checks/deps/osv"
	"github.com/wardenbot/warden/checks/sniff"
)

// declared is one package declaration in the head, with whether the change
// under review introduced it.
type declared struct {
	inventory.Package
	introduced bool
	// preexisting: the base already declared this exact package version.
	preexisting bool
	content     []string // the declaring file's lines, for fixes
}

// Run implements checks.Check.
func (c *Check) Run(ctx context.Context, t *checks.Target) ([]checks.Finding, error) {
	c.init(ctx)
	if c.initErr != nil {
		return nil, c.initErr
	}
	pkgs := c.collect(ctx, t)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var findings []checks.Finding
	vf, err := c.vulnFindings(ctx, t, pkgs)
	if err != nil {
		return nil, err
	}
	findings = append(findings, vf...)
	findings = append(findings, c.licenseFindings(ctx, t, pkgs)...)
	return findings, nil
}

// collect extracts every manifest among t.Paths and, in a diff scan, marks
// the packages whose version the base of the same file did not declare.
func (c *Check) collect(ctx context.Context, t *checks.Target) []declared {
	var out []declared
	for _, p := range t.Paths {
		if ctx.Err() != nil {
			return nil
		}
		if !c.inv.Supports(p) {
			continue
		}
		head, lines, ok := c.extract(ctx, t, t.Head, p, true)
		if !ok {
			continue
		}
		c.noteUnpinned(t, head)
		var before map[string]bool
		if t.IsDiff() {
			before = c.baseKeys(ctx, t, p)
		}
		for _, pkg := range head.Packages {
			out = append(out, declared{Package: pkg, introduced: before != nil && !before[pkg.Key()], preexisting: before != nil && before[pkg.Key()], content: lines})
		}
	}
	return out
}

// extract reads and parses one manifest. Problems in the head become notes;
// in the base they are silent (the base is not under review).
func (c *Check) extract(ctx context.Context, t *checks.Target, tree checks.Tree, p string, noteErrors bool) (*inventory.File, []string, bool) {
	content, err := tree.ReadFile(ctx, p)
	if err != nil {
		if noteErrors && !errors.Is(err, checks.ErrNotFound) {
			t.AddNote(checks.Note{Check: c.Name(), Path: p, Message: fmt.Sprintf("not read: %v", err), Unscanned: true})
		}
		return nil, nil, false
	}
	content, problem := manifestText(p, content, t.MaxFileSize)
	if problem != "" {
		if noteErrors {
			t.AddNote(checks.Note{Check: c.Name(), Path: p, Message: "dependencies not checked: " + problem, Unscanned: true})
		}
		return nil, nil, false
	}
	f, err := c.inv.Extract(ctx, tree, p, content, t.MaxFileSize)
	if err != nil {
		if noteErrors {
			t.AddNote(checks.Note{Check: c.Name(), Path: p, Message: fmt.Sprintf("could not parse %s, its dependencies were not checked: %v", p, err), Unscanned: true})
		}
		return nil, nil, false
	}
	return f, strings.Split(string(content), "\n"), true
}

// baseKeys is the set of package versions the base declared in the file
// (under its old name when the change renamed it). nil only when the path is
// new, so every package in it is introduced.
func (c *Check) baseKeys(ctx context.Context, t *checks.Target, p string) map[string]bool {
	keys := map[string]bool{}
	if t.Base == nil {
		return keys
	}
	basePath := p
	if fc := t.Diff.File(p); fc != nil && fc.OldPath != "" {
		basePath = fc.OldPath
	}
	f, _, ok := c.extract(ctx, t, t.Base, basePath, false)
	if !ok {
		return keys
	}
	for _, pkg := range f.Packages {
		keys[pkg.Key()] = true
	}
	return keys
}

func (c *Check) noteUnpinned(t *checks.Target, f *inventory.File) {
	if len(f.Unpinned) == 0 {
		return
	}
	var specs []string
	for _, u := range f.Unpinned {
		specs = append(specs, u.Spec)
	}
	more := ""
	if len(specs) > 5 {
		more = fmt.Sprintf(" and %d more", len(specs)-5)
		specs = specs[:5]
	}
	t.AddNote(checks.Note{Check: c.Name(), Path: f.Path, Message: fmt.Sprintf(
		"%d requirement(s) not pinned to one version (%s%s): their vulnerabilities were not checked; pin them (pip-compile) or commit a lockfile",
		len(f.Unpinned), strings.Join(specs, ", "), more)})
}

// vulnFindings looks every package up and reports the affected ones.
func (c *Check) vulnFindings(ctx context.Context, t *checks.Target, pkgs []declared) ([]checks.Finding, error) {
	if len(pkgs) == 0 {
		return nil, nil
	}
	switch {
	case c.dbErr != nil:
		t.AddNote(checks.Note{Check: c.Name(), Message: fmt.Sprintf("dependency vulnerabilities not checked: %v", c.dbErr), Unscanned: true})
		return nil, nil
	case c.source == nil:
		t.AddNote(checks.Note{Check: c.Name(), Message: "dependency vulnerabilities not checked: offline and no local OSV database given (--osv-db)"})
		return nil, nil
	}
	keys := make([]osv.PackageKey, 0, len(pkgs))
	for _, p := range pkgs {
		keys = append(keys, osv.PackageKey{Ecosystem: p.Ecosystem, Name: p.Name, Version: p.Version})
	}
	hits, err := c.source.Query(ctx, keys)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		t.AddNote(checks.Note{Check: c.Name(), Message: fmt.Sprintf("dependency vulnerabilities not checked: %s unavailable: %v", c.source.Describe(), err), Unscanned: true})
		return nil, nil
	}
	var out []checks.Finding
	var mods *goModules // parsed on the first Go finding
	for _, p := range pkgs {
		k := osv.PackageKey{Ecosystem: p.Ecosystem, Name: p.Name, Version: p.Version}
		f, ok := vulnFinding(p, hits[k])
		if !ok {
			continue
		}
		if p.Ecosystem == "Go" {
			if mods == nil {
				mods = newGoModules(ctx, t)
			}
			if note := reachability(ctx, mods, p, hits[k]); note != "" {
				f.Message += " " + note
			}
		}
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// manifestText is a manifest's content as UTF-8 text, or why it cannot be
// read as one. Package managers read UTF-16 manifests with a byte-order
// mark, so warden decodes them rather than skip what they install.
func manifestText(p string, content []byte, limit int64) ([]byte, string) {
	if limit > 0 && int64(len(content)) > limit {
		return nil, fmt.Sprintf("the file is over the %d MiB size limit", limit>>20)
	}
	switch kind := sniff.Classify(p, content); kind {
	case sniff.Binary:
		return nil, "the file is not text"
	case sniff.UTF16LE, sniff.UTF16BE:
		dec, err := io.ReadAll(sniff.DecodeUTF16(bytes.NewReader(content), kind))
		if err != nil {
			return nil, "the file is not valid UTF-16"
		}
		return dec, ""
	}
	return content, ""
}
