package workspace_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/wardenbot/warden/bot/workspace"
	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/internal/gittest"
)

const goodToken = "ghs_valid-token-for-tests"

const httpBackend = "/usr/lib/git-core/git-http-backend"

// gitServer serves bare repositories under root with git http-backend,
// accepting only basic auth x-access-token:goodToken.
type gitServer struct {
	*httptest.Server
	root     string
	requests atomic.Int32
	stall    atomic.Bool
}

func newGitServer(t *testing.T) *gitServer {
	t.Helper()
	if _, err := os.Stat(httpBackend); err != nil {
		t.Skipf("git http-backend not installed: %v", err)
	}
	g := &gitServer{root: t.TempDir()}
	backend := &cgi.Handler{Path: httpBackend, Env: []string{"GIT_PROJECT_ROOT=" + g.root, "GIT_HTTP_EXPORT_ALL=1", "GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=uploadpack.allowReachableSHA1InWant", "GIT_CONFIG_VALUE_0=true"}}
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.requests.Add(1)
		if user, pass, ok := r.BasicAuth(); !ok || user != "x-access-token" || pass != goodToken {
			w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		if g.stall.Load() && strings.HasSuffix(r.URL.Path, "git-upload-pack") {
			select {
			case <-time.After(2 * time.Second):
			case <-r.Context().Done():
			}
			return
		}
		backend.ServeHTTP(w, r)
	}))
	t.Cleanup(g.Close)
	return g
}

// publish pushes a work repository's branches into the server as a bare
// repository named name, with refs/pull/N/head pointing at pr.
func (g *gitServer) publish(t *testing.T, r *gittest.Repo, name string, pr int, head plumbing.Hash) string {
	t.Helper()
	bare := filepath.Join(g.root, name+".git")
	if _, err := os.Stat(bare); err != nil {
		if _, err := git.PlainInit(bare, true); err != nil {
			t.Fatal(err)
		}
	}
	remoteName := "srv" + strconv.FormatInt(time.Now().UnixNano(), 10)
	remote, err := r.Git.CreateRemote(&config.RemoteConfig{Name: remoteName, URLs: []string{bare}})
	if err != nil {
		t.Fatal(err)
	}
	err = remote.Push(&git.PushOptions{RemoteName: remoteName, RefSpecs: []config.RefSpec{"+refs/heads/*:refs/heads/*", config.RefSpec("+" + head.String() + ":refs/pull/" + itoa(pr) + "/head")}, Force: true})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		if _, lookErr := exec.LookPath("git-upload-pack"); lookErr != nil {
			t.Skip("git not installed")
		}
		t.Fatal(err)
	}
	return g.URL + "/" + name + ".git"
}

func itoa(n int) string { return strconv.Itoa(n) }

func token(s string) func(context.Context) (string, error) {
	return func(context.Context) (string, error) { return s, nil }
}

