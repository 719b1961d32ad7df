package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/wardenbot/warden/internal/gittest"
	"github.com/wardenbot/warden/internal/wardenbin"
)

// Hostile branches against the source layer: how files, commits and trees
// can hide a secret or exhaust the scanner. Each is scanned by the real
// binary under scanConstrained's limits and must end in a verdict: exit 1
// where a secret is hidden or part of the change could not be checked.

// hostileOut is the JSON report's shape these tests read.
type hostileOut struct {
	Findings []struct {
		RuleID  string `json:"rule_id"`
		Path    string `json:"path"`
		Line    int    `json:"start_line"`
		Message string `json:"message"`
		New     bool   `json:"new"`
	} `json:"findings"`
	Summary struct {
		Blocking    int  `json:"blocking"`
		Preexisting int  `json:"preexisting"`
		Unscanned   int  `json:"unscanned"`
		Passes      bool `json:"passes"`
	} `json:"summary"`
	Notes []struct {
		Path      string `json:"path"`
		Message   string `json:"message"`
		Unscanned bool   `json:"unscanned"`
	} `json:"notes"`
}

func scanHostile(t *testing.T, dir string) (constrainedResult, hostileOut) {
	t.Helper()
	args := []string{"--offline", "--base", "main", "--format", "json", dir}
	res := scanConstrained(t, args...)
	t.Logf("scan took %s, exit %d", res.Took.Round(time.Millisecond), res.Code)
	measurePeak(t, args)
	var out hostileOut
	if err := json.Unmarshal([]byte(res.Stdout), &out); err != nil {
		t.Fatalf("exit %d, output is not JSON: %v\nstdout: %s\nstderr: %s", res.Code, err, clip(res.Stdout), clip(res.Stderr))
	}
	return res, out
}

// measurePeak reports the scan's peak resident memory when
// WARDEN_MEASURE_PEAK is set (it runs the scan a second time, unlimited).
func measurePeak(t *testing.T, args []string) {
	if os.Getenv("WARDEN_MEASURE_PEAK") == "" {
		return
	}
	out, err := exec.Command("/usr/bin/time", append([]string{"-f", "peak %M KiB, %e s", wardenbin.Path(t), "scan"}, args...)...).CombinedOutput()
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	t.Logf("measured: %s (%v)", lines[len(lines)-1], err)
}

func (o hostileOut) has(rule, path string) bool {
	for _, f := range o.Findings {
		if f.RuleID == rule && f.Path == path && f.New {
			return true
		}
	}
	return false
}

func (o hostileOut) gap(contains string) bool {
	for _, n := range o.Notes {
		if n.Unscanned && strings.Contains(n.Message, contains) {
			return true
		}
	}
	return false
}

func wantExit(t *testing.T, res constrainedResult, code int) {
	t.Helper()
	if res.Code != code {
		t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", res.Code, code, clip(res.Stdout), clip(res.Stderr))
	}
}

// TestHostileNULByteBeforeSecret: one NUL byte used to make a file
// "binary" and unscanned.
func TestHostileNULByteBeforeSecret(t *testing.T) {
	r := gittest.New(t)
	base := r.Commit("base", map[string]string{"README.md": "hello\n"})
	r.Branch("feature", base)
	r.Commit("deploy script", map[string]string{"deploy.sh": "#!/bin/sh\n\x00\nexport GH_TOKEN=" + githubToken() + "\n"})
	res, out := scanHostile(t, r.Dir)
	wantExit(t, res, exitFindings)
	if !out.has("secrets/github-pat", "deploy.sh") {
		t.Errorf("token behind a NUL byte not found: %+v", out.Findings)
	}
}

// minifiedBundle is a one-line JavaScript bundle of about n bytes.
func minifiedBundle(n int) string {
	unit := "function a(b){return b.map(function(c){return c*2}).filter(Boolean)};var d=[1,2,3];"
	return strings.Repeat(unit, n/len(unit)+1)
}

