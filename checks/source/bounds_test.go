package source_test

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/source"
	"github.com/wardenbot/warden/internal/gittest"
)

// gitBomb commits, on top of parent, a directory "bomb" of depth levels
// with fanout entries each, all sharing one subtree: fanout^depth paths
// from depth+1 tree objects and one blob.
func gitBomb(t testing.TB, repo *git.Repository, parent *object.Commit, name string, fanout, depth int) *object.Commit {
	t.Helper()
	st := repo.Storer
	store := func(o interface {
		Encode(plumbing.EncodedObject) error
	}, typ plumbing.ObjectType) plumbing.Hash {
		obj := st.NewEncodedObject()
		obj.SetType(typ)
		if err := o.Encode(obj); err != nil {
			t.Fatal(err)
		}
		h, err := st.SetEncodedObject(obj)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	blob := st.NewEncodedObject()
	blob.SetType(plumbing.BlobObject)
	w, _ := blob.Writer()
	w.Write([]byte("boom\n"))
	w.Close()
	leaf, err := st.SetEncodedObject(blob)
	if err != nil {
		t.Fatal(err)
	}
	hash, mode := leaf, filemode.Regular
	for level := 0; level < depth; level++ {
		tree := &object.Tree{}
		for i := 0; i < fanout; i++ {
			tree.Entries = append(tree.Entries, object.TreeEntry{Name: string(rune('a'+i)) + "x", Mode: mode, Hash: hash})
		}
		hash, mode = store(tree, plumbing.TreeObject), filemode.Dir
	}
	base, err := parent.Tree()
	if err != nil {
		t.Fatal(err)
	}
	root := &object.Tree{Entries: append(append([]object.TreeEntry(nil), base.Entries...), object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: hash})}
	sort.Slice(root.Entries, func(i, j int) bool { return root.Entries[i].Name < root.Entries[j].Name })
	sig := object.Signature{Name: "Dev", Email: "dev@example.invalid", When: parent.Committer.When.Add(time.Minute)}
	c := &object.Commit{Author: sig, Committer: sig, Message: "add a bomb", TreeHash: store(root, plumbing.TreeObject), ParentHashes: []plumbing.Hash{parent.Hash}}
	ch := store(c, plumbing.CommitObject)
	commit, err := repo.CommitObject(ch)
	if err != nil {
		t.Fatal(err)
	}
	return commit
}

func unscanned(notes []checks.Note) []string {
	var out []string
	for _, n := range notes {
		if n.Unscanned {
			out = append(out, n.Path+": "+n.Message)
		}
	}
	return out
}

// TestGitBombStopsAtTheEntryLimit: a tree naming 10^8 paths through shared
// subtrees is walked up to the limit, and the rest is reported unscanned.
func TestGitBombStopsAtTheEntryLimit(t *testing.T) {
	b := gittest.New(t)
	base := b.Commit("base", map[string]string{"README.md": "hi\n"})
	head := gitBomb(t, b.Git, base, "bomb", 10, 8)
	start := time.Now()
	tgt, err := source.Range(context.Background(), b.Git, base, head, source.Limits{MaxTreeEntries: 50_000, MaxChangedEntries: 20_000})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("range took %s", took)
	}
	files, _ := tgt.Head.Files(context.Background())
	if len(files) > 50_000 {
		t.Errorf("listed %d files past the limit", len(files))
	}
	rep, err := checks.Run(context.Background(), tgt, checks.Options{})
	if err != nil {
		t.Fatal(err)
	}
	gaps := unscanned(rep.Notes)
	if len(gaps) == 0 || rep.Passes() || !strings.Contains(strings.Join(gaps, "\n"), "tree entries") {
		t.Errorf("the bomb must be reported unscanned and block: %v", gaps)
	}
}

// TestManyBombCommitsShareOneHistoryBudget: forty commits that each add
// a bomb cost the history search one budget, not forty.
func TestManyBombCommitsShareOneHistoryBudget(t *testing.T) {
	b := gittest.New(t)
	base := b.Commit("base", map[string]string{"README.md": "hi\n"})
	head := base
	for i := 0; i < 40; i++ {
		head = gitBomb(t, b.Git, head, "bomb"+string(rune('a'+i%26))+string(rune('a'+i/26)), 10, 6)
	}
	start := time.Now()
	tgt, err := source.Range(context.Background(), b.Git, base, head, source.Limits{MaxChangedEntries: 5_000})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("range took %s", took)
	}
	if len(tgt.Diff.Commits) >= 40 {
		t.Errorf("all %d commits searched past the history budget", len(tgt.Diff.Commits))
	}
	rep, err := checks.Run(context.Background(), tgt, checks.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if gaps := strings.Join(unscanned(rep.Notes), "\n"); !strings.Contains(gaps, "history search stopped") {
		t.Errorf("the stop is not reported: %s", gaps)
	}
}

