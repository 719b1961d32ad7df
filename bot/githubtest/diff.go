package githubtest

import (
	"context"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/diff"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// diffContext is the number of context lines around changes, as in GitHub's
// pull request diffs.
const diffContext = 3

// DiffLine is one line of a hunk. OldNo/NewNo are 0 on the side the line is
// absent from.
type DiffLine struct {
	Kind  byte // ' ', '+' or '-'
	OldNo int
	NewNo int
	Text  string
}

// Hunk is a unified-diff hunk.
type Hunk struct {
	OldStart, OldLines, NewStart, NewLines int
	Lines                                  []DiffLine
}

// Header is the "@@ -a,b +c,d @@" line, with git's ",1" elision.
func (h Hunk) Header() string {
	return fmt.Sprintf("@@ -%s +%s @@", hunkRange(h.OldStart, h.OldLines), hunkRange(h.NewStart, h.NewLines))
}

func hunkRange(start, count int) string {
	if count == 1 {
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, count)
}

// FileDiff is one file of a pull request diff.
type FileDiff struct {
	Path, OldPath string
	Status        string // added, removed, modified, renamed
	Binary        bool
	Hunks         []Hunk
	Additions     int
	Deletions     int
	BlobSHA       string
}

// Patch renders the hunks like the "patch" field of GitHub's files API.
func (fd FileDiff) Patch() string {
	var b strings.Builder
	for i, h := range fd.Hunks {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(h.Header())
		for _, l := range h.Lines {
			b.WriteByte('\n')
			b.WriteByte(l.Kind)
			b.WriteString(l.Text)
		}
	}
	return b.String()
}

// anchor finds the hunk holding line on side (RIGHT: new file, LEFT: old)
// and the line's diff position (GitHub's legacy "position"): lines counted
// from the first hunk header, later headers included.
func (fd FileDiff) anchor(side string, line int) (hunk, position int, ok bool) {
	pos := 0
	for hi, h := range fd.Hunks {
		if hi > 0 {
			pos++
		}
		for _, l := range h.Lines {
			pos++
			if side == "LEFT" && l.Kind != '+' && l.OldNo == line {
				return hi, pos, true
			}
			if side != "LEFT" && l.Kind != '-' && l.NewNo == line {
				return hi, pos, true
			}
		}
	}
	return 0, 0, false
}

// atPosition maps a legacy diff position back to (side, line, hunk).
func (fd FileDiff) atPosition(position int) (side string, line, hunk int, ok bool) {
	pos := 0
	for hi, h := range fd.Hunks {
		if hi > 0 {
			pos++
		}
		for _, l := range h.Lines {
			pos++
			if pos == position {
				if l.Kind == '-' {
					return "LEFT", l.OldNo, hi, true
				}
				return "RIGHT", l.NewNo, hi, true
			}
		}
	}
	return "", 0, 0, false
}

// diffHunkUpTo is GitHub's diff_hunk of a comment: the hunk header and the
// lines up to and including the commented one.
func (fd FileDiff) diffHunkUpTo(hunk int, side string, line int) string {
	h := fd.Hunks[hunk]
	var b strings.Builder
	b.WriteString(h.Header())
	for _, l := range h.Lines {
		b.WriteByte('\n')
		b.WriteByte(l.Kind)
		b.WriteString(l.Text)
		if (side == "LEFT" && l.Kind != '+' && l.OldNo == line) || (side != "LEFT" && l.Kind != '-' && l.NewNo == line) {
			break
		}
	}
	return b.String()
}

// mergeBase returns the merge base of two commits in a repository.
func mergeBase(repo *git.Repository, base, head string) (*object.Commit, error) {
	bc, err := repo.CommitObject(plumbing.NewHash(base))
	if err != nil {
		return nil, fmt.Errorf("githubtest: base %s: %w", base, err)
	}
	hc, err := repo.CommitObject(plumbing.NewHash(head))
	if err != nil {
		return nil, fmt.Errorf("githubtest: head %s: %w", head, err)
	}
	bases, err := bc.MergeBase(hc)
	if err != nil || len(bases) == 0 {
		return nil, fmt.Errorf("githubtest: no merge base of %s and %s: %v", base, head, err)
	}
	return bases[0], nil
}

// diffCommits computes the per-file diff from one commit to another.
func diffCommits(ctx context.Context, from, to *object.Commit) ([]FileDiff, error) {
	ft, err := from.Tree()
	if err != nil {
		return nil, fmt.Errorf("githubtest: tree: %w", err)
	}
	tt, err := to.Tree()
	if err != nil {
		return nil, fmt.Errorf("githubtest: tree: %w", err)
	}
	changes, err := object.DiffTreeWithOptions(ctx, ft, tt, object.DefaultDiffTreeOptions)
	if err != nil {
		return nil, fmt.Errorf("githubtest: diff trees: %w", err)
	}
	patch, err := changes.PatchContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("githubtest: patch: %w", err)
	}
	var out []FileDiff
	for _, fp := range patch.FilePatches() {
		out = append(out, fileDiff(fp))
	}
	return out, nil
}

