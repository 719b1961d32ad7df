package secrets

import (
	"context"
	"strings"
	"testing"

	"github.com/wardenbot/warden/checks"
)

// TestDiffDeletedKeyStillReported: commit 1 adds a key, commit 2 deletes
// it, commit 3 changes something else. The head is clean, but the key leaked.
func TestDiffDeletedKeyStillReported(t *testing.T) {
	key := join("AKIA", rnd(70, upper2, 16))
	head := memTree{
		"cloud/aws.go": "package cloud\n\nvar region = \"eu-west-1\"\n",
		"README.md":    "# app\nNow with docs.\n",
	}
	shaAdd, shaDel, shaDoc := "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", "b2c3d4e5f60718293a4b5c6d7e8f901234567890", "c3d4e5f60718293a4b5c6d7e8f90123456789012"
	diff := checks.NewDiff("base", "head",
		[]checks.FileChange{{Path: "README.md", Status: checks.StatusModified, Added: checks.Lines{{Start: 2, End: 2}}}},
		[]checks.Commit{
			{SHA: shaAdd, Files: []checks.AddedLines{{Path: "cloud/aws.go", Runs: []checks.AddedRun{{Start: 4, Text: "var id = \"" + key + "\""}}}}},
			{SHA: shaDel, Files: nil},
			{SHA: shaDoc, Files: []checks.AddedLines{{Path: "README.md", Runs: []checks.AddedRun{{Start: 2, Text: "Now with docs."}}}}},
		})
	tg := &checks.Target{Head: head, Diff: diff, Paths: []string{"README.md"}, MaxFileSize: checks.DefaultMaxFileSize}
	fs, err := newCheck(t, Options{}).Run(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1: %+v", len(fs), fs)
	}
	f := fs[0]
	if f.RuleID != "secrets/aws-access-token" || f.Path != "cloud/aws.go" || f.StartLine != 4 {
		t.Errorf("finding at %s %s:%d, want aws-access-token at cloud/aws.go:4", f.RuleID, f.Path, f.StartLine)
	}
	if f.Commit != shaAdd || !f.Introduced {
		t.Errorf("commit %q introduced %v, want %s and true", f.Commit, f.Introduced, shaAdd)
	}
	if !strings.Contains(f.Message, "a1b2c3d") || !strings.Contains(f.Message, "still leaked") {
		t.Errorf("message %q should name the short sha and say it is still leaked", f.Message)
	}
	if f.Snippet != `var id = "AKIA****************"` {
		t.Errorf("snippet %q", f.Snippet)
	}
}

// TestDiffKeyStillInHead: a key added by a commit and still in the head on
// an added line is reported once, at the head line, naming the commit.
func TestDiffKeyStillInHead(t *testing.T) {
	key := join("ghp", "_", rnd(71, alnum, 36))
	head := memTree{"ci/env.sh": "#!/bin/sh\nexport A=1\nexport GH_TOKEN=" + key + "\n"}
	sha := "d4e5f60718293a4b5c6d7e8f9012345678901234"
	diff := checks.NewDiff("base", "head",
		[]checks.FileChange{{Path: "ci/env.sh", Status: checks.StatusModified, Added: checks.Lines{{Start: 2, End: 3}}}},
		[]checks.Commit{
			{SHA: sha, Files: []checks.AddedLines{{Path: "ci/env.sh", Runs: []checks.AddedRun{{Start: 2, Text: "export GH_TOKEN=" + key}}}}},
			{SHA: "e5f60718293a4b5c6d7e8f901234567890123456", Files: []checks.AddedLines{{Path: "ci/env.sh", Runs: []checks.AddedRun{{Start: 2, Text: "export A=1"}}}}},
		})
	tg := &checks.Target{Head: head, Diff: diff, Paths: []string{"ci/env.sh"}, MaxFileSize: checks.DefaultMaxFileSize}
	fs, err := newCheck(t, Options{}).Run(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1: %+v", len(fs), fs)
	}
	if f := fs[0]; f.StartLine != 3 || f.Commit != sha || !strings.Contains(f.Message, "d4e5f60") {
		t.Errorf("got line %d commit %q message %q; want head line 3 naming d4e5f60", f.StartLine, f.Commit, f.Message)
	}
}

// TestDiffInlineAllowOnCommitLine: warden:allow on a historical line is
// honoured by the check itself (the runner cannot see that line).
// TestDiffAllowMarkerAddedByTheChangeDoesNotSilence: every line of a
// commit's additions is the change's own, so a warden:allow (or
// gitleaks:allow) among them silences nothing.
func TestDiffAllowMarkerAddedByTheChangeDoesNotSilence(t *testing.T) {
	key := join("AKIA", rnd(72, upper2, 16))
	for _, marker := range []string{"// warden:allow secrets/aws-access-token", "// gitleaks:allow"} {
		diff := checks.NewDiff("base", "head", nil, []checks.Commit{{SHA: "f60718293a4b5c6d7e8f90123456789012345678", Files: []checks.AddedLines{{Path: "x.go", Runs: []checks.AddedRun{
			{Start: 1, Text: marker + "\nvar k = \"" + key + "\" " + marker},
		}}}}})
		tg := &checks.Target{Head: memTree{}, Diff: diff, MaxFileSize: checks.DefaultMaxFileSize}
		fs, err := newCheck(t, Options{}).Run(context.Background(), tg)
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) != 1 || fs[0].StartLine != 2 {
			t.Errorf("%s: want the key reported at line 2, got %+v", marker, fs)
		}
	}
}