// TestNewlineBlobInSeveralCommitsIsCapped: megabytes of empty lines added
// over several commits keep at most the per-file cap of lines each, and
// the cap is reported.
func TestNewlineBlobInSeveralCommitsIsCapped(t *testing.T) {
	b := gittest.New(t)
	base := b.Commit("base", map[string]string{"README.md": "hi\n"})
	b.Branch("pr", base)
	var head *object.Commit
	for i := 1; i <= 3; i++ {
		head = b.Commit("more", map[string]string{"blank.txt": strings.Repeat("\n", i<<20) + "end\n"})
	}
	tgt, err := source.Range(context.Background(), b.Git, base, head, source.Limits{MaxAddedLines: 100_000})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range tgt.Diff.Commits {
		for _, f := range c.Files {
			n := 0
			for _, r := range f.Runs {
				n += r.Lines()
			}
			if n > 100_000 {
				t.Errorf("commit %s keeps %d lines of %s", c.SHA[:7], n, f.Path)
			}
		}
	}
	if fc := tgt.Diff.File("blank.txt"); fc == nil || fc.Added.Count() != 3<<20+1 {
		t.Errorf("head diff: %+v", fc)
	}
	rep, err := checks.Run(context.Background(), tgt, checks.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if gaps := unscanned(rep.Notes); len(gaps) == 0 || !strings.Contains(gaps[0], "first 100000 lines") {
		t.Errorf("the cap is not reported: %v", gaps)
	}
}

// TestRangeDiffOfBinaryAndTextSides: a stray NUL leaves a file text; a
// binary replaced by text counts as all added; a real binary is binary and
// its new text runs reach the history.
func TestRangeDiffOfBinaryAndTextSides(t *testing.T) {
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\b\x06\x00\x00\x00"
	b := gittest.New(t)
	base := b.Commit("base", map[string]string{"was-image.txt": png + "\x00\x01\x02", "logo.png": png + "tEXt\x00old comment text\x00"})
	b.Branch("pr", base)
	head := b.Commit("change", map[string]string{
		"stray.sh":      "#!/bin/sh\n\x00\nexport TOKEN=abc\n",
		"was-image.txt": "plain text now\nsecond line\n",
		"logo.png":      png + "tEXt\x00old comment text\x00" + "tEXt\x00a new comment here\x00",
	})
	tgt, err := source.Range(context.Background(), b.Git, base, head, source.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if fc := tgt.Diff.File("stray.sh"); fc == nil || fc.Binary || fc.Added.Count() != 3 {
		t.Errorf("stray.sh: %+v", fc)
	}
	if fc := tgt.Diff.File("was-image.txt"); fc == nil || fc.Binary || fc.Added.Count() != 2 {
		t.Errorf("was-image.txt: %+v", fc)
	}
	if fc := tgt.Diff.File("logo.png"); fc == nil || !fc.Binary {
		t.Errorf("logo.png: %+v", fc)
	}
	var runs []string
	for _, f := range tgt.Diff.Commits[0].Files {
		if f.Path == "logo.png" {
			if !f.Binary {
				t.Error("logo.png additions not marked binary")
			}
			for _, r := range f.Runs {
				runs = append(runs, r.Text)
			}
		}
	}
	if len(runs) != 1 || runs[0] != "a new comment here" {
		t.Errorf("binary additions %q, want only the new text run", runs)
	}
}

// TestBlobOverTheSizeLimit: a blob too large to read whole is not diffed:
// every line of it counts as added, and its history is a gap.
func TestBlobOverTheSizeLimit(t *testing.T) {
	b := gittest.New(t)
	base := b.Commit("base", map[string]string{"README.md": "hi\n"})
	b.Branch("pr", base)
	head := b.Commit("big", map[string]string{"data.csv": strings.Repeat("a,b,c,d,e,f,g,h,i,j\n", 100)})
	tgt, err := source.Range(context.Background(), b.Git, base, head, source.Limits{MaxFileSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if fc := tgt.Diff.File("data.csv"); fc == nil || fc.Added.Count() != 100 {
		t.Errorf("data.csv: %+v", fc)
	}
	rep, err := checks.Run(context.Background(), tgt, checks.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if gaps := strings.Join(unscanned(rep.Notes), "\n"); !strings.Contains(gaps, "data.csv: lines added in") || !strings.Contains(gaps, "over the 1000 bytes limit") {
		t.Errorf("the unread history is not reported: %s", gaps)
	}
}

// TestExactRenameIsPaired: moving a file unchanged is one rename.
func TestExactRenameIsPaired(t *testing.T) {
	b := gittest.New(t)
	base := b.Commit("base", map[string]string{"auth/keys.go": "package auth\n"})
	b.Branch("pr", base)
	head := b.Commit("move", map[string]string{"auth/keys.go": "", "internal/keys.go": "package auth\n"})
	tgt, err := source.Range(context.Background(), b.Git, base, head, source.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	fc := tgt.Diff.File("internal/keys.go")
	if fc == nil || fc.Status != checks.StatusRenamed || fc.OldPath != "auth/keys.go" || len(tgt.Diff.Files) != 1 {
		t.Errorf("files %+v", tgt.Diff.Files)
	}
}
