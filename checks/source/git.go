package source

import (
	"bytes"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"sync"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/sniff"
)

// Limits bound the work a git range may cause. Everything in a range is
// chosen by the author of the change, so each is a cap on memory or time;
// what lies beyond a cap is reported as not scanned, never dropped silently.
type Limits struct {
	MaxCommits  int   // commits of the range examined for history checks
	MaxFileSize int64 // blobs larger than this are not read whole (ReadFile, line diffs)
	// MaxTreeEntries caps the entries listed of one tree, and
	// MaxChangedEntries those one diff (of the range or of a commit) may
	// visit: a git bomb names millions of paths with a few objects.
	MaxTreeEntries    int
	MaxChangedEntries int
	// MaxAddedLines caps the lines one commit's additions to one file keep
	// for history checks; MaxRangeAddedLines and MaxRangeAddedBytes cap
	// them over all commits of the range.
	MaxAddedLines      int
	MaxRangeAddedLines int
	MaxRangeAddedBytes int64
}

// DefaultLimits are used for zero fields.
var DefaultLimits = Limits{
	MaxCommits:         1000,
	MaxFileSize:        16 << 20,
	MaxTreeEntries:     500_000,
	MaxChangedEntries:  50_000,
	MaxAddedLines:      1 << 20,
	MaxRangeAddedLines: 4 << 20,
	MaxRangeAddedBytes: 128 << 20,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxCommits == 0 {
		l.MaxCommits = d.MaxCommits
	}
	if l.MaxFileSize == 0 {
		l.MaxFileSize = d.MaxFileSize
	}
	if l.MaxTreeEntries == 0 {
		l.MaxTreeEntries = d.MaxTreeEntries
	}
	if l.MaxChangedEntries == 0 {
		l.MaxChangedEntries = d.MaxChangedEntries
	}
	if l.MaxAddedLines == 0 {
		l.MaxAddedLines = d.MaxAddedLines
	}
	if l.MaxRangeAddedLines == 0 {
		l.MaxRangeAddedLines = d.MaxRangeAddedLines
	}
	if l.MaxRangeAddedBytes == 0 {
		l.MaxRangeAddedBytes = d.MaxRangeAddedBytes
	}
	return l
}

// GitTree is the tree of one commit, read from the object store: no work
// tree is needed, so nothing in it can be a live symlink.
type GitTree struct {
	repo    *git.Repository
	infos   []checks.FileInfo // sorted by path
	hashes  []plumbing.Hash   // the blob of each of infos
	maxSize int64
	// Truncated is set when the tree has more entries than the walk was
	// allowed to list; Files then holds the first ones only.
	Truncated bool

	// small keeps small blobs once read: checks read a file several
	// times, and a tree may name one blob under many paths.
	mu         sync.Mutex
	small      map[plumbing.Hash][]byte
	smallBytes int
}

const (
	smallBlob      = 64 << 10
	smallBlobTotal = 16 << 20
)

// NewGitTree lists the tree of commit, at most DefaultLimits.MaxTreeEntries
// entries of it (see Truncated).
func NewGitTree(repo *git.Repository, commit *object.Commit, maxFileSize int64) (*GitTree, error) {
	return newGitTree(context.Background(), repo, commit, maxFileSize, DefaultLimits.MaxTreeEntries)
}

