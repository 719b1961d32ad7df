package source_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/source"
	"github.com/wardenbot/warden/internal/gittest"
)

func lines(n int, prefix string) string {
	var sb strings.Builder
	for i := 1; i <= n; i++ {
		sb.WriteString(prefix)
		sb.WriteString(strings.Repeat("x", i%7))
		sb.WriteString("\n")
	}
	return sb.String()
}

func TestRangeDiffsFromMergeBaseAndListsCommits(t *testing.T) {
	b := gittest.New(t)
	base := b.Commit("base", map[string]string{"app.txt": lines(20, "line"), "other.txt": "keep\n"})
	b.Branch("pr", base)
	c1 := b.Commit("add key", map[string]string{"config.txt": "token = one\n"})
	c2 := b.Commit("remove key", map[string]string{"config.txt": "token = from-env\n"})
	// Insert two lines after line 10 of app.txt.
	app := strings.Split(lines(20, "line"), "\n")
	edited := strings.Join(append(append(append([]string{}, app[:10]...), "new one", "new two"), app[10:]...), "\n")
	c3 := b.Commit("unrelated", map[string]string{"app.txt": edited})
	// main moves on after the fork point: its change must not appear in the diff.
	b.Checkout("main")
	mainTip := b.Commit("main moves", map[string]string{"other.txt": "changed on main\n", "main-only.txt": "m\n"})

	tgt, err := source.Range(context.Background(), b.Git, mainTip, c3, source.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	d := tgt.Diff
	if d.Base != base.Hash.String() || d.Head != c3.Hash.String() {
		t.Fatalf("diff %s..%s, want merge-base %s..%s", d.Base[:7], d.Head[:7], base.Hash.String()[:7], c3.Hash.String()[:7])
	}
	if d.File("other.txt") != nil || d.File("main-only.txt") != nil {
		t.Error("changes made on main after the fork point leaked into the PR diff")
	}
	app2 := d.File("app.txt")
	if app2 == nil || app2.Status != checks.StatusModified {
		t.Fatalf("app.txt not modified: %+v", d.Files)
	}
	if len(app2.Added) != 1 || app2.Added[0] != (checks.LineRange{Start: 11, End: 12}) {
		t.Errorf("added lines %+v, want 11-12", app2.Added)
	}
	if len(app2.Hunks) != 1 || app2.Hunks[0] != (checks.LineRange{Start: 8, End: 15}) {
		t.Errorf("hunk %+v, want 8-15 (three lines of context)", app2.Hunks)
	}
	if cfg := d.File("config.txt"); cfg == nil || cfg.Status != checks.StatusAdded || !cfg.Added.Contains(1) {
		t.Errorf("config.txt: %+v", cfg)
	}
	if len(d.Commits) != 3 {
		t.Fatalf("want the PR's 3 commits, got %d", len(d.Commits))
	}
	want := []string{c1.Hash.String(), c2.Hash.String(), c3.Hash.String()}
	for i, c := range d.Commits {
		if c.SHA != want[i] {
			t.Errorf("commit %d is %s, want %s (oldest first)", i, c.SHA[:7], want[i][:7])
		}
	}
	added := d.Commits[0].Files
	if len(added) != 1 || added[0].Path != "config.txt" || added[0].Runs[0] != (checks.AddedRun{Start: 1, Text: "token = one"}) {
		t.Errorf("first commit's additions: %+v", added)
	}
	if got, err := tgt.Base.ReadFile(context.Background(), "other.txt"); err != nil || string(got) != "keep\n" {
		t.Errorf("base tree is not the merge-base: %q %v", got, err)
	}
}

func TestRangeExcludesMainCommitsMergedIntoTheBranch(t *testing.T) {
	b := gittest.New(t)
	root := b.Commit("root", map[string]string{"a.txt": "a\n"})
	b.Branch("pr", root)
	mine := b.Commit("mine", map[string]string{"b.txt": "b\n"})
	b.Checkout("main")
	theirs := b.Commit("theirs", map[string]string{"c.txt": "c\n"})
	b.Checkout("pr")
	head := b.Merge("merge main", theirs, map[string]string{"c.txt": "c\n"})
	h := head.Hash
	tgt, err := source.Range(context.Background(), b.Git, theirs, head, source.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range tgt.Diff.Commits {
		if c.SHA == theirs.Hash.String() || c.SHA == root.Hash.String() {
			t.Errorf("commit %s from main listed as part of the PR", c.SHA[:7])
		}
		if c.SHA == h.String() {
			t.Error("merge commit listed")
		}
	}
	found := false
	for _, c := range tgt.Diff.Commits {
		found = found || c.SHA == mine.Hash.String()
	}
	if !found {
		t.Error("the branch's own commit is missing")
	}
}

func TestRangeCommitLimitIsNoted(t *testing.T) {
	b := gittest.New(t)
	base := b.Commit("base", map[string]string{"a.txt": "0\n"})
	b.Branch("pr", base)
	var head *object.Commit
	for i := 0; i < 5; i++ {
		head = b.Commit("c", map[string]string{"a.txt": strings.Repeat("x\n", i+2)})
	}
	tgt, err := source.Range(context.Background(), b.Git, base, head, source.Limits{MaxCommits: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(tgt.Diff.Commits) != 2 {
		t.Errorf("want 2 commits under the limit, got %d", len(tgt.Diff.Commits))
	}
	rep, err := checks.Run(context.Background(), tgt, checks.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Notes) == 0 || !strings.Contains(rep.Notes[0].Message, "partial coverage") {
		t.Errorf("the limit is not reported: %+v", rep.Notes)
	}
}

func TestUnknownRevisionAndNoRepository(t *testing.T) {
	b := gittest.New(t)
	b.Commit("c", map[string]string{"a": "a\n"})
	if _, err := source.ResolveCommit(b.Git, "no-such-branch"); err == nil || !strings.Contains(err.Error(), "unknown revision") {
		t.Errorf("got %v", err)
	}
	if _, err := source.OpenRepo(t.TempDir()); err == nil || !strings.Contains(err.Error(), "not inside a git repository") {
		t.Errorf("got %v", err)
	}
}

func TestDirTreeNeverFollowsSymlinks(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "passwd"), []byte("root:x:0:0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "real.txt"), []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Symlink(filepath.Join(outside, "passwd"), filepath.Join(root, "link.txt"))
	os.Symlink(outside, filepath.Join(root, "linkdir"))
	os.Symlink("loop", filepath.Join(root, "loop"))
	os.MkdirAll(filepath.Join(root, ".git"), 0o755)
	os.WriteFile(filepath.Join(root, ".git", "config"), []byte("[core]\n"), 0o644)

	tree, err := source.Dir(root)
	if err != nil {
		t.Fatal(err)
	}
	files, err := tree.Files(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]checks.FileKind{}
	for _, f := range files {
		kinds[f.Path] = f.Kind
	}
	if kinds["real.txt"] != checks.KindRegular || kinds["link.txt"] != checks.KindSymlink || kinds["linkdir"] != checks.KindSymlink {
		t.Errorf("kinds: %+v", kinds)
	}
	if _, ok := kinds[".git/config"]; ok {
		t.Error(".git was listed")
	}
	for _, p := range []string{"link.txt", "linkdir/passwd", "loop", "../" + filepath.Base(outside) + "/passwd", "/etc/passwd"} {
		if b, err := tree.ReadFile(context.Background(), p); err == nil {
			t.Errorf("ReadFile(%q) read through a link or out of the tree: %q", p, b)
		}
	}
	rep, err := checks.Run(context.Background(), &checks.Target{Head: tree}, checks.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Stats.Files != 1 {
		t.Errorf("want only real.txt scanned, got %d files", rep.Stats.Files)
	}
}

func TestGitTreeListsSymlinksWithoutReadingThem(t *testing.T) {
	b := gittest.New(t)
	b.Commit("file", map[string]string{"ok.txt": "fine\n"})
	c := b.Symlink("link", "evil", "/etc/passwd")
	tree, err := source.NewGitTree(b.Git, c, 0)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := tree.Files(context.Background())
	for _, f := range files {
		if f.Path == "evil" && f.Kind != checks.KindSymlink {
			t.Error("symlink listed as a regular file")
		}
	}
	if _, err := tree.ReadFile(context.Background(), "evil"); err == nil {
		t.Error("symlink blob was read as a file")
	}
}

func TestDirTreeHonoursGitignoreInAWorkTree(t *testing.T) {
	r := gittest.New(t)
	r.Commit("c", map[string]string{".gitignore": "/build/\n*.log\n!keep.log\n", "src/a.go": "package a\n"})
	for p, c := range map[string]string{"build/out.bin": "x", "debug.log": "x", "keep.log": "x", "src/new.go": "package a\n"} {
		full := filepath.Join(r.Dir, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(full), 0o755)
		os.WriteFile(full, []byte(c), 0o644)
	}
	tree, err := source.Dir(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	tree.Ignored = source.GitIgnored(r.Dir)
	if tree.Ignored == nil {
		t.Fatal("no gitignore filter for a work tree")
	}
	files, _ := tree.Files(context.Background())
	var got []string
	for _, f := range files {
		got = append(got, f.Path)
	}
	want := ".gitignore keep.log src/a.go src/new.go"
	if strings.Join(got, " ") != want {
		t.Errorf("files %v, want %s (untracked but not ignored files are scanned)", got, want)
	}
	if source.GitIgnored(t.TempDir()) != nil {
		t.Error("a plain directory got a gitignore filter")
	}
}

// A file name git accepts but that is unsafe to check out (a control
// character) must not fail the review: warden never checks files out.
func TestRangeToleratesNamesUnsafeToCheckOut(t *testing.T) {
	b := gittest.New(t)
	base := b.Commit("base", map[string]string{"a.txt": "a\n"})
	b.Branch("pr", base)
	// go-git's work tree refuses these names, git accepts them: commit with
	// git itself (this repository is the test's own, not scanned input).
	os.MkdirAll(filepath.Join(b.Dir, "docs"), 0o755)
	os.WriteFile(filepath.Join(b.Dir, "docs", "red\x1b[31m.txt"), []byte("one\ntwo\n"), 0o644)
	os.WriteFile(filepath.Join(b.Dir, "line\nbreak.txt"), []byte("x\n"), 0o644)
	for _, args := range [][]string{{"add", "-A"}, {"commit", "-q", "-m", "odd names"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = b.Dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=Dev", "GIT_AUTHOR_EMAIL=dev@example.invalid", "GIT_COMMITTER_NAME=Dev", "GIT_COMMITTER_EMAIL=dev@example.invalid")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Skipf("git %v: %v %s", args, err, out)
		}
	}
	ref, err := b.Git.Head()
	if err != nil {
		t.Fatal(err)
	}
	head, err := b.Git.CommitObject(ref.Hash())
	if err != nil {
		t.Fatal(err)
	}
	tgt, err := source.Range(context.Background(), b.Git, base, head, source.Limits{})
	if err != nil {
		t.Fatalf("a control character in a file name failed the range: %v", err)
	}
	fc := tgt.Diff.File("docs/red\x1b[31m.txt")
	if fc == nil || fc.Added.Count() != 2 {
		t.Fatalf("the oddly named file's additions: %+v", tgt.Diff.Files)
	}
	if got, err := tgt.Head.ReadFile(context.Background(), "docs/red\x1b[31m.txt"); err != nil || string(got) != "one\ntwo\n" {
		t.Errorf("its content is not scanned: %q %v", got, err)
	}
	if len(tgt.Diff.Commits) != 1 || len(tgt.Diff.Commits[0].Files) != 2 {
		t.Errorf("history additions: %+v", tgt.Diff.Commits)
	}
}
