package iac

import (
	"context"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/iac/terraform"
	"github.com/wardenbot/warden/checks/internal/limit"
)

// maxRunEvalCost bounds the Terraform evaluation of one run, across its
// modules: a change of a thousand directories each spending a module's
// budget would otherwise hold the scan for as many times as long.
const maxRunEvalCost = 4 * terraform.MaxEvalCost

// maxModuleFiles bounds the sibling .tf files read for one directory, in
// addition to the changed ones, which are always read.
const maxModuleFiles = 500

// scanTerraform evaluates each directory that holds a scanned .tf file as a
// module, reading its sibling .tf files too so resources that configure a
// bucket from another file count, but reporting only in scanned files.
func (c *Check) scanTerraform(ctx context.Context, t *checks.Target, dirs map[string]bool, now time.Time) ([]checks.Finding, error) {
	if len(dirs) == 0 {
		return nil, nil
	}
	all, err := t.Head.Files(ctx)
	if err != nil {
		return nil, fmt.Errorf("iac: list files: %w", err)
	}
	byDir := map[string][]checks.FileInfo{}
	for _, fi := range all {
		if fi.Kind == checks.KindRegular && strings.HasSuffix(fi.Path, ".tf") && dirs[path.Dir(fi.Path)] {
			byDir[path.Dir(fi.Path)] = append(byDir[path.Dir(fi.Path)], fi)
		}
	}
	report := map[string]bool{}
	for _, p := range t.Paths {
		report[p] = true
	}
	maxSize := t.MaxFileSize
	if maxSize <= 0 {
		maxSize = 5 << 20
	}
	dirList := make([]string, 0, len(byDir))
	for d := range byDir {
		dirList = append(dirList, d)
	}
	sort.Strings(dirList)
	var out []checks.Finding
	evalLeft := int64(maxRunEvalCost)
	for _, d := range dirList {
		var files []terraform.File
		siblings, dropped := 0, 0
		for _, fi := range byDir[d] {
			if fi.Size > maxSize {
				continue // a changed one is noted by the runner
			}
			if !report[fi.Path] {
				if siblings >= maxModuleFiles {
					dropped++
					continue
				}
				siblings++
			}
			content, err := t.Head.ReadFile(ctx, fi.Path)
			if errors.Is(err, checks.ErrNotFound) || errors.Is(err, checks.ErrTooLarge) {
				continue
			}
			if err != nil {
				return out, fmt.Errorf("iac: read %s: %w", fi.Path, err)
			}
			files = append(files, terraform.File{Path: fi.Path, Content: content})
		}
		if dropped > 0 {
			// Locals and variables in the unread files are unknown, which
			// can hide a finding in the changed ones.
			for _, f := range files {
				if report[f.Path] {
					t.AddNote(checks.Note{Check: Name, Path: f.Path, Unscanned: true,
						Message: fmt.Sprintf("partly analysed: its directory has %d more .tf files than the %d read as context", dropped, maxModuleFiles)})
				}
			}
		}
		budget := min(int64(terraform.MaxEvalCost), evalLeft)
		if budget <= 0 {
			budget = -1 // spent: nothing more is evaluated
		}
		res := scanModuleRecovering(ctx, t, files, report, terraform.Options{EOL: c.opts.EOL, Now: now, EvalBudget: budget})
		evalLeft -= res.EvalCost
		out = append(out, res.Findings...)
		for _, pe := range res.ParseErrors {
			if report[pe.Path] {
				t.AddNote(checks.Note{Check: Name, Path: pe.Path, Message: "Terraform parse error, partially analysed: " + firstLine(pe.Err)})
			}
		}
		// A sibling file the change did not touch still counts: what it
		// leaves unknown can hide a finding in one that it did.
		for _, over := range res.Unscanned {
			t.AddNote(over.Note(Name))
		}
	}
	return out, ctx.Err()
}

// scanModuleRecovering is terraform.ScanModule where a panic leaves the
// directory's files unscanned instead of failing the whole check.
func scanModuleRecovering(ctx context.Context, t *checks.Target, files []terraform.File, report map[string]bool, opts terraform.Options) (res terraform.Result) {
	defer func() {
		if r := recover(); r != nil {
			for _, f := range files {
				if report[f.Path] {
					t.AddNote(limit.PanicNote(Name, f.Path, r))
				}
			}
			res = terraform.Result{}
		}
	}()
	return terraform.ScanModule(ctx, files, report, opts)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