func newGitTree(ctx context.Context, repo *git.Repository, commit *object.Commit, maxFileSize int64, maxEntries int) (*GitTree, error) {
	tree, err := commit.Tree()
	if err != nil {
		return nil, fmt.Errorf("reading tree of %s: %w", short(commit.Hash), err)
	}
	g := &GitTree{repo: repo, maxSize: maxFileSize}
	sizes := map[plumbing.Hash]int64{}
	// Names unsafe to check out (control characters, .git look-alikes) are
	// listed like any other: warden never checks anything out, it reads
	// blobs from the object store and escapes names when it prints them.
	err = walkTree(ctx, repo, tree, "", &budget{left: maxEntries}, func(name string, e object.TreeEntry) {
		switch e.Mode {
		case filemode.Symlink:
			g.infos = append(g.infos, checks.FileInfo{Path: name, Kind: checks.KindSymlink})
			g.hashes = append(g.hashes, plumbing.ZeroHash)
		case filemode.Submodule:
			g.infos = append(g.infos, checks.FileInfo{Path: name, Kind: checks.KindSubmodule})
			g.hashes = append(g.hashes, plumbing.ZeroHash)
		case filemode.Regular, filemode.Executable, filemode.Deprecated:
			n, ok := sizes[e.Hash]
			if !ok {
				if obj, err := repo.Storer.EncodedObject(plumbing.BlobObject, e.Hash); err == nil {
					n = obj.Size()
				}
				if len(sizes) < maxCachedSizes {
					sizes[e.Hash] = n
				}
			}
			g.infos = append(g.infos, checks.FileInfo{Path: name, Size: n})
			g.hashes = append(g.hashes, e.Hash)
		}
	})
	switch {
	case errors.Is(err, errBudget):
		g.Truncated = true
	case err != nil:
		return nil, fmt.Errorf("walking tree of %s: %w", short(commit.Hash), err)
	}
	sort.Sort(byPath{g})
	return g, nil
}

// maxCachedSizes bounds the blob sizes a listing remembers.
const maxCachedSizes = 1 << 16

// byPath sorts a tree's entries and their hashes together.
type byPath struct{ g *GitTree }

func (b byPath) Len() int           { return len(b.g.infos) }
func (b byPath) Less(i, j int) bool { return b.g.infos[i].Path < b.g.infos[j].Path }
func (b byPath) Swap(i, j int) {
	b.g.infos[i], b.g.infos[j] = b.g.infos[j], b.g.infos[i]
	b.g.hashes[i], b.g.hashes[j] = b.g.hashes[j], b.g.hashes[i]
}

// Files lists the tree's entries.
func (g *GitTree) Files(ctx context.Context) ([]checks.FileInfo, error) { return g.infos, nil }

// ReadFile reads a regular file's blob, up to the size limit.
func (g *GitTree) ReadFile(ctx context.Context, path string) ([]byte, error) {
	blob, cached, err := g.blob(path)
	if err != nil {
		return nil, err
	}
	if cached != nil {
		return bytes.Clone(cached), nil // the caller may change its copy
	}
	if g.maxSize > 0 && blob.Size > g.maxSize {
		return nil, fmt.Errorf("%s: %w", path, checks.ErrTooLarge)
	}
	b, err := readBlob(blob, g.maxSize)
	if err == nil {
		g.keep(blob.Hash, bytes.Clone(b))
	}
	return b, err
}

// Open streams a regular file's blob, whatever its size.
func (g *GitTree) Open(ctx context.Context, path string) (io.ReadCloser, error) {
	blob, cached, err := g.blob(path)
	if err != nil {
		return nil, err
	}
	if cached != nil {
		return io.NopCloser(bytes.NewReader(cached)), nil
	}
	if blob.Size <= smallBlob {
		b, err := readBlob(blob, smallBlob)
		if err != nil {
			return nil, err
		}
		g.keep(blob.Hash, b)
		return io.NopCloser(bytes.NewReader(b)), nil
	}
	return blob.Reader()
}

// blob finds a path's blob: its content when kept, else the object.
func (g *GitTree) blob(path string) (*object.Blob, []byte, error) {
	i := sort.Search(len(g.infos), func(i int) bool { return g.infos[i].Path >= path })
	if i == len(g.infos) || g.infos[i].Path != path || g.infos[i].Kind != checks.KindRegular {
		return nil, nil, fmt.Errorf("%s: %w", path, checks.ErrNotFound)
	}
	h := g.hashes[i]
	g.mu.Lock()
	b, ok := g.small[h]
	g.mu.Unlock()
	if ok {
		return nil, b, nil
	}
	blob, err := g.repo.BlobObject(h)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return blob, nil, nil
}

