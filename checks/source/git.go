package source

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/diff"
	"github.com/go-git/go-git/v5/plumbing/object"
	gitdiff "github.com/go-git/go-git/v5/utils/diff"
	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/wardenbot/warden/checks"
)

// Limits bound the work a git range may cause.
type Limits struct {
	MaxCommits  int   // commits of the range examined for history checks
	MaxFileSize int64 // blobs larger than this are not read
}

// DefaultLimits are used for zero fields.
var DefaultLimits = Limits{MaxCommits: 1000, MaxFileSize: 64 << 20}

func (l Limits) withDefaults() Limits {
	if l.MaxCommits == 0 {
		l.MaxCommits = DefaultLimits.MaxCommits
	}
	if l.MaxFileSize == 0 {
		l.MaxFileSize = DefaultLimits.MaxFileSize
	}
	return l
}

// GitTree is the tree of one commit, read from the object store: no work
// tree is needed, so nothing in it can be a live symlink.
type GitTree struct {
	repo    *git.Repository
	tree    *object.Tree
	entries map[string]plumbing.Hash
	infos   []checks.FileInfo
	maxSize int64
}

// NewGitTree lists the tree of commit.
func NewGitTree(repo *git.Repository, commit *object.Commit, maxFileSize int64) (*GitTree, error) {
	tree, err := commit.Tree()
	if err != nil {
		return nil, fmt.Errorf("reading tree of %s: %w", short(commit.Hash), err)
	}
	g := &GitTree{repo: repo, tree: tree, entries: map[string]plumbing.Hash{}, maxSize: maxFileSize}
	w := object.NewTreeWalker(tree, true, nil)
	// go-git refuses names that are unsafe to check out (control
	// characters, .git look-alikes). warden never checks anything out: it
	// reads blobs from the object store and escapes names when it prints
	// them, so such files are scanned instead of blocking the review.
	w.SkipPathValidation()
	defer w.Close()
	for {
		name, e, err := w.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("walking tree of %s: %w", short(commit.Hash), err)
		}
		switch e.Mode {
		case filemode.Dir:
			continue
		case filemode.Symlink:
			g.infos = append(g.infos, checks.FileInfo{Path: name, Kind: checks.KindSymlink})
		case filemode.Submodule:
			g.infos = append(g.infos, checks.FileInfo{Path: name, Kind: checks.KindSubmodule})
		case filemode.Regular, filemode.Executable, filemode.Deprecated:
			size, err := repo.Storer.EncodedObject(plumbing.BlobObject, e.Hash)
			var n int64
			if err == nil {
				n = size.Size()
			}
			g.entries[name] = e.Hash
			g.infos = append(g.infos, checks.FileInfo{Path: name, Size: n})
		}
	}
	sort.Slice(g.infos, func(i, j int) bool { return g.infos[i].Path < g.infos[j].Path })
	return g, nil
}

// Files lists the tree's entries.
func (g *GitTree) Files(ctx context.Context) ([]checks.FileInfo, error) { return g.infos, nil }

// ReadFile reads a regular file's blob.
func (g *GitTree) ReadFile(ctx context.Context, path string) ([]byte, error) {
	h, ok := g.entries[path]
	if !ok {
		return nil, fmt.Errorf("%s: %w", path, checks.ErrNotFound)
	}
	blob, err := g.repo.BlobObject(h)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if g.maxSize > 0 && blob.Size > g.maxSize {
		return nil, fmt.Errorf("%s: %w", path, checks.ErrTooLarge)
	}
	r, err := blob.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(io.LimitReader(r, blob.Size+1))
}

