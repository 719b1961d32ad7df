package secrets

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/sniff"
)

// scanFiles scans paths of the head concurrently (at most c.workers at a
// time) and returns each file's located matches, in path order. Binary
// files (searched in their text runs only) are counted in one note.
func (c *Check) scanFiles(ctx context.Context, t *checks.Target, paths []string) ([][]located, error) {
	results := make([][]located, len(paths))
	var binaries atomic.Int64
	defer func() {
		if n := binaries.Load(); n > 0 {
			t.AddNote(checks.Note{Check: Name, Message: fmt.Sprintf("%d binary file(s): only the text inside them was searched for secrets", n)})
		}
	}()
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(c.workers, max(len(paths), 1)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				var kind sniff.Kind
				results[i], kind = c.scanFile(ctx, t, paths[i])
				if kind == sniff.Binary {
					binaries.Add(1)
				}
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

// scanFile streams and scans one file of the head, whatever its size: text
// as it is, UTF-16 decoded, and the text runs of anything else.
func (c *Check) scanFile(ctx context.Context, t *checks.Target, path string) ([]located, sniff.Kind) {
	if c.allowPaths.Match(path) {
		return nil, sniff.Text
	}
	out := c.pathOnlyMatches(path)
	fr := fragment{path: path, strict: t.Diff != nil}
	if !fr.strict && pathOrCommitAllowed(fr, c.rules.global) {
		return out, sniff.Text // gitleaks' global path allowlist (lockfiles, go.sum, images), outside a change only
	}
	note := func(msg string) { t.AddNote(checks.Note{Check: Name, Path: path, Message: msg, Unscanned: true}) }
	found, kind, err := c.scanTreeFile(ctx, t.Head, path, t.Sizes[path], fr)
	switch {
	case errors.Is(err, checks.ErrNotFound):
		return out, kind
	case err != nil && ctx.Err() == nil:
		note(fmt.Sprintf("not fully scanned for secrets: %v", err))
	}
	for _, wm := range found {
		if c.allowedSecret(wm.match) {
			continue
		}
		out = append(out, wm.locate(path, 0))
	}
	return out, kind
}

// scanTreeFile scans one file of tree (see scanFile) and says what it was.
func (c *Check) scanTreeFile(ctx context.Context, tree checks.Tree, path string, size int64, fr fragment) ([]windowMatch, sniff.Kind, error) {
	rc, err := checks.Open(ctx, tree, path)
	if err != nil {
		return nil, sniff.Text, err
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, int(min(max(size, 16), sniff.Len)))
	head, _ := br.Peek(sniff.Len)
	kind := sniff.Classify(path, head)
	switch kind {
	case sniff.Text:
		found, err := c.rules.scanStream(ctx, br, size, fr)
		return found, kind, err
	case sniff.Binary:
		found, err := c.rules.scanStream(ctx, sniff.TextRuns(br, sniff.MinRun), size, fr)
		return asBinary(found), kind, err
	}
	// UTF-16: the decoded text, and in case the file only claims to be
	// UTF-16, the runs of its raw bytes too.
	found, err := c.rules.scanStream(ctx, sniff.DecodeUTF16(br, kind), size, fr)
	if err != nil {
		return found, kind, err
	}
	raw, err := checks.Open(ctx, tree, path)
	if err != nil {
		return found, kind, err
	}
	defer raw.Close()
	more, err := c.rules.scanStream(ctx, sniff.TextRuns(raw, sniff.MinRun), size, fr)
	have := map[[2]any]bool{}
	for _, wm := range found {
		have[[2]any{wm.rule, wm.secret}] = true
	}
	for _, wm := range asBinary(more) {
		if !have[[2]any{wm.rule, wm.secret}] {
			found = append(found, wm)
		}
	}
	return found, kind, err
}

// asBinary marks matches found in the text runs of binary data: their
// lines are runs, not lines of the file, so they are all placed on line 1.
func asBinary(ms []windowMatch) []windowMatch {
	for i := range ms {
		ms[i].binary = true
		ms[i].startLine, ms[i].endLine, ms[i].startCol, ms[i].endCol = 0, 0, 0, 0
	}
	return ms
}

// locate places a stream match in a file; lineOffset is added to its
// 0-based lines.
func (wm windowMatch) locate(path string, lineOffset int) located {
	return located{match: wm.match, path: path, line: wm.startLine + 1 + lineOffset, endLine: wm.endLine + 1 + lineOffset,
		lineText: wm.lineText, lineKnown: wm.lineKnown}
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
