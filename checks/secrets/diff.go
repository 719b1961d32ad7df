package secrets

import (
	"context"
	"fmt"
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
	files, err := c.scanFiles(ctx, t, t.Paths)
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
			if cl, ok := introducedBy[id]; ok && addedAt(t.Diff, l) {
				// On an added line the runner marks it new and applies
				// warden:allow to the head line itself, so Introduced
				// stays false; Commit says which commit added it.
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

// addedAt reports whether l sits on a line the change adds.
func addedAt(d *checks.Diff, l located) bool {
	fc := d.File(l.path)
	return fc != nil && fc.Added.Overlaps(l.line, l.endLine)
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
			for _, l := range c.scanAdded(ctx, t, cm.SHA, f) {
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

// scanAdded scans one commit's added lines of one file. Runs of consecutive
// lines are scanned as one text, so a multi-line secret is seen whole, but
// separate runs never join into text the file did not have.
func (c *Check) scanAdded(ctx context.Context, t *checks.Target, sha string, f checks.AddedLines) []located {
	fr := fragment{path: f.Path, commit: sha}
	var out []located
	for _, run := range contiguousRuns(f.Lines) {
		var b strings.Builder
		for i, ln := range run {
			if i > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(ln.Text)
		}
		if t.MaxFileSize > 0 && int64(b.Len()) > t.MaxFileSize {
			t.AddNote(checks.Note{Check: Name, Path: f.Path, Message: fmt.Sprintf("lines added in %s not scanned for secrets: over the size limit", shortSHA(sha)), Unscanned: true})
			continue
		}
		if checks.LooksBinary(f.Path, []byte(b.String())) {
			continue
		}
		tx := newText(b.String())
		for _, m := range c.rules.scan(ctx, tx, fr) {
			if c.allowedSecret(m) || m.startLine >= len(run) {
				continue
			}
			above := ""
			if m.startLine > 0 {
				above = run[m.startLine-1].Text
			}
			if checks.InlineAllowed(run[m.startLine].Text, above, m.rule.id) {
				continue
			}
			end := min(m.endLine, len(run)-1)
			out = append(out, located{
				match: m, path: f.Path, commit: sha,
				line: run[m.startLine].Number, endLine: run[end].Number,
				lineText: run[m.startLine].Text, lineKnown: true,
			})
		}
	}
	return out
}

// contiguousRuns splits added lines into runs of consecutive line numbers.
func contiguousRuns(lines []checks.Line) [][]checks.Line {
	var out [][]checks.Line
	start := 0
	for i := 1; i <= len(lines); i++ {
		if i == len(lines) || lines[i].Number != lines[i-1].Number+1 {
			if i > start {
				out = append(out, lines[start:i])
			}
			start = i
		}
	}
	return out
}
