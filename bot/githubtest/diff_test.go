package githubtest

import (
	"context"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// The fake's hunks must be git's hunks (3 lines of context), since review
// anchors are judged against them.
func TestDiffMatchesGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git CLI not installed")
	}
	base := lines(1, 60)
	head := strings.Replace(base, "line 1\n", "line 1 edited\n", 1)
	head = strings.Replace(head, "line 12\n", "", 1)
	head = strings.Replace(head, "line 18\n", "line 18\nnew after 18\n", 1) // merges with the hunk at 12
	head = strings.Replace(head, "line 40\n", "line 40 x\n", 1)
	head += "tail 1\ntail 2\n"
	s, w := newWorld(t, WorldSpec{BaseFiles: map[string]string{"a.txt": base, "gone.txt": "bye\n"}, HeadFiles: map[string]string{"a.txt": head, "new.txt": "one\ntwo\n"}, HeadDeletes: []string{"gone.txt"}})
	pr, _ := s.PullRequest(w.Repo.FullName(), w.PR.Number)
	files, err := s.pullDiff(context.Background(), &pr)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 3 {
		t.Fatalf("%d files, want 3", len(files))
	}
	atAt := regexp.MustCompile(`(?m)^(@@ [^@]+ @@).*$`)
	for _, fd := range files {
		cmd := exec.Command("git", "--git-dir", s.git.repoDir(w.Repo.FullName()), "diff", "-U3", w.BaseSHA, w.HeadSHA, "--", fd.Path)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git diff: %v", err)
		}
		text := string(out)
		text = text[strings.Index(text, "\n@@")+1:]
		want := strings.TrimSuffix(atAt.ReplaceAllString(text, "$1"), "\n")
		if got := fd.Patch(); got != want {
			t.Errorf("%s (%s):\n--- fake\n%s\n--- git\n%s", fd.Path, fd.Status, got, want)
		}
	}
}