func TestPrepareFetchesBaseAndPullRequestHead(t *testing.T) {
	srv := newGitServer(t)
	r := gittest.New(t)
	base := r.Commit("base", map[string]string{"app.go": "package app\n", "README.md": "hi\n"})
	r.Branch("feature", base)
	head := r.Commit("feature", map[string]string{"app.go": "package app\n\nvar x = 1\n"})
	r.Symlink("link", "evil", "/etc/passwd")
	head2, _ := r.Git.Head()
	url := srv.publish(t, r, "acme/shop", 7, head2.Hash())

	ws, err := workspace.New(t.TempDir(), nil, workspace.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	tgt, err := ws.Prepare(context.Background(), workspace.Request{RepoID: 1, CloneURL: url, Token: token(goodToken), BaseRef: "main", PR: 7, HeadSHA: head2.Hash().String()})
	if err != nil {
		t.Fatal(err)
	}
	if tgt.Diff.Base != base.Hash.String() || tgt.Diff.Head != head2.Hash().String() || len(tgt.Diff.Commits) != 2 {
		t.Errorf("diff %s..%s with %d commits", tgt.Diff.Base[:7], tgt.Diff.Head[:7], len(tgt.Diff.Commits))
	}
	if fc := tgt.Diff.File("app.go"); fc == nil || !fc.Added.Contains(3) {
		t.Errorf("app.go change: %+v", fc)
	}
	rep, err := checks.Run(context.Background(), tgt, checks.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Stats.Files != 1 {
		t.Errorf("symlink must not be scanned: %d files", rep.Stats.Files)
	}
	if _, err := tgt.Head.ReadFile(context.Background(), "evil"); err == nil {
		t.Error("a symlink was read")
	}
	_ = head

	// A later push fetches only what is new.
	before := srv.requests.Load()
	head3 := r.Commit("more", map[string]string{"more.go": "package app\n"})
	srv.publish(t, r, "acme/shop", 7, head3.Hash)
	tgt, err = ws.Prepare(context.Background(), workspace.Request{RepoID: 1, CloneURL: url, Token: token(goodToken), BaseRef: "main", PR: 7, HeadSHA: head3.Hash.String()})
	if err != nil || tgt.Diff.File("more.go") == nil {
		t.Fatalf("incremental fetch: %v", err)
	}
	if srv.requests.Load()-before > 3 {
		t.Errorf("incremental fetch took %d requests", srv.requests.Load()-before)
	}
}

// Platform §8 row 28: the fetched head is not the job's head.
func TestSupersededHeadIsDetected(t *testing.T) {
	srv := newGitServer(t)
	r := gittest.New(t)
	base := r.Commit("base", map[string]string{"a": "a\n"})
	r.Branch("feature", base)
	old := r.Commit("old", map[string]string{"a": "b\n"})
	newer := r.Commit("newer", map[string]string{"a": "c\n"})
	url := srv.publish(t, r, "o/r", 3, newer.Hash)
	ws, _ := workspace.New(t.TempDir(), nil, workspace.Limits{})
	_, err := ws.Prepare(context.Background(), workspace.Request{RepoID: 2, CloneURL: url, Token: token(goodToken), BaseRef: "main", PR: 3, HeadSHA: old.Hash.String()})
	if !errors.Is(err, workspace.ErrSuperseded) {
		t.Errorf("got %v, want ErrSuperseded", err)
	}
}

// Platform §8 row 13: a refused token is refreshed once.
func TestRefusedTokenIsRefreshedOnce(t *testing.T) {
	srv := newGitServer(t)
	r := gittest.New(t)
	c := r.Commit("base", map[string]string{"a": "a\n"})
	url := srv.publish(t, r, "o/r", 1, c.Hash)
	ws, _ := workspace.New(t.TempDir(), nil, workspace.Limits{})
	var asked atomic.Int32
	tokens := func(context.Context) (string, error) {
		if asked.Add(1) == 1 {
			return "ghs_expired", nil
		}
		return goodToken, nil
	}
	if _, err := ws.Prepare(context.Background(), workspace.Request{RepoID: 3, CloneURL: url, Token: tokens, BaseRef: "main", PR: 1, HeadSHA: c.Hash.String()}); err != nil {
		t.Fatalf("after a refresh: %v", err)
	}
	if asked.Load() != 2 {
		t.Errorf("token asked %d times", asked.Load())
	}
	_, err := ws.Prepare(context.Background(), workspace.Request{RepoID: 4, CloneURL: url, Token: token("ghs_wrong"), BaseRef: "main", PR: 1, HeadSHA: c.Hash.String()})
	if err == nil || strings.Contains(err.Error(), "ghs_wrong") {
		t.Errorf("a wrong token must fail without being echoed: %v", err)
	}
}

// Platform §8 rows 26 and 27: size and time bounds end a fetch with a
// limit error the check run can state.
func TestFetchBounds(t *testing.T) {
	srv := newGitServer(t)
	r := gittest.New(t)
	noise := make([]byte, 64<<10)
	rand.Read(noise)
	c := r.Commit("big", map[string]string{"blob.txt": hex.EncodeToString(noise)})
	url := srv.publish(t, r, "o/big", 1, c.Hash)
	ws, _ := workspace.New(t.TempDir(), nil, workspace.Limits{MaxFetchBytes: 4 << 10})
	_, err := ws.Prepare(context.Background(), workspace.Request{RepoID: 5, CloneURL: url, Token: token(goodToken), BaseRef: "main", PR: 1, HeadSHA: c.Hash.String()})
	var lim *workspace.LimitError
	if !errors.As(err, &lim) || !strings.Contains(lim.What, "fetch limit") {
		t.Errorf("size bound: %v", err)
	}
	srv.stall.Store(true)
	ws2, _ := workspace.New(t.TempDir(), nil, workspace.Limits{FetchTimeout: 300 * time.Millisecond})
	start := time.Now()
	_, err = ws2.Prepare(context.Background(), workspace.Request{RepoID: 6, CloneURL: url, Token: token(goodToken), BaseRef: "main", PR: 1, HeadSHA: c.Hash.String()})
	if !errors.As(err, &lim) || !strings.Contains(lim.What, "longer than") || time.Since(start) > 5*time.Second {
		t.Errorf("time bound: %v after %s", err, time.Since(start))
	}
}

func TestMissingBaseBranch(t *testing.T) {
	srv := newGitServer(t)
	r := gittest.New(t)
	c := r.Commit("base", map[string]string{"a": "a\n"})
	url := srv.publish(t, r, "o/r2", 1, c.Hash)
	ws, _ := workspace.New(t.TempDir(), nil, workspace.Limits{})
	_, err := ws.Prepare(context.Background(), workspace.Request{RepoID: 7, CloneURL: url, Token: token(goodToken), BaseRef: "gone", PR: 1, HeadSHA: c.Hash.String()})
	if err == nil || !strings.Contains(err.Error(), "refs/heads/gone") {
		t.Errorf("got %v", err)
	}
}
