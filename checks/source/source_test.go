package source_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/source"
)

// repoBuilder makes commits in a real repository on disk.
type repoBuilder struct {
	t    *testing.T
	dir  string
	repo *git.Repository
	wt   *git.Worktree
	when time.Time
}

func newRepo(t *testing.T) *repoBuilder {
	t.Helper()
	dir := t.TempDir()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	return &repoBuilder{t: t, dir: dir, repo: repo, wt: wt, when: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

// commit writes files (an empty content deletes the file) and commits.
func (b *repoBuilder) commit(msg string, files map[string]string) *object.Commit {
	b.t.Helper()
	for p, c := range files {
		full := filepath.Join(b.dir, p)
		if c == "" {
			if _, err := b.wt.Remove(p); err != nil {
				b.t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			b.t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			b.t.Fatal(err)
		}
		if _, err := b.wt.Add(p); err != nil {
			b.t.Fatal(err)
		}
	}
	b.when = b.when.Add(time.Minute)
	sig := &object.Signature{Name: "Dev", Email: "dev@example.invalid", When: b.when}
	h, err := b.wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig, AllowEmptyCommits: true})
	if err != nil {
		b.t.Fatal(err)
	}
	c, err := b.repo.CommitObject(h)
	if err != nil {
		b.t.Fatal(err)
	}
	return c
}

func (b *repoBuilder) branch(name string, from *object.Commit) {
	b.t.Helper()
	if err := b.wt.Checkout(&git.CheckoutOptions{Branch: plumbing.NewBranchReferenceName(name), Hash: from.Hash, Create: true, Force: true}); err != nil {
		b.t.Fatal(err)
	}
}

func (b *repoBuilder) checkout(name string) {
	b.t.Helper()
	if err := b.wt.Checkout(&git.CheckoutOptions{Branch: plumbing.NewBranchReferenceName(name), Force: true}); err != nil {
		b.t.Fatal(err)
	}
}

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
	b := newRepo(t)
	base := b.commit("base", map[string]string{"app.txt": lines(20, "line"), "other.txt": "keep\n"})
	b.branch("pr", base)
	c1 := b.commit("add key", map[string]string{"config.txt": "token = one\n"})
	c2 := b.commit("remove key", map[string]string{"config.txt": "token = from-env\n"})
	// Insert two lines after line 10 of app.txt.
	app := strings.Split(lines(20, "line"), "\n")
	edited := strings.Join(append(append(append([]string{}, app[:10]...), "new one", "new two"), app[10:]...), "\n")
	c3 := b.commit("unrelated", map[string]string{"app.txt": edited})
	// main moves on after the fork point: its change must not appear in the diff.
	b.checkout("master")
	mainTip := b.commit("main moves", map[string]string{"other.txt": "changed on main\n", "main-only.txt": "m\n"})

	tgt, err := source.Range(context.Background(), b.repo, mainTip, c3, source.Limits{})
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
	if len(added) != 1 || added[0].Path != "config.txt" || added[0].Lines[0] != (checks.Line{Number: 1, Text: "token = one"}) {
		t.Errorf("first commit's additions: %+v", added)
	}
	if got, err := tgt.Base.ReadFile(context.Background(), "other.txt"); err != nil || string(got) != "keep\n" {
		t.Errorf("base tree is not the merge-base: %q %v", got, err)
	}
}

func TestRangeExcludesMainCommitsMergedIntoTheBranch(t *testing.T) {
	b := newRepo(t)
	root := b.commit("root", map[string]string{"a.txt": "a\n"})
	b.branch("pr", root)
	mine := b.commit("mine", map[string]string{"b.txt": "b\n"})
	b.checkout("master")
	theirs := b.commit("theirs", map[string]string{"c.txt": "c\n"})
	b.checkout("pr")
	// Merge master into pr (a two-parent commit).
	tree := map[string]string{"c.txt": "c\n"}
	merged := b.commit("merge master", tree)
	mc, _ := b.repo.CommitObject(merged.Hash)
	_ = mc
	// go-git's worktree commit takes parents from options; rebuild the merge with both parents.
	sig := &object.Signature{Name: "Dev", Email: "dev@example.invalid", When: b.when.Add(time.Minute)}
	h, err := b.wt.Commit("real merge", &git.CommitOptions{Author: sig, Committer: sig, Parents: []plumbing.Hash{merged.Hash, theirs.Hash}, AllowEmptyCommits: true})
	if err != nil {
		t.Fatal(err)
	}
	head, _ := b.repo.CommitObject(h)
	tgt, err := source.Range(context.Background(), b.repo, theirs, head, source.Limits{})
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
	b := newRepo(t)
	base := b.commit("base", map[string]string{"a.txt": "0\n"})
	b.branch("pr", base)
	var head *object.Commit
	for i := 0; i < 5; i++ {
		head = b.commit("c", map[string]string{"a.txt": strings.Repeat("x\n", i+2)})
	}
	tgt, err := source.Range(context.Background(), b.repo, base, head, source.Limits{MaxCommits: 2})
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
	b := newRepo(t)
	b.commit("c", map[string]string{"a": "a\n"})
	if _, err := source.ResolveCommit(b.repo, "no-such-branch"); err == nil || !strings.Contains(err.Error(), "unknown revision") {
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
	b := newRepo(t)
	os.Symlink("/etc/passwd", filepath.Join(b.dir, "evil"))
	b.wt.Add("evil")
	c := b.commit("link", map[string]string{"ok.txt": "fine\n"})
	tree, err := source.NewGitTree(b.repo, c, 0)
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
