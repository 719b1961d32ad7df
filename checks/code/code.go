// Package code is warden's static analyser for injection and classic
// security flaws in Go, Python and JavaScript/TypeScript. Each file is
// lowered into a small language-neutral IR (package ir) by a per-language
// front end; one taint engine (package engine) follows untrusted data from
// sources to sinks inside functions and through same-file helpers, and
// pattern rules catch dangerous settings. Nothing from the scanned
// repository is built or run.
package code

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/internal/limit"
)

// Check is the code check.
type Check struct {
	opts  Options
	langs map[string]*language
}

// New builds the check.
func New(opts Options) *Check {
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = defaultMaxFileSize
	}
	if opts.FileTimeout <= 0 {
		opts.FileTimeout = defaultFileTimeout
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	a := opts.Audit
	all := []*language{goLanguage(a), pythonLanguage(a), javascriptLanguage("javascript", a), javascriptLanguage("typescript", a), javascriptLanguage("tsx", a)}
	c := &Check{opts: opts, langs: map[string]*language{}}
	for _, l := range all {
		if enabled(opts.Languages, l.name) {
			c.langs[l.name] = l
		}
	}
	return c
}

func enabled(list []string, name string) bool {
	if len(list) == 0 {
		return true
	}
	for _, l := range list {
		if l == name || (l == "typescript" && name == "tsx") {
			return true
		}
	}
	return false
}

// Name implements checks.Check.
func (c *Check) Name() string { return "code" }

// Category implements checks.Check.
func (c *Check) Category() checks.Category { return checks.CategoryCode }

// Run analyses every source file among t.Paths.
func (c *Check) Run(ctx context.Context, t *checks.Target) ([]checks.Finding, error) {
	type job struct {
		path string
		lang *language
	}
	var jobs []job
	for _, p := range t.Paths {
		if l := c.languageFor(p); l != nil {
			jobs = append(jobs, job{p, l})
		}
	}
	var (
		mu       sync.Mutex
		findings []checks.Finding
		wg       sync.WaitGroup
		next     = make(chan job)
	)
	workers := min(c.opts.Workers, max(len(jobs), 1))
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ps := &parsers{}
			defer func() { ps.close() }()
			for j := range next {
				fs := c.scanFileRecovering(ctx, t, &ps, j.path, j.lang)
				mu.Lock()
				findings = append(findings, fs...)
				mu.Unlock()
			}
		}()
	}
feed:
	for _, j := range jobs {
		select {
		case next <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	sort.SliceStable(findings, func(i, j int) bool {
		a, b := &findings[i], &findings[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.StartLine != b.StartLine {
			return a.StartLine < b.StartLine
		}
		return a.RuleID < b.RuleID
	})
	return findings, ctx.Err()
}

// scanFileRecovering is scanFile on a worker goroutine. The runner
// recovers only its own goroutine, and a panic on any other ends the
// process, so a panic here leaves this file unscanned and the worker
// goes on with fresh parsers: a parse cut short may leave one unusable.
func (c *Check) scanFileRecovering(ctx context.Context, t *checks.Target, ps **parsers, p string, l *language) (fs []checks.Finding) {
	defer func() {
		if r := recover(); r != nil {
			(*ps).close()
			*ps = &parsers{}
			t.AddNote(limit.PanicNote(c.Name(), p, r))
			fs = nil
		}
	}()
	return c.scanFile(ctx, t, *ps, p, l)
}

// scanFile reads, parses and analyses one file. Problems with the file are
// notes, not errors: one bad file must not hide the findings in others.
func (c *Check) scanFile(ctx context.Context, t *checks.Target, ps *parsers, p string, l *language) []checks.Finding {
	if size, ok := t.Sizes[p]; ok && size > c.opts.MaxFileSize {
		t.AddNote(checks.Note{Check: c.Name(), Path: p, Message: fmt.Sprintf("not analysed: larger than %d KiB", c.opts.MaxFileSize>>10), Unscanned: true})
		return nil
	}
	src, err := t.Head.ReadFile(ctx, p)
	if err != nil {
		if !errors.Is(err, checks.ErrNotFound) && ctx.Err() == nil {
			t.AddNote(checks.Note{Check: c.Name(), Path: p, Message: "not analysed: " + err.Error(), Unscanned: true})
		}
		return nil
	}
	if int64(len(src)) > c.opts.MaxFileSize {
		t.AddNote(checks.Note{Check: c.Name(), Path: p, Message: fmt.Sprintf("not analysed: larger than %d KiB", c.opts.MaxFileSize>>10), Unscanned: true})
		return nil
	}
	if checks.LooksBinary(p, src) {
		return nil
	}
	fctx, cancel := context.WithTimeout(ctx, c.opts.FileTimeout)
	defer cancel()
	fs, cut, err := c.analyse(fctx, ps, p, src, l)
	if cut != nil {
		t.AddNote(cut.Note(c.Name()))
	}
	if err != nil && ctx.Err() == nil {
		var partial partialError
		// A syntax error leaves the rest of the file analysed; a timeout or
		// the work budget leaves part of it unchecked.
		t.AddNote(checks.Note{Check: c.Name(), Path: p, Message: noteFor(err, c.opts.FileTimeout), Unscanned: !errors.As(err, &partial)})
	}
	return fs
}

func noteFor(err error, timeout time.Duration) string {
	var partial partialError
	switch {
	case errors.As(err, &partial):
		return "syntax error (" + partial.Error() + "); the code around it was analysed"
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("analysis stopped after %s; findings may be incomplete", timeout)
	case errors.Is(err, errBudget):
		return "analysis stopped at its work limit; findings may be incomplete"
	}
	return "not analysed: " + err.Error()
}