// TestHostileSecretAtEndOfLargeBundle: a token at the end of a 6 MiB
// minified bundle, past every other check's size limit.
func TestHostileSecretAtEndOfLargeBundle(t *testing.T) {
	r := gittest.New(t)
	base := r.Commit("base", map[string]string{"README.md": "hello\n"})
	r.Branch("feature", base)
	r.Commit("build output", map[string]string{"dist/app.min.js": minifiedBundle(6<<20) + "var t=\"" + githubToken() + "\";\n"})
	res, out := scanHostile(t, r.Dir)
	wantExit(t, res, exitFindings)
	if !out.has("secrets/github-pat", "dist/app.min.js") {
		t.Errorf("token at the end of the bundle not found: %+v", out.Findings)
	}
	if !out.gap("over the 5.0 MiB file size limit") {
		t.Errorf("the other checks could not read it; want it listed as not checked: %+v", out.Notes)
	}
}

// TestHostileAllowMarkerAddedByBranch: a branch cannot silence its own
// secret with a marker it adds; the marker is reported too.
func TestHostileAllowMarkerAddedByBranch(t *testing.T) {
	r := gittest.New(t)
	base := r.Commit("base", map[string]string{"config.py": "DEBUG = False\n"})
	r.Branch("feature", base)
	r.Commit("config", map[string]string{"config.py": "DEBUG = False\nTOKEN = \"" + githubToken() + "\"  # warden:allow test fixture\n"})
	res, out := scanHostile(t, r.Dir)
	wantExit(t, res, exitFindings)
	if !out.has("secrets/github-pat", "config.py") || !out.has("warden/suppression-added", "config.py") {
		t.Errorf("want the token and the added marker reported: %+v", out.Findings)
	}
}

// TestAllowMarkerAtBaseStillSilences is the true negative: the same
// marker already in the base silences the finding in a change that edits
// the file elsewhere, where without it the finding counts as pre-existing.
func TestAllowMarkerAtBaseStillSilences(t *testing.T) {
	for _, tc := range []struct {
		marker      string
		preexisting int
	}{{"  # warden:allow test fixture", 0}, {"", 1}} {
		r := gittest.New(t)
		fixture := "TOKEN = \"" + githubToken() + "\"" + tc.marker + "\n"
		base := r.Commit("base", map[string]string{"fixtures.py": fixture})
		r.Branch("feature", base)
		r.Commit("more fixtures", map[string]string{"fixtures.py": fixture + "NAME = \"demo\"\n"})
		res, out := scanHostile(t, r.Dir)
		wantExit(t, res, exitOK)
		if len(out.Findings) != 0 || out.Summary.Preexisting != tc.preexisting {
			t.Errorf("marker %q: findings %+v, %d pre-existing, want none and %d", tc.marker, out.Findings, out.Summary.Preexisting, tc.preexisting)
		}
	}
}

// TestHostileNewlineBlobInSeveralCommits: 8 MiB of empty lines grown over
// four commits, with a token at the end, must not build per-line lists the
// size of the blob in each commit.
func TestHostileNewlineBlobInSeveralCommits(t *testing.T) {
	r := gittest.New(t)
	base := r.Commit("base", map[string]string{"README.md": "hello\n"})
	r.Branch("feature", base)
	for i := 1; i <= 4; i++ {
		content := strings.Repeat("\n", i*(2<<20))
		if i == 4 {
			content += "GH_TOKEN=" + githubToken() + "\n"
		}
		r.Commit("grow", map[string]string{"blank.env": content})
	}
	res, out := scanHostile(t, r.Dir)
	wantExit(t, res, exitFindings)
	if !out.has("secrets/github-pat", "blank.env") {
		t.Errorf("token after 8 MiB of newlines not found: %+v", out.Findings)
	}
}

