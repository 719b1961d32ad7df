package secrets

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/wardenbot/warden/checks"
)

// scanFiles scans paths of the head concurrently (at most c.workers at a
// time) and returns each file's located matches, in path order.
func (c *Check) scanFiles(ctx context.Context, t *checks.Target, paths []string) ([][]located, error) {
	results := make([][]located, len(paths))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(c.workers, max(len(paths), 1)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results[i] = c.scanFile(ctx, t, paths[i])
			}
		}()
	}
feed:
	for i := range paths {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return results, fmt.Errorf("secrets: scan interrupted: %w", err)
	}
	return results, nil
}

// scanFile reads and scans one file of the head.
func (c *Check) scanFile(ctx context.Context, t *checks.Target, path string) []located {
	if c.allowPaths.Match(path) {
		return nil
	}
	out := c.pathOnlyMatches(path)
	fr := fragment{path: path}
	if pathOrCommitAllowed(fr, c.rules.global) {
		return out // gitleaks' global path allowlist: lockfiles, go.sum, images, vendored code
	}
	note := func(msg string) { t.AddNote(checks.Note{Check: Name, Path: path, Message: msg, Unscanned: true}) }
	content, err := t.Head.ReadFile(ctx, path)
	switch {
	case errors.Is(err, checks.ErrTooLarge):
		note("not scanned for secrets: file too large")
		return out
	case errors.Is(err, checks.ErrNotFound):
		return out
	case err != nil:
		note(fmt.Sprintf("not scanned for secrets: %v", err))
		return out
	}
	if t.MaxFileSize > 0 && int64(len(content)) > t.MaxFileSize {
		note(fmt.Sprintf("not scanned for secrets: %d bytes is over the %d-byte limit", len(content), t.MaxFileSize))
		return out
	}
	if checks.LooksBinary(path, content) {
		t.AddNote(checks.Note{Check: Name, Path: path, Message: "not scanned for secrets: binary file"})
		return out
	}
	tx := newText(string(content))
	for _, m := range c.rules.scan(ctx, tx, fr) {
		if c.allowedSecret(m) {
			continue
		}
		out = append(out, placeInText(m, tx, path, 0))
	}
	return out
}

// placeInText turns a match in tx into a located one; lineOffset is added
// to its line numbers (0 when tx is a whole file).
func placeInText(m match, tx *text, path string, lineOffset int) located {
	l := located{match: m, path: path, line: m.startLine + 1 + lineOffset, endLine: m.endLine + 1 + lineOffset}
	if m.startLine < tx.lines() {
		l.lineText, l.lineKnown = tx.lineText(m.startLine), true
	}
	return l
}

// pathOnlyMatches reports files whose mere presence is a leak (gitleaks'
// path-only rules, e.g. PKCS#12 bundles); they are usually binary.
func (c *Check) pathOnlyMatches(path string) []located {
	var out []located
	for _, r := range c.rules.noKeywords {
		if r.cfg.Regex != nil || r.cfg.Path == nil || !r.cfg.Path.MatchString(path) {
			continue
		}
		if !ruleAppliesTo(r, fragment{path: path}) {
			continue
		}
		// The "secret" of a file rule is its path: it keys the finding.
		out = append(out, located{match: match{rule: r, secret: path}, path: path, line: 1, endLine: 1})
	}
	return out
}