// OpenRepo opens the git repository containing path.
func OpenRepo(path string) (*git.Repository, error) {
	repo, err := git.PlainOpenWithOptions(path, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if err != nil {
		if errors.Is(err, git.ErrRepositoryNotExists) {
			return nil, fmt.Errorf("%s is not inside a git repository", path)
		}
		return nil, fmt.Errorf("opening git repository at %s: %w", path, err)
	}
	return repo, nil
}

// ResolveCommit resolves a ref, tag, branch or (abbreviated) sha.
func ResolveCommit(repo *git.Repository, ref string) (*object.Commit, error) {
	h, err := repo.ResolveRevision(plumbing.Revision(ref))
	if err != nil {
		return nil, fmt.Errorf("unknown revision %q", ref)
	}
	c, err := repo.CommitObject(*h)
	if err != nil {
		return nil, fmt.Errorf("revision %q is not a commit: %w", ref, err)
	}
	return c, nil
}

// Range builds the target for reviewing head against base the way GitHub
// shows a pull request: the diff from merge-base(base, head) to head, and
// what each commit in between added.
func Range(ctx context.Context, repo *git.Repository, base, head *object.Commit, lim Limits) (*checks.Target, error) {
	lim = lim.withDefaults()
	bases, err := head.MergeBase(base)
	if err != nil {
		return nil, fmt.Errorf("finding merge base of %s and %s: %w", short(base.Hash), short(head.Hash), err)
	}
	if len(bases) == 0 {
		return nil, fmt.Errorf("%s and %s have no common ancestor", short(base.Hash), short(head.Hash))
	}
	mb := bases[0]
	files, err := diffCommits(ctx, repo, mb, head)
	if err != nil {
		return nil, err
	}
	t := &checks.Target{}
	commits, truncated, err := rangeCommits(ctx, repo, mb, head, lim.MaxCommits)
	if err != nil {
		return nil, err
	}
	if truncated {
		t.AddNote(checks.Note{Check: "warden", Message: fmt.Sprintf("partial coverage: only the newest %d commits were searched for history", lim.MaxCommits), Unscanned: true})
	}
	var history []checks.Commit
	for _, c := range commits {
		hc, err := commitAdditions(ctx, repo, c)
		if err != nil {
			return nil, err
		}
		history = append(history, hc)
	}
	t.Diff = checks.NewDiff(mb.Hash.String(), head.Hash.String(), files, history)
	if t.Head, err = NewGitTree(repo, head, lim.MaxFileSize); err != nil {
		return nil, err
	}
	if t.Base, err = NewGitTree(repo, mb, lim.MaxFileSize); err != nil {
		return nil, err
	}
	return t, nil
}

// diffCommits is the file-level diff of two commits, with added lines and
// the hunks (three lines of context, as GitHub shows them) on the new side.
func diffCommits(ctx context.Context, repo *git.Repository, from, to *object.Commit) ([]checks.FileChange, error) {
	patches, err := patchBetween(ctx, repo, from, to)
	if err != nil {
		return nil, err
	}
	var out []checks.FileChange
	for _, fp := range patches {
		fc := checks.FileChange{Binary: fp.binary}
		switch {
		case fp.from == "" && fp.to != "":
			fc.Path, fc.Status = fp.to, checks.StatusAdded
		case fp.to == "":
			fc.Path, fc.Status = fp.from, checks.StatusDeleted
		default:
			fc.Path, fc.OldPath, fc.Status = fp.to, fp.from, checks.StatusModified
			if fp.from != fp.to {
				fc.Status = checks.StatusRenamed
			}
		}
		if fp.to != "" && (fp.toMode == filemode.Symlink || fp.toMode == filemode.Submodule) {
			continue
		}
		if !fc.Binary && fc.Status != checks.StatusDeleted {
			fc.Added, fc.Hunks = newSideLines(fp.chunks, nil)
		}
		out = append(out, fc)
	}
	return out, nil
}

// filePatch is one changed file: paths ("" when absent on that side),
// the new side's mode, and the line diff.
type filePatch struct {
	from, to string
	toMode   filemode.FileMode
	binary   bool
	chunks   []diff.Chunk
}

// patchBetween diffs two commits' trees and computes each file's line diff
// from the blobs. It does what go-git's Changes.Patch does, minus the check
// that a name is safe to check out, which would make one hostile file name
// fail the whole review; names are escaped wherever warden prints them.
func patchBetween(ctx context.Context, repo *git.Repository, from, to *object.Commit) ([]filePatch, error) {
	fromTree := &object.Tree{}
	if from != nil {
		t, err := from.Tree()
		if err != nil {
			return nil, err
		}
		fromTree = t
	}
	toTree, err := to.Tree()
	if err != nil {
		return nil, err
	}
	changes, err := object.DiffTreeWithOptions(ctx, fromTree, toTree, object.DefaultDiffTreeOptions)
	if err != nil {
		return nil, fmt.Errorf("diffing %s: %w", short(to.Hash), err)
	}
	out := make([]filePatch, 0, len(changes))
	for _, c := range changes {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		fp := filePatch{from: c.From.Name, to: c.To.Name, toMode: c.To.TreeEntry.Mode}
		if c.To.Name != "" && (fp.toMode == filemode.Symlink || fp.toMode == filemode.Submodule) {
			out = append(out, fp)
			continue
		}
		oldText, oldBinary, err := blobText(repo, c.From)
		if err != nil {
			return nil, err
		}
		newText, newBinary, err := blobText(repo, c.To)
		if err != nil {
			return nil, err
		}
		if fp.binary = oldBinary || newBinary; !fp.binary {
			for _, d := range gitdiff.Do(oldText, newText) {
				fp.chunks = append(fp.chunks, chunk{d})
			}
		}
		out = append(out, fp)
	}
	return out, nil
}

// blobText reads one side of a change ("" when the side is absent).
func blobText(repo *git.Repository, e object.ChangeEntry) (string, bool, error) {
	if e.Name == "" || e.TreeEntry.Mode == filemode.Submodule || e.TreeEntry.Mode == filemode.Symlink {
		return "", false, nil
	}
	blob, err := repo.BlobObject(e.TreeEntry.Hash)
	if err != nil {
		return "", false, fmt.Errorf("reading %s: %w", e.Name, err)
	}
	r, err := blob.Reader()
	if err != nil {
		return "", false, err
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		return "", false, err
	}
	if checks.LooksBinary(b) {
		return "", true, nil
	}
	return string(b), false, nil
}

// chunk adapts a line diff to go-git's diff.Chunk.
type chunk struct{ d diffmatchpatch.Diff }

func (c chunk) Content() string { return c.d.Text }

func (c chunk) Type() diff.Operation {
	switch c.d.Type {
	case diffmatchpatch.DiffInsert:
		return diff.Add
	case diffmatchpatch.DiffDelete:
		return diff.Delete
	}
	return diff.Equal
}

const hunkContext = 3

// newSideLines walks a file's chunks and returns the added lines and the
// hunk ranges on the new side. When text is non-nil each added line's text
// is appended to it.
func newSideLines(chunks []diff.Chunk, text *[]checks.Line) (added, hunks checks.Lines) {
	line := 1
	type block struct{ start, end int }
	var blocks []block
	for _, ch := range chunks {
		content := ch.Content()
		n := countLines(content)
		switch ch.Type() {
		case diff.Equal:
			line += n
		case diff.Add:
			if text != nil {
				parts := strings.Split(strings.TrimSuffix(content, "\n"), "\n")
				for i, p := range parts {
					*text = append(*text, checks.Line{Number: line + i, Text: p})
				}
			}
			for i := 0; i < n; i++ {
				added = added.Add(line + i)
			}
			blocks = append(blocks, block{line, line + n - 1})
			line += n
		case diff.Delete:
			blocks = append(blocks, block{line, line - 1})
		}
	}
	last := line - 1
	for _, b := range blocks {
		s := max(1, b.start-hunkContext)
		e := min(last, max(b.end, b.start-1)+hunkContext)
		if e < s {
			continue
		}
		if k := len(hunks); k > 0 && hunks[k-1].End >= s-1 {
			hunks[k-1].End = max(hunks[k-1].End, e)
			continue
		}
		hunks = append(hunks, checks.LineRange{Start: s, End: e})
	}
	return added, hunks
}

func countLines(s string) int {
	if s == "" {
		return 0
	}
	n := strings.Count(s, "\n")
	if !strings.HasSuffix(s, "\n") {
		n++
	}
	return n
}

// commitAdditions lists what one commit added relative to its first parent.
func commitAdditions(ctx context.Context, repo *git.Repository, c *object.Commit) (checks.Commit, error) {
	out := checks.Commit{SHA: c.Hash.String(), Author: c.Author.Name, Summary: firstLine(c.Message)}
	var parent *object.Commit
	if c.NumParents() > 0 {
		p, err := c.Parent(0)
		if err != nil {
			return out, fmt.Errorf("reading parent of %s: %w", short(c.Hash), err)
		}
		parent = p
	}
	patches, err := patchBetween(ctx, repo, parent, c)
	if err != nil {
		return out, err
	}
	for _, fp := range patches {
		if fp.to == "" || fp.binary || fp.toMode == filemode.Symlink || fp.toMode == filemode.Submodule {
			continue
		}
		var lines []checks.Line
		newSideLines(fp.chunks, &lines)
		if len(lines) > 0 {
			out.Files = append(out.Files, checks.AddedLines{Path: fp.to, Lines: lines})
		}
	}
	return out, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func short(h plumbing.Hash) string { return h.String()[:7] }

// rangeCommits returns the non-merge commits reachable from head but not
// from base, oldest first — `git rev-list base..head` — walking both sides
// newest-first so the walk stops once only base's history is left.
func rangeCommits(ctx context.Context, repo *git.Repository, base, head *object.Commit, limit int) ([]*object.Commit, bool, error) {
	const uninteresting = 1
	flags := map[plumbing.Hash]int{}
	q := &commitQueue{}
	push := func(c *object.Commit, f int) {
		if old, seen := flags[c.Hash]; seen {
			flags[c.Hash] = old | f
			return
		}
		flags[c.Hash] = f
		heap.Push(q, c)
	}
	push(base, uninteresting)
	push(head, 0)
	var picked []*object.Commit
	truncated := false
	for q.Len() > 0 {
		if ctx.Err() != nil {
			return nil, false, ctx.Err()
		}
		if q.allUninteresting(flags) {
			break
		}
		c := heap.Pop(q).(*object.Commit)
		f := flags[c.Hash]
		if f&uninteresting == 0 {
			if len(picked) >= limit {
				truncated = true
				break
			}
			picked = append(picked, c)
		}
		for _, ph := range c.ParentHashes {
			if old, seen := flags[ph]; seen {
				flags[ph] = old | f
				continue
			}
			p, err := repo.CommitObject(ph)
			if err != nil {
				continue // a shallow clone ends here
			}
			push(p, f)
		}
	}
	var out []*object.Commit
	for i := len(picked) - 1; i >= 0; i-- {
		c := picked[i]
		if flags[c.Hash]&uninteresting == 0 && c.NumParents() <= 1 {
			out = append(out, c)
		}
	}
	return out, truncated, nil
}

// commitQueue orders commits newest first by committer time.
type commitQueue []*object.Commit

func (q commitQueue) Len() int           { return len(q) }
func (q commitQueue) Less(i, j int) bool { return q[i].Committer.When.After(q[j].Committer.When) }
func (q commitQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *commitQueue) Push(x any)        { *q = append(*q, x.(*object.Commit)) }
func (q *commitQueue) Pop() any {
	old := *q
	c := old[len(old)-1]
	*q = old[:len(old)-1]
	return c
}

func (q commitQueue) allUninteresting(flags map[plumbing.Hash]int) bool {
	for _, c := range q {
		if flags[c.Hash]&1 == 0 {
			return false
		}
	}
	return true
}