func fileDiff(fp diff.FilePatch) FileDiff {
	fromF, toF := fp.Files()
	fd := FileDiff{Binary: fp.IsBinary()}
	switch {
	case fromF == nil:
		fd.Status, fd.Path = "added", toF.Path()
	case toF == nil:
		fd.Status, fd.Path = "removed", fromF.Path()
	case fromF.Path() != toF.Path():
		fd.Status, fd.Path, fd.OldPath = "renamed", toF.Path(), fromF.Path()
	default:
		fd.Status, fd.Path = "modified", toF.Path()
	}
	if toF != nil {
		fd.BlobSHA = toF.Hash().String()
	} else {
		fd.BlobSHA = fromF.Hash().String()
	}
	if fd.Binary {
		return fd
	}
	var lines []DiffLine
	oldNo, newNo := 0, 0
	for _, ch := range fp.Chunks() {
		for _, text := range splitLines(ch.Content()) {
			switch ch.Type() {
			case diff.Equal:
				oldNo++
				newNo++
				lines = append(lines, DiffLine{Kind: ' ', OldNo: oldNo, NewNo: newNo, Text: text})
			case diff.Add:
				newNo++
				fd.Additions++
				lines = append(lines, DiffLine{Kind: '+', NewNo: newNo, Text: text})
			case diff.Delete:
				oldNo++
				fd.Deletions++
				lines = append(lines, DiffLine{Kind: '-', OldNo: oldNo, Text: text})
			}
		}
	}
	fd.Hunks = buildHunks(lines)
	return fd
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	parts := strings.SplitAfter(s, "\n")
	if parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	for i, p := range parts {
		parts[i] = strings.TrimSuffix(p, "\n")
	}
	return parts
}

// buildHunks groups changed lines with diffContext lines around them,
// merging groups whose context would touch.
func buildHunks(lines []DiffLine) []Hunk {
	var changed []int
	for i, l := range lines {
		if l.Kind != ' ' {
			changed = append(changed, i)
		}
	}
	var hunks []Hunk
	for i := 0; i < len(changed); {
		start := max(changed[i]-diffContext, 0)
		end := changed[i]
		j := i
		for j+1 < len(changed) && changed[j+1]-end <= 2*diffContext+1 {
			j++
			end = changed[j]
		}
		end = min(end+diffContext, len(lines)-1)
		hunks = append(hunks, makeHunk(lines, start, end))
		i = j + 1
	}
	return hunks
}

func makeHunk(lines []DiffLine, start, end int) Hunk {
	h := Hunk{Lines: append([]DiffLine(nil), lines[start:end+1]...)}
	// Start numbers: the first line present on each side, or the line before
	// the hunk when a side is empty (git's convention).
	oldBefore, newBefore := 0, 0
	for _, l := range lines[:start] {
		if l.Kind != '+' {
			oldBefore = l.OldNo
		}
		if l.Kind != '-' {
			newBefore = l.NewNo
		}
	}
	for _, l := range h.Lines {
		if l.Kind != '+' {
			h.OldLines++
		}
		if l.Kind != '-' {
			h.NewLines++
		}
	}
	h.OldStart, h.NewStart = oldBefore, newBefore
	if h.OldLines > 0 {
		h.OldStart = oldBefore + 1
	}
	if h.NewLines > 0 {
		h.NewStart = newBefore + 1
	}
	return h
}

// pullDiff is the diff of a pull request: merge-base(base, head) to head.
func (s *Server) pullDiff(ctx context.Context, pr *PullRequest) ([]FileDiff, error) {
	repo, err := s.openRepo(pr.Repo)
	if err != nil {
		return nil, err
	}
	mb, err := mergeBase(repo, pr.BaseSHA, pr.HeadSHA)
	if err != nil {
		return nil, err
	}
	head, err := repo.CommitObject(plumbing.NewHash(pr.HeadSHA))
	if err != nil {
		return nil, fmt.Errorf("githubtest: head %s: %w", pr.HeadSHA, err)
	}
	return diffCommits(ctx, mb, head)
}
