package secrets

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/wardenbot/warden/checks"
)

// secretID identifies the same secret across commits and the head.
type secretID struct {
	rule, path, key string
}

// runDiff scans the changed files of the head and the added lines of every
// commit. A secret a commit added is leaked even if a later commit removed
// it, so it is reported with the commit that added it: at its head line
// when it is still there on an added line (so a review comment can anchor
// on it), otherwise at the line the commit added it.
func (c *Check) runDiff(ctx context.Context, t *checks.Target) ([]checks.Finding, error) {
	files, err := c.scanFiles(ctx, t, scanPaths(t))
	if err != nil {
		return nil, err
	}
	introducedBy, order, err := c.scanCommits(ctx, t)
	if err != nil {
		return nil, err
	}

	var out []checks.Finding
	atHead := map[secretID]bool{}
	for _, ls := range files {
		for _, l := range ls {
			id := secretID{l.rule.id, l.path, secretKey(l.secret)}
			atHead[id] = true
			f := toFinding(l, committedMessage(l), secretsOnLine(ls, l.line))
			cl, inHistory := introducedBy[id]
			switch {
			case l.binary:
				// Text runs of a binary have no line the diff could add:
				// the secret is new unless the base version already held it.
				if inHistory {
					f.Message += " in " + shortSHA(cl.commit)
					f.Commit, f.Introduced = cl.commit, true
				} else if c.baseHas(ctx, t, l.path, l.secret) {
					f.Baseline = true
				} else {
					f.Introduced = true
				}
			case inHistory && addedAt(t.Diff, l):
				// On an added line the runner marks it new and weighs
				// suppression markers on the head line itself, so
				// Introduced stays false; Commit says which commit added it.
				f.Message += " in " + shortSHA(cl.commit)
				f.Commit = cl.commit
			}
			out = append(out, f)
		}
	}
	for _, id := range order {
		if atHead[id] {
			continue // still in the head: reported there (pre-existing if not on an added line)
		}
		l := introducedBy[id]
		msg := fmt.Sprintf("%s (%s) added in %s and removed later in this PR; it is still leaked",
			l.rule.meta.title, describeSecret(l.secret), shortSHA(l.commit))
		f := toFinding(l, msg, nil)
		f.Commit, f.Introduced = l.commit, true
		out = append(out, f)
	}
	return out, nil
}

// scanPaths are the files to search: those the runner selected and those
// too large for the other checks, which this one streams.
func scanPaths(t *checks.Target) []string {
	return append(append([]string(nil), t.Paths...), t.Large...)
}

// addedAt reports whether l sits on a line the change adds.
func addedAt(d *checks.Diff, l located) bool {
	fc := d.File(l.path)
	return fc != nil && fc.Added.Overlaps(l.line, l.endLine)
}

// baseHas reports whether the base version of path (under its old name
// when renamed) holds secret anywhere in its bytes.
func (c *Check) baseHas(ctx context.Context, t *checks.Target, path, secret string) bool {
	if t.Base == nil || secret == "" {
		return false
	}
	if fc := t.Diff.File(path); fc != nil {
		if fc.Status == checks.StatusAdded {
			return false
		}
		if fc.OldPath != "" {
			path = fc.OldPath
		}
	}
	rc, err := checks.Open(ctx, t.Base, path)
	if err != nil {
		return false
	}
	defer rc.Close()
	return streamContains(ctx, rc, []byte(secret))
}

// streamContains reports whether r yields needle, reading it in windows.
func streamContains(ctx context.Context, r io.Reader, needle []byte) bool {
	buf := make([]byte, 0, max(scanWindow, 2*len(needle)))
	for ctx.Err() == nil {
		n, err := io.ReadFull(r, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if bytes.Contains(buf, needle) {
			return true
		}
		if err != nil {
			return false
		}
		keep := min(len(buf), len(needle)-1)
		buf = append(buf[:0], buf[len(buf)-keep:]...)
	}
	return false
}

// scanCommits scans the added lines of each commit, oldest first, and
// returns for each secret the place the first commit that added it put it.
func (c *Check) scanCommits(ctx context.Context, t *checks.Target) (map[secretID]located, []secretID, error) {
	first := map[secretID]located{}
	var order []secretID
	for _, cm := range t.Diff.Commits {
		for _, f := range cm.Files {
			if err := ctx.Err(); err != nil {
				return nil, nil, fmt.Errorf("secrets: scan interrupted: %w", err)
			}
			if c.allowPaths.Match(f.Path) {
				continue
			}
			for _, l := range c.scanAdded(ctx, cm.SHA, f) {
				id := secretID{l.rule.id, l.path, secretKey(l.secret)}
				if _, seen := first[id]; seen {
					continue
				}
				first[id] = l
				order = append(order, id)
			}
		}
	}
	return first, order, nil
}

// scanAdded scans one commit's added lines of one file. Each run of
// consecutive lines is scanned as one text, so a multi-line secret is seen
// whole, but separate runs never join into text the file did not have.
// Every line here is one the change adds, so a suppression marker on it
// silences nothing.
func (c *Check) scanAdded(ctx context.Context, sha string, f checks.AddedLines) []located {
	fr := fragment{path: f.Path, commit: sha, strict: true}
	var out []located
	for _, run := range f.Runs {
		found, _ := c.rules.scanStream(ctx, strings.NewReader(run.Text), int64(len(run.Text)), fr)
		for _, wm := range found {
			if c.allowedSecret(wm.match) {
				continue
			}
			l := located{
				match: wm.match, path: f.Path, commit: sha,
				line: run.Start + wm.startLine, endLine: run.Start + wm.endLine,
				lineText: wm.lineText, lineKnown: wm.lineKnown,
			}
			if f.Binary {
				l.binary = true
				l.line, l.endLine, l.startCol, l.endCol = 1, 1, 0, 0
			}
			out = append(out, l)
		}
	}
	return out
}