// keep remembers a small blob's content, which nobody else may hold.
func (g *GitTree) keep(h plumbing.Hash, b []byte) {
	if len(b) > smallBlob {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.smallBytes+len(b) > smallBlobTotal {
		return
	}
	if g.small == nil {
		g.small = map[plumbing.Hash][]byte{}
	}
	if _, ok := g.small[h]; !ok {
		g.small[h] = b
		g.smallBytes += len(b)
	}
}

// readBlob reads a blob whole; limit (when positive) bounds what is read
// even if the object's header understates its size.
func readBlob(blob *object.Blob, limit int64) ([]byte, error) {
	r, err := blob.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	n := blob.Size
	if limit > 0 {
		n = min(n, limit)
	}
	b, err := io.ReadAll(io.LimitReader(r, n+1))
	if err != nil {
		return nil, err
	}
	if limit > 0 && int64(len(b)) > limit {
		return nil, checks.ErrTooLarge
	}
	return b, nil
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
	t := &checks.Target{}
	rs := &rangeScan{ctx: ctx, repo: repo, lim: lim, t: t, history: budget{left: 2 * lim.MaxChangedEntries}}
	files, err := rs.diffCommits(mb, head)
	if err != nil {
		return nil, err
	}
	commits, truncated, err := rangeCommits(ctx, repo, mb, head, lim.MaxCommits)
	if err != nil {
		return nil, err
	}
	if truncated {
		rs.gap("", fmt.Sprintf("partial coverage: only the newest %d commits were searched for history", lim.MaxCommits))
	}
	var history []checks.Commit
	for i, c := range commits {
		if rs.historyFull {
			rs.gap("", fmt.Sprintf("partial coverage: the history search stopped after %d of %d commits at a limit; later commits were not searched", i, len(commits)))
			break
		}
		hc, err := rs.commitAdditions(c)
		if err != nil {
			return nil, err
		}
		history = append(history, hc)
	}
	t.Diff = checks.NewDiff(mb.Hash.String(), head.Hash.String(), files, history)
	headTree, err := newGitTree(ctx, repo, head, lim.MaxFileSize, lim.MaxTreeEntries)
	if err != nil {
		return nil, err
	}
	if headTree.Truncated {
		rs.gap("", fmt.Sprintf("partial coverage: the head tree has more than %d entries; only the first %d were listed", lim.MaxTreeEntries, lim.MaxTreeEntries))
	}
	baseTree, err := newGitTree(ctx, repo, mb, lim.MaxFileSize, lim.MaxTreeEntries)
	if err != nil {
		return nil, err
	}
	if baseTree.Truncated {
		t.AddNote(checks.Note{Check: "warden", Message: fmt.Sprintf("the base tree has more than %d entries; files past them were compared as if absent", lim.MaxTreeEntries)})
	}
	t.Head, t.Base = headTree, baseTree
	return t, nil
}

// rangeScan reads one range's trees and blobs within its limits and
// records what it could not cover as notes on the target.
type rangeScan struct {
	ctx  context.Context
	repo *git.Repository
	lim  Limits
	t    *checks.Target

	addedLines  int   // history lines kept so far
	addedBytes  int64 // and their bytes
	historyFull bool  // a range cap was reached
	// history is the tree entries all commit diffs together may visit, so
	// a thousand commits each touching a bomb cost one bomb's worth.
	history budget

	// cache keeps small blobs read once: a tree that names the same blob
	// many times costs one read.
	cache      map[blobKey]blobSide
	cacheBytes int64
}

// blobKey is a blob under a file name: the name takes part in telling
// text from binary.
type blobKey struct {
	hash plumbing.Hash
	base string
}

const (
	cacheBlobMax  = 64 << 10
	cacheBytesMax = 64 << 20
)

// gap records part of the change that was not reviewed.
func (rs *rangeScan) gap(path, msg string) {
	rs.t.AddNote(checks.Note{Check: "warden", Path: path, Message: msg, Unscanned: true})
}

func (rs *rangeScan) trees(from, to *object.Commit) (*object.Tree, *object.Tree, error) {
	var fromTree *object.Tree
	if from != nil {
		t, err := from.Tree()
		if err != nil {
			return nil, nil, fmt.Errorf("reading tree of %s: %w", short(from.Hash), err)
		}
		fromTree = t
	}
	toTree, err := to.Tree()
	if err != nil {
		return nil, nil, fmt.Errorf("reading tree of %s: %w", short(to.Hash), err)
	}
	return fromTree, toTree, nil
}

// changes lists the paths that differ between two commits, within the tree
// entry budget b; what is past the budget is noted as not reviewed.
func (rs *rangeScan) changes(from, to *object.Commit, what string, b *budget) ([]change, error) {
	fromTree, toTree, err := rs.trees(from, to)
	if err != nil {
		return nil, err
	}
	cs, err := diffTrees(rs.ctx, rs.repo, fromTree, toTree, b)
	switch {
	case errors.Is(err, errBudget):
		rs.gap("", fmt.Sprintf("partial coverage: %s touches more tree entries than the limit allows; the files past them were not reviewed", what))
	case err != nil:
		return nil, fmt.Errorf("diffing %s: %w", short(to.Hash), err)
	}
	return cs, nil
}

// diffCommits is the file-level diff of two commits, with added lines and
// the hunks (three lines of context, as GitHub shows them) on the new side.
func (rs *rangeScan) diffCommits(from, to *object.Commit) ([]checks.FileChange, error) {
	cs, err := rs.changes(from, to, "the change", &budget{left: rs.lim.MaxChangedEntries})
	if err != nil {
		return nil, err
	}
	var out []checks.FileChange
	for _, c := range cs {
		if err := rs.ctx.Err(); err != nil {
			return nil, err
		}
		var fc checks.FileChange
		switch {
		case c.from.name == "":
			fc.Path, fc.Status = c.to.name, checks.StatusAdded
		case c.to.name == "":
			fc.Path, fc.Status = c.from.name, checks.StatusDeleted
		default:
			fc.Path, fc.OldPath, fc.Status = c.to.name, c.from.name, checks.StatusModified
			if c.from.name != c.to.name {
				fc.Status = checks.StatusRenamed
			}
		}
		if c.to.name != "" && !regular(c.to.mode) {
			continue // symlinks and submodules are never read
		}
		if fc.Status == checks.StatusDeleted {
			out = append(out, fc)
			continue
		}
		newSide, err := rs.read(c.to)
		if err != nil {
			return nil, err
		}
		switch {
		case newSide.kind == sniff.Binary:
			fc.Binary = true
		case newSide.tooLarge:
			// Too large to diff: every line of it counts as added.
			if newSide.lines > 0 {
				fc.Added = checks.Lines{{Start: 1, End: newSide.lines}}
				fc.Hunks = fc.Added
			}
		default:
			oldSide, err := rs.read(c.from)
			if err != nil {
				return nil, err
			}
			d := diffText(rs.ctx, oldSide.diffable(), newSide.text, defaultDiffLimits)
			if !d.exact {
				rs.t.AddNote(checks.Note{Check: "warden", Path: fc.Path, Message: "the line diff was too large to compute exactly; every line of the changed part counts as added"})
			}
			fc.Added, fc.Hunks = newSideLines(d)
		}
		out = append(out, fc)
	}
	return out, nil
}

// blobSide is one side of a change, read for diffing.
type blobSide struct {
	kind     sniff.Kind
	text     string // UTF-8 text (UTF-16 decoded); for binaries the raw bytes
	tooLarge bool   // over MaxFileSize: not read whole
	lines    int    // lines of a too large text blob
}

// diffable is the text to diff against: none for a binary, so a binary
// replaced by text counts as all added.
func (b blobSide) diffable() string {
	if b.kind == sniff.Binary || b.tooLarge {
		return ""
	}
	return b.text
}

// read reads one side of a change: nothing when the side is absent or not
// a regular file, only its kind and line count when over the size limit.
func (rs *rangeScan) read(s side) (blobSide, error) {
	if s.name == "" || !regular(s.mode) {
		return blobSide{}, nil
	}
	key := blobKey{s.hash, path.Base(s.name)}
	if b, ok := rs.cache[key]; ok {
		return b, nil
	}
	b, err := rs.readBlob(s)
	if err == nil && !b.tooLarge && len(b.text) <= cacheBlobMax && rs.cacheBytes+int64(len(b.text)) <= cacheBytesMax {
		if rs.cache == nil {
			rs.cache = map[blobKey]blobSide{}
		}
		rs.cache[key] = b
		rs.cacheBytes += int64(len(b.text))
	}
	return b, err
}

func (rs *rangeScan) readBlob(s side) (blobSide, error) {
	blob, err := rs.repo.BlobObject(s.hash)
	if err != nil {
		return blobSide{}, fmt.Errorf("reading %s: %w", s.name, err)
	}
	if blob.Size > rs.lim.MaxFileSize {
		return rs.measure(s.name, blob)
	}
	b, err := readBlob(blob, rs.lim.MaxFileSize)
	if errors.Is(err, checks.ErrTooLarge) {
		return rs.measure(s.name, blob)
	}
	if err != nil {
		return blobSide{}, fmt.Errorf("reading %s: %w", s.name, err)
	}
	out := blobSide{kind: sniff.Classify(s.name, b), text: string(b)}
	if out.kind == sniff.UTF16LE || out.kind == sniff.UTF16BE {
		dec, err := io.ReadAll(io.LimitReader(sniff.DecodeUTF16(bytes.NewReader(b), out.kind), 2*rs.lim.MaxFileSize))
		if err != nil {
			return blobSide{}, fmt.Errorf("decoding %s: %w", s.name, err)
		}
		out.text = string(dec)
	}
	return out, nil
}

// measure streams a blob too large to read whole: its kind from the first
// bytes and its line count.
func (rs *rangeScan) measure(name string, blob *object.Blob) (blobSide, error) {
	r, err := blob.Reader()
	if err != nil {
		return blobSide{}, fmt.Errorf("reading %s: %w", name, err)
	}
	defer r.Close()
	out := blobSide{tooLarge: true}
	buf := make([]byte, 256<<10)
	first, read, last := true, false, byte('\n')
	for {
		if err := rs.ctx.Err(); err != nil {
			return blobSide{}, err
		}
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			if first {
				out.kind = sniff.Classify(name, buf[:n])
				first = false
			}
			out.lines += bytes.Count(buf[:n], []byte{'\n'})
			read = true
			last = buf[n-1]
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return blobSide{}, fmt.Errorf("reading %s: %w", name, err)
		}
	}
	if read && last != '\n' {
		out.lines++
	}
	return out, nil
}

