package checks

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/wardenbot/warden/checks/sniff"
)

// Defaults for Options fields left zero.
const (
	DefaultCheckTimeout = 5 * time.Minute
	DefaultMaxFileSize  = 5 << 20
	DefaultMaxFiles     = 200_000
)

// Options configure a run.
type Options struct {
	Checks       []Check
	FailOn       Severity      // lowest blocking severity; default high
	Ignore       *PathMatcher  // paths no check reports on
	CheckTimeout time.Duration // per check
	MaxFileSize  int64         // larger files only reach checks that stream them (secrets), with a note
	MaxFiles     int           // files beyond this many are skipped with a note
	// IgnoreFingerprints drops findings whose fingerprint, or its W- id,
	// is listed (allowlisted in configuration).
	IgnoreFingerprints []string
	// AcceptUnscanned lets a report with gaps in coverage pass (the
	// repository's on_unscanned: neutral); see Report.Passes.
	AcceptUnscanned bool
}

func (o *Options) defaults() {
	if o.FailOn == 0 {
		o.FailOn = SeverityHigh
	}
	if o.CheckTimeout == 0 {
		o.CheckTimeout = DefaultCheckTimeout
	}
	if o.MaxFileSize == 0 {
		o.MaxFileSize = DefaultMaxFileSize
	}
	if o.MaxFiles == 0 {
		o.MaxFiles = DefaultMaxFiles
	}
}

// Run executes the checks against t concurrently. A check that fails,
// panics or overruns its timeout becomes a CheckError; the others go on.
// Run returns an error only when the target itself cannot be read.
func Run(ctx context.Context, t *Target, opts Options) (*Report, error) {
	opts.defaults()
	start := time.Now()
	notes := t.sink()
	t.MaxFileSize = opts.MaxFileSize
	if err := selectPaths(ctx, t, &opts); err != nil {
		return nil, err
	}

	type result struct {
		check    Check
		findings []Finding
		err      error
	}
	results := make([]result, len(opts.Checks))
	var wg sync.WaitGroup
	for i, c := range opts.Checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fs, err := runOne(ctx, c, t, opts.CheckTimeout)
			results[i] = result{check: c, findings: fs, err: err}
		}()
	}
	wg.Wait()

	rep := &Report{FailOn: opts.FailOn, AcceptUnscanned: opts.AcceptUnscanned, Rules: map[string]Rule{}}
	if t.Diff != nil {
		rep.Base, rep.Head = t.Diff.Base, t.Diff.Head
		rep.Stats.AddedLines = t.Diff.AddedLineCount()
		rep.Stats.Commits = len(t.Diff.Commits)
	}
	var all []Finding
	for _, r := range results {
		if r.err != nil {
			rep.Errors = append(rep.Errors, CheckError{Check: r.check.Name(), Error: r.err.Error()})
		}
		docs := map[string]Rule{}
		if d, ok := r.check.(RuleDocumenter); ok {
			for _, rule := range d.Rules() {
				docs[rule.ID] = rule
			}
		}
		for _, f := range r.findings {
			if err := f.Validate(); err != nil {
				rep.Errors = append(rep.Errors, CheckError{Check: r.check.Name(), Error: err.Error()})
				continue
			}
			if f.Category == "" {
				f.Category = r.check.Category()
			}
			if rule, ok := docs[f.RuleID]; ok {
				rep.Rules[f.RuleID] = rule
			} else if _, ok := rep.Rules[f.RuleID]; !ok {
				rep.Rules[f.RuleID] = Rule{ID: f.RuleID, Title: f.RuleID, Category: f.Category, Severity: f.Severity}
			}
			all = append(all, f)
		}
	}
	all = triage(ctx, t, opts, all)
	for _, f := range all {
		if f.RuleID == SuppressionAdded {
			rep.Rules[SuppressionAdded] = suppressionAddedRule
		}
	}
	rep.Findings = all
	notes.mu.Lock()
	rep.Notes = append([]Note(nil), notes.notes...)
	notes.mu.Unlock()
	sort.SliceStable(rep.Notes, func(i, j int) bool {
		if rep.Notes[i].Check != rep.Notes[j].Check {
			return rep.Notes[i].Check < rep.Notes[j].Check
		}
		return rep.Notes[i].Path < rep.Notes[j].Path
	})
	rep.Stats.Files = len(t.Paths)
	for _, p := range t.Paths {
		rep.Stats.Bytes += t.Sizes[p]
	}
	rep.Stats.Checks = len(opts.Checks)
	for _, c := range opts.Checks {
		rep.Ran = append(rep.Ran, c.Name())
	}
	rep.Stats.Duration = time.Since(start)
	return rep, nil
}

