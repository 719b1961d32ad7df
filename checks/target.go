package checks

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/wardenbot/warden/checks/sniff"
)

// ErrNotFound is returned by Tree.ReadFile for a path the tree lacks.
var ErrNotFound = errors.New("file not found")

// ErrTooLarge is returned by Tree.ReadFile when a file exceeds the
// tree's size limit.
var ErrTooLarge = errors.New("file too large")

// FileKind says what a tree entry is. Only regular files are ever read:
// symlinks and submodules are listed so they can be reported, never followed.
type FileKind int

const (
	KindRegular FileKind = iota
	KindSymlink
	KindSubmodule
)

// FileInfo describes one tree entry.
type FileInfo struct {
	Path string // slash-separated, relative to the tree root
	Size int64
	Kind FileKind
}

// Tree is a read-only snapshot of a repository's files: a directory on disk
// or a commit in a git object store. Implementations never follow symlinks.
type Tree interface {
	// Files lists every entry, sorted by path.
	Files(ctx context.Context) ([]FileInfo, error)
	// ReadFile returns a regular file's content, or ErrNotFound.
	ReadFile(ctx context.Context, path string) ([]byte, error)
}

// Target is what checks run against. Head is always set; Base and Diff only
// when a change is reviewed (a PR, or `warden scan --base`).
type Target struct {
	Head Tree
	Base Tree  // nil in a full-tree scan
	Diff *Diff // nil in a full-tree scan

	// Paths are the regular files checks should look at: every file of Head
	// in a full scan, the added or modified files in a diff scan; ignored
	// paths and oversized files are already removed.
	Paths []string

	// Sizes maps each of Paths and Large to its size in bytes.
	Sizes map[string]int64

	// Large are the regular files left out of Paths for being over
	// MaxFileSize. A check that streams files (checks.Open) may still
	// search them; the runner has already noted them for the others.
	Large []string

	// MaxFileSize is the largest file a check should read (bytes).
	MaxFileSize int64

	notesInit sync.Once
	notes     *noteSink
}

// Note is something a check wants the reader to know that is not a finding:
// a skipped binary file, a limit hit, data that was unavailable.
type Note struct {
	Check   string `json:"check"`
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
	// Unscanned marks part of the change the review could not check: a
	// file over a limit, data that was unavailable, analysis stopped early.
	// A security gate that did not look must not pass, so an unscanned
	// note keeps the review from passing unless the policy accepts gaps.
	Unscanned bool `json:"unscanned"`
}

type noteSink struct {
	mu    sync.Mutex
	notes []Note
}

// AddNote records a note for the report. Safe for concurrent use.
func (t *Target) AddNote(n Note) {
	s := t.sink()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notes = append(s.notes, n)
}

func (t *Target) sink() *noteSink {
	t.notesInit.Do(func() { t.notes = &noteSink{} })
	return t.notes
}

// IsDiff reports whether the target is a change rather than a whole tree.
func (t *Target) IsDiff() bool { return t.Diff != nil }

// LooksBinary reports whether a file is no UTF-8 text for a parser to
// read: a real binary (by magic bytes, extension and content, see package
// sniff) or text in UTF-16. A few stray bytes, NULs included, do not make a
// file binary, so nothing can be hidden from a check behind one.
func LooksBinary(path string, content []byte) bool {
	return sniff.Classify(path, content) != sniff.Text
}

// Opener is implemented by trees that can stream a file of any size.
type Opener interface {
	Open(ctx context.Context, path string) (io.ReadCloser, error)
}