const hunkContext = 3

// newSideLines returns the added lines and the hunk ranges on the new side.
func newSideLines(d lineDiff) (added, hunks checks.Lines) {
	line := 1
	type block struct{ start, end int }
	var blocks []block
	for _, e := range d.edits {
		switch e.op {
		case opEqual:
			line += e.n
		case opAdd:
			if k := len(added); k > 0 && added[k-1].End == line-1 {
				added[k-1].End = line + e.n - 1
			} else {
				added = append(added, checks.LineRange{Start: line, End: line + e.n - 1})
			}
			blocks = append(blocks, block{line, line + e.n - 1})
			line += e.n
		case opDelete:
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

// addedText returns the runs of lines d adds, at most limit lines in all,
// copied out of the blob so it can be released; more reports whether lines
// were left out.
func addedText(d lineDiff, limit int) (runs []checks.AddedRun, n int, more bool) {
	line := 1
	rest := d.newMid
	take := func(k int) string { // the next k lines of the middle
		end := 0
		for i := 0; i < k && end < len(rest); i++ {
			j := strings.IndexByte(rest[end:], '\n')
			if j < 0 {
				end = len(rest)
				break
			}
			end += j + 1
		}
		s := rest[:end]
		rest = rest[end:]
		return s
	}
	for _, e := range d.edits {
		switch e.op {
		case opEqual:
			if line > d.newFirst { // equal lines inside the middle
				take(e.n)
			}
			line += e.n
		case opAdd:
			k := e.n
			if n+k > limit {
				k, more = limit-n, true
			}
			if k > 0 {
				runs = append(runs, checks.AddedRun{Start: line, Text: strings.Clone(strings.TrimSuffix(take(k), "\n"))})
				n += k
			}
			if more {
				return runs, n, true
			}
			line += e.n
		}
	}
	return runs, n, false
}

// binaryAdded lists the text runs of a binary blob that its previous
// version did not have, numbered by their place among the new runs.
func binaryAdded(oldRaw, newRaw string, limit int) (runs []checks.AddedRun, n int, more bool) {
	textRuns := func(s string) []string {
		b, _ := io.ReadAll(sniff.TextRuns(strings.NewReader(s), sniff.MinRun))
		return splitLines(string(b))
	}
	had := map[string]bool{}
	for _, l := range textRuns(oldRaw) {
		had[l] = true
	}
	var cur []string
	start := 0
	flush := func() {
		if len(cur) > 0 {
			runs = append(runs, checks.AddedRun{Start: start, Text: strings.Clone(strings.Join(cur, "\n"))})
			cur = nil
		}
	}
	for i, l := range textRuns(newRaw) {
		if had[l] {
			flush()
			continue
		}
		if n == limit {
			more = true
			break
		}
		if len(cur) == 0 {
			start = i + 1
		}
		cur = append(cur, l)
		n++
	}
	flush()
	return runs, n, more
}

// commitAdditions lists what one commit added relative to its first parent,
// within the per-file and per-range caps.
func (rs *rangeScan) commitAdditions(c *object.Commit) (checks.Commit, error) {
	out := checks.Commit{SHA: c.Hash.String(), Author: c.Author.Name, Summary: firstLine(c.Message)}
	var parent *object.Commit
	if c.NumParents() > 0 {
		p, err := c.Parent(0)
		if err != nil {
			return out, fmt.Errorf("reading parent of %s: %w", short(c.Hash), err)
		}
		parent = p
	}
	perCommit := &budget{left: min(rs.lim.MaxChangedEntries, rs.history.left), trees: rs.history.trees}
	cs, err := rs.changes(parent, c, "commit "+short(c.Hash), perCommit)
	rs.history.left -= min(rs.lim.MaxChangedEntries, rs.history.left) - perCommit.left
	rs.history.trees = perCommit.trees
	if err != nil {
		return out, err
	}
	if rs.history.left <= 0 {
		rs.historyFull = true
	}
	for _, ch := range cs {
		if err := rs.ctx.Err(); err != nil {
			return out, err
		}
		if ch.to.name == "" || !regular(ch.to.mode) {
			continue
		}
		if rs.historyFull {
			return out, nil
		}
		newSide, err := rs.read(ch.to)
		if err != nil {
			return out, err
		}
		if newSide.tooLarge {
			rs.gap(ch.to.name, fmt.Sprintf("lines added in %s not searched for secrets: the file is over the %s limit", short(c.Hash), humanSize(rs.lim.MaxFileSize)))
			continue
		}
		oldSide, err := rs.read(ch.from)
		if err != nil {
			return out, err
		}
		limit := min(rs.lim.MaxAddedLines, rs.lim.MaxRangeAddedLines-rs.addedLines)
		var runs []checks.AddedRun
		var n int
		var more bool
		if newSide.kind == sniff.Binary {
			old := ""
			if oldSide.kind == sniff.Binary {
				old = oldSide.text
			}
			runs, n, more = binaryAdded(old, newSide.text, limit)
		} else {
			runs, n, more = addedText(diffText(rs.ctx, oldSide.diffable(), newSide.text, defaultDiffLimits), limit)
		}
		var size int64
		for i, r := range runs {
			if rs.addedBytes+size+int64(len(r.Text))+1 > rs.lim.MaxRangeAddedBytes {
				for _, dropped := range runs[i:] {
					n -= dropped.Lines()
				}
				runs, more = runs[:i], true
				rs.historyFull = true
				break
			}
			size += int64(len(r.Text)) + 1
		}
		rs.addedLines += n
		rs.addedBytes += size
		if rs.addedLines >= rs.lim.MaxRangeAddedLines && more {
			rs.historyFull = true
		}
		switch {
		case rs.historyFull:
			rs.gap("", fmt.Sprintf("partial coverage: the history search stopped at %s in %s (over %d added lines or %s in the range); later additions were not searched", ch.to.name, short(c.Hash), rs.lim.MaxRangeAddedLines, humanSize(rs.lim.MaxRangeAddedBytes)))
		case more:
			rs.gap(ch.to.name, fmt.Sprintf("only the first %d lines added in %s were searched for secrets", limit, short(c.Hash)))
		}
		if len(runs) > 0 {
			out.Files = append(out.Files, checks.AddedLines{Path: ch.to.name, Runs: runs, Binary: newSide.kind == sniff.Binary})
		}
	}
	return out, nil
}

// humanSize is a byte count for people.
func humanSize(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
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