// gitBomb commits on top of parent a directory "bomb" of depth levels with
// fanout entries each, all sharing one subtree: fanout^depth paths from
// depth tree objects and one blob, built with go-git's plumbing.
func gitBomb(t *testing.T, repo *git.Repository, parent *object.Commit, fanout, depth int) plumbing.Hash {
	t.Helper()
	st := repo.Storer
	put := func(typ plumbing.ObjectType, encode func(plumbing.EncodedObject) error) plumbing.Hash {
		obj := st.NewEncodedObject()
		obj.SetType(typ)
		if err := encode(obj); err != nil {
			t.Fatal(err)
		}
		h, err := st.SetEncodedObject(obj)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	hash := put(plumbing.BlobObject, func(o plumbing.EncodedObject) error {
		w, err := o.Writer()
		if err != nil {
			return err
		}
		defer w.Close()
		_, err = w.Write([]byte("boom\n"))
		return err
	})
	mode := filemode.Regular
	for level := 0; level < depth; level++ {
		tree := &object.Tree{}
		for i := 0; i < fanout; i++ {
			tree.Entries = append(tree.Entries, object.TreeEntry{Name: "d" + string(rune('0'+i)), Mode: mode, Hash: hash})
		}
		hash, mode = put(plumbing.TreeObject, tree.Encode), filemode.Dir
	}
	baseTree, err := parent.Tree()
	if err != nil {
		t.Fatal(err)
	}
	root := &object.Tree{Entries: append(append([]object.TreeEntry(nil), baseTree.Entries...), object.TreeEntry{Name: "bomb", Mode: filemode.Dir, Hash: hash})}
	sort.Slice(root.Entries, func(i, j int) bool { return root.Entries[i].Name < root.Entries[j].Name })
	sig := object.Signature{Name: "Dev", Email: "dev@example.invalid", When: parent.Committer.When.Add(time.Minute)}
	commit := &object.Commit{Author: sig, Committer: sig, Message: "add a directory", TreeHash: put(plumbing.TreeObject, root.Encode), ParentHashes: []plumbing.Hash{parent.Hash}}
	return put(plumbing.CommitObject, commit.Encode)
}

// TestHostileGitBomb: ten entries per tree, eight levels deep, all one
// subtree: 10^8 paths from nine objects. The walk stops at its limit and
// the review fails as not fully checked.
func TestHostileGitBomb(t *testing.T) {
	r := gittest.New(t)
	base := r.Commit("base", map[string]string{"README.md": "hello\n"})
	r.Branch("feature", base)
	bomb := gitBomb(t, r.Git, base, 10, 8)
	if err := r.Git.Storer.SetReference(plumbing.NewHashReference(plumbing.NewBranchReferenceName("feature"), bomb)); err != nil {
		t.Fatal(err)
	}
	res, out := scanHostile(t, r.Dir)
	wantExit(t, res, exitFindings)
	if !out.gap("tree entries") || out.Summary.Passes {
		t.Errorf("want the bomb reported as not checked: %+v", out.Notes)
	}
}

// TestHostileHugeRewrite: every line of an 80,000-line file rewritten, a
// token among them; the line diff gives up in bounded time and counts
// every new line as added.
func TestHostileHugeRewrite(t *testing.T) {
	var before, after strings.Builder
	for i := 0; i < 80_000; i++ {
		before.WriteString("row " + strings.Repeat("a", i%13) + " old value\n")
		after.WriteString("row " + strings.Repeat("b", i%11) + " new value\n")
		if i == 40_000 {
			after.WriteString("GH_TOKEN=" + githubToken() + "\n")
		}
	}
	r := gittest.New(t)
	base := r.Commit("base", map[string]string{"data/table.txt": before.String()})
	r.Branch("feature", base)
	r.Commit("rewrite", map[string]string{"data/table.txt": after.String()})
	res, out := scanHostile(t, r.Dir)
	wantExit(t, res, exitFindings)
	if !out.has("secrets/github-pat", "data/table.txt") {
		t.Errorf("token in the rewrite not found: %+v", out.Findings)
	}
}

// TestHostileSecretInImageAddedThenRemoved: a token in the text chunk of a
// PNG, committed and deleted again, is still leaked; the history search
// reads the text inside binaries too.
func TestHostileSecretInImageAddedThenRemoved(t *testing.T) {
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
		"\x00\x00\x00\x3ctEXtComment\x00deploy with " + githubToken() + "\x00\x00\x00\x00IEND\xaeB`\x82"
	r := gittest.New(t)
	base := r.Commit("base", map[string]string{"README.md": "hello\n"})
	r.Branch("feature", base)
	r.Commit("logo", map[string]string{"assets/logo.png": png})
	r.Commit("drop logo", map[string]string{"assets/logo.png": ""})
	res, out := scanHostile(t, r.Dir)
	wantExit(t, res, exitFindings)
	if !out.has("secrets/github-pat", "assets/logo.png") {
		t.Errorf("token in a deleted image not found: %+v", out.Findings)
	}
}