// Open streams a regular file of tree, whatever its size when the tree is
// an Opener; otherwise it is ReadFile (and its size limit) behind a reader.
func Open(ctx context.Context, tree Tree, path string) (io.ReadCloser, error) {
	if o, ok := tree.(Opener); ok {
		return o.Open(ctx, path)
	}
	b, err := tree.ReadFile(ctx, path)
	if err != nil {
		return nil, err
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

// LineRange is an inclusive range of 1-based line numbers.
type LineRange struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Lines is a sorted set of non-overlapping line ranges.
type Lines []LineRange

// Contains reports whether line n is in the set.
func (ls Lines) Contains(n int) bool { return ls.Overlaps(n, n) }

// Overlaps reports whether any line of start..end is in the set.
func (ls Lines) Overlaps(start, end int) bool {
	if end < start {
		end = start
	}
	i := sort.Search(len(ls), func(i int) bool { return ls[i].End >= start })
	return i < len(ls) && ls[i].Start <= end
}

// Count is the number of lines in the set.
func (ls Lines) Count() int {
	n := 0
	for _, r := range ls {
		n += r.End - r.Start + 1
	}
	return n
}

// Add appends line n; lines must be added in ascending order.
func (ls Lines) Add(n int) Lines {
	if k := len(ls); k > 0 && ls[k-1].End >= n-1 {
		if n > ls[k-1].End {
			ls[k-1].End = n
		}
		return ls
	}
	return append(ls, LineRange{Start: n, End: n})
}

// ChangeStatus says how a change touched a file.
type ChangeStatus string

const (
	StatusAdded    ChangeStatus = "added"
	StatusModified ChangeStatus = "modified"
	StatusDeleted  ChangeStatus = "deleted"
	StatusRenamed  ChangeStatus = "renamed"
)

// FileChange is one file of a diff, on the new (head) side.
type FileChange struct {
	Path    string       `json:"path"`               // new path ("" never; for deletions the old path)
	OldPath string       `json:"old_path,omitempty"` // set for renames and modifications
	Status  ChangeStatus `json:"status"`
	Binary  bool         `json:"binary,omitempty"`
	// Added are the head-side lines the change adds.
	Added Lines `json:"added"`
	// Hunks are the head-side ranges of the diff's hunks, three lines of
	// context included: the lines a review comment can be anchored to.
	Hunks Lines `json:"hunks"`
}

// AddedRun is consecutive lines one commit added, the first of them line
// Start (1-based), joined by '\n' without a final one. Runs keep history
// compact: a commit adding a million short lines costs their bytes, not a
// record per line.
type AddedRun struct {
	Start int
	Text  string
}

// Lines is the number of lines in the run.
func (r AddedRun) Lines() int { return strings.Count(r.Text, "\n") + 1 }

// AddedLines are the lines one commit added to one file.
type AddedLines struct {
	Path string
	Runs []AddedRun
	// Binary marks the text runs of a binary file: their numbers order
	// them but are no line numbers of the file.
	Binary bool
}

// Commit is one commit of a change with what it added, for checks that must
// look at history (a secret added and deleted again is still leaked).
type Commit struct {
	SHA     string
	Author  string
	Summary string
	Files   []AddedLines
}

// Diff is the change from the merge-base to the head.
type Diff struct {
	Base    string // merge-base commit
	Head    string // head commit
	Files   []FileChange
	Commits []Commit // oldest first; merge commits are omitted

	byPath map[string]*FileChange
}

// NewDiff indexes files by path.
func NewDiff(base, head string, files []FileChange, commits []Commit) *Diff {
	d := &Diff{Base: base, Head: head, Files: files, Commits: commits, byPath: make(map[string]*FileChange, len(files))}
	sort.Slice(d.Files, func(i, j int) bool { return d.Files[i].Path < d.Files[j].Path })
	for i := range d.Files {
		d.byPath[d.Files[i].Path] = &d.Files[i]
	}
	return d
}

// File returns the change to path, or nil if the diff does not touch it.
func (d *Diff) File(path string) *FileChange {
	if d == nil {
		return nil
	}
	return d.byPath[path]
}

// AddedLineCount is the number of lines the diff adds.
func (d *Diff) AddedLineCount() int {
	n := 0
	for _, f := range d.Files {
		n += f.Added.Count()
	}
	return n
}