// runOne runs a check with its own deadline, turning panics into errors. If
// the check ignores its context it is abandoned after a grace period so a
// single stuck rule cannot hold the whole scan.
func runOne(ctx context.Context, c Check, t *Target, timeout time.Duration) ([]Finding, error) {
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	type out struct {
		fs  []Finding
		err error
	}
	ch := make(chan out, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				ch <- out{err: fmt.Errorf("panic: %v\n%s", p, firstFrames(debug.Stack()))}
			}
		}()
		fs, err := c.Run(cctx, t)
		ch <- out{fs, err}
	}()
	grace := time.NewTimer(timeout + 5*time.Second)
	defer grace.Stop()
	select {
	case o := <-ch:
		if o.err != nil && errors.Is(o.err, context.DeadlineExceeded) && ctx.Err() == nil {
			return o.fs, fmt.Errorf("timed out after %s", timeout)
		}
		return o.fs, o.err
	case <-grace.C:
		return nil, fmt.Errorf("timed out after %s", timeout)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// firstFrames keeps a panic's stack short enough for a report line.
func firstFrames(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	if len(lines) > 12 {
		lines = lines[:12]
	}
	return strings.Join(lines, "\n")
}

// selectPaths fills t.Paths and t.Sizes: every regular file of the head in a
// full scan, only the changed ones in a diff scan, minus ignored and
// oversized files.
func selectPaths(ctx context.Context, t *Target, opts *Options) error {
	files, err := t.Head.Files(ctx)
	if err != nil {
		return err
	}
	t.Sizes = make(map[string]int64, len(files))
	var links, modules int
	for _, fi := range files {
		switch fi.Kind {
		case KindSymlink:
			links++
			continue
		case KindSubmodule:
			modules++
			continue
		}
		if opts.Ignore.Match(fi.Path) {
			continue
		}
		if t.Diff != nil {
			fc := t.Diff.File(fi.Path)
			if fc == nil || fc.Status == StatusDeleted {
				continue
			}
		}
		if fi.Size > opts.MaxFileSize {
			t.Large = append(t.Large, fi.Path)
			t.Sizes[fi.Path] = fi.Size
			noteLarge(ctx, t, fi, opts.MaxFileSize)
			continue
		}
		if len(t.Paths) >= opts.MaxFiles {
			t.AddNote(Note{Check: "warden", Message: fmt.Sprintf("partial coverage: only the first %d files were scanned", opts.MaxFiles), Unscanned: true})
			break
		}
		t.Paths = append(t.Paths, fi.Path)
		t.Sizes[fi.Path] = fi.Size
	}
	if links > 0 {
		t.AddNote(Note{Check: "warden", Message: fmt.Sprintf("%d symbolic link(s) not followed", links)})
	}
	if modules > 0 {
		t.AddNote(Note{Check: "warden", Message: fmt.Sprintf("%d submodule(s) not scanned", modules)})
	}
	return nil
}

// noteLarge records a file over the size limit. Only checks that stream
// files (secrets) read it, so the others could not check it: a gap, unless
// it is a real binary none of them would read anyway.
func noteLarge(ctx context.Context, t *Target, fi FileInfo, limit int64) {
	over := fmt.Sprintf("%s is over the %s file size limit", humanBytes(fi.Size), humanBytes(limit))
	if kind, err := sniffFile(ctx, t.Head, fi.Path); err == nil && kind == sniff.Binary {
		t.AddNote(Note{Check: "warden", Path: fi.Path, Message: over + "; binary, so only searched for secrets"})
		return
	}
	t.AddNote(Note{Check: "warden", Path: fi.Path, Message: "not scanned: " + over + " (searched for secrets only)", Unscanned: true})
}

// sniffFile classifies a file from its first bytes.
func sniffFile(ctx context.Context, tree Tree, path string) (sniff.Kind, error) {
	rc, err := Open(ctx, tree, path)
	if err != nil {
		return sniff.Text, err
	}
	defer rc.Close()
	head, err := io.ReadAll(io.LimitReader(rc, sniff.Len))
	if err != nil {
		return sniff.Text, err
	}
	return sniff.Classify(path, head), nil
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
