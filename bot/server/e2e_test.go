package server_test

import (
	"cmp"
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/wardenbot/warden/bot/githubtest"
	"github.com/wardenbot/warden/bot/sandbox"
	"github.com/wardenbot/warden/bot/server"
	"github.com/wardenbot/warden/bot/store/storetest"
	"github.com/wardenbot/warden/checks/all"
	"github.com/wardenbot/warden/config"
	"github.com/wardenbot/warden/internal/wardenbin"
)

// harness is one warden serve process (in-process) wired to the strict
// GitHub fake and its git server.
type harness struct {
	t       *testing.T
	gh      *githubtest.Server
	world   *githubtest.World
	app     *server.App
	url     string
	admin   string // /metrics, /readyz
	workdir string // repository caches
	cancel  context.CancelFunc
	done    chan error
	dbURL   string
	payload *githubtest.Payloads
}

type harnessOpts struct {
	dbURL   string
	workers int
	logTo   io.Writer // also write warden's log here
	// reconcileEvery turns on the periodic sweep for unreviewed heads
	// (off by default, so tests see only the deliveries they make).
	reconcileEvery time.Duration
	fetchMaxBytes  int64 // WARDEN_FETCH_MAX_BYTES (default when 0)
	// scanner replaces the child-process scanner.
	scanner sandbox.Scanner
	// maxInstallationBacklog bounds one installation's waiting jobs.
	maxInstallationBacklog int
	// serial keeps the test out of the parallel phase: it measures the
	// process (heap, series) that parallel tests would share.
	serial bool
}

// githubToken builds a token-shaped secret at run time, so no source file
// holds one.
func githubToken() string { return "gh" + "p_" + "R8sQ2vLx7KpZ3nW9yT4bH6cJ1mF5dG0aE2uV" }

// plantedPR is a pull request with a leaked token, a workflow injection and
// a Dockerfile that runs as root.
func plantedPR() githubtest.WorldSpec {
	return githubtest.WorldSpec{
		Title: "Add deploy workflow",
		BaseFiles: map[string]string{
			"README.md":   "# app\n",
			"cmd/main.go": "package main\n\nfunc main() {}\n",
			"legacy.env":  "OLD_TOKEN=" + githubToken() + "\n",
		},
		HeadFiles: map[string]string{
			"deploy/config.go": "package deploy\n\n// Token used by the release job.\nconst token = \"" + githubToken() + "\"\n",
			".github/workflows/greet.yml": "name: greet\non: pull_request_target\njobs:\n  greet:\n    runs-on: ubuntu-latest\n    steps:\n" +
				"      - run: echo \"Thanks for ${{ github.event.pull_request.title }}\"\n",
			"Dockerfile": "FROM node:16\nCOPY . .\nCMD [\"node\", \"server.js\"]\n",
		},
	}
}

// testDatabaseURL is a fresh SQLite file, or a fresh PostgreSQL schema when
// WARDEN_E2E_DB=postgres (CI runs the suite both ways).
func testDatabaseURL(t *testing.T) string {
	if os.Getenv("WARDEN_E2E_DB") == "postgres" {
		return storetest.PostgresURL(t)
	}
	return "sqlite://" + filepath.Join(t.TempDir(), "warden.db")
}

func startWarden(t *testing.T, spec githubtest.WorldSpec, o harnessOpts) *harness {
	t.Helper()
	if !o.serial {
		t.Parallel() // see TestMain
	}
	gh := githubtest.StartTB(t, githubtest.Options{})
	w := githubtest.WorldTB(t, gh, spec)
	h := &harness{t: t, gh: gh, world: w, payload: githubtest.PayloadsTB(t, gh)}
	if o.dbURL == "" {
		o.dbURL = testDatabaseURL(t)
	}
	if o.workers == 0 {
		o.workers = 2
	}
	h.dbURL = o.dbURL
	h.startApp(o)
	return h
}

func (h *harness) startApp(o harnessOpts) {
	t := h.t
	if o.workers == 0 {
		o.workers = 2
	}
	h.workdir = t.TempDir()
	cfg := &config.Server{
		AppID: h.world.App.ID, PrivateKey: h.gh.PrivateKeyPEM(), WebhookSecret: h.world.App.WebhookSecret,
		GitHubAPIURL: h.gh.APIURL(), DatabaseURL: o.dbURL, Workers: o.workers, WorkDir: h.workdir,
		Listen: "127.0.0.1:0", LogLevel: "debug", FetchMaxBytes: o.fetchMaxBytes,
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	adminLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if o.scanner == nil {
		o.scanner = sandbox.Process{Exe: wardenbin.Path(t)}
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out io.Writer = zerolog.NewTestWriter(t)
	if o.logTo != nil {
		out = io.MultiWriter(out, o.logTo)
	}
	app, err := server.New(ctx, cfg, server.Options{Version: "v0.0.0-test", Log: zerolog.New(out).Level(zerolog.DebugLevel), Listener: ln, AdminListener: adminLn,
		CheckEnv: &all.Env{Offline: true}, ReconcileEvery: cmp.Or(o.reconcileEvery, -1), Scanner: o.scanner,
		MaxInstallationBacklog: o.maxInstallationBacklog})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	h.app, h.url, h.admin, h.cancel, h.done = app, "http://"+ln.Addr().String(), "http://"+adminLn.Addr().String(), cancel, make(chan error, 1)
	go func() { h.done <- app.Run(ctx) }()
	t.Cleanup(h.stop)
}

var stopOnce sync.Map

func (h *harness) stop() {
	if _, loaded := stopOnce.LoadOrStore(h, true); loaded {
		return
	}
	h.cancel()
	select {
	case err := <-h.done:
		if err != nil {
			h.t.Errorf("warden serve: %v", err)
		}
	case <-time.After(45 * time.Second):
		h.t.Error("warden serve did not stop within 45 s")
	}
}

func (h *harness) deliver(event string, body []byte, opts ...githubtest.DeliveryOption) githubtest.DeliveryResult {
	h.t.Helper()
	res, err := h.gh.Deliver(context.Background(), h.url+"/webhook", event, body, opts...)
	if err != nil {
		h.t.Fatal(err)
	}
	return res
}

func (h *harness) openPR() githubtest.DeliveryResult {
	h.t.Helper()
	body, err := h.payload.PullRequest("opened", h.world.Repo.FullName(), h.world.PR.Number)
	if err != nil {
		h.t.Fatal(err)
	}
	return h.deliver("pull_request", body)
}

// completedRun waits for warden's completed check run on sha.
func (h *harness) completedRun(sha string, within time.Duration) githubtest.CheckRun {
	h.t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		for _, r := range h.gh.CheckRuns(h.world.Repo.FullName(), sha) {
			if r.Name == "warden" && r.Status == "completed" {
				return r
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	h.t.Fatalf("no completed warden check run on %s within %s; runs: %+v", sha[:7], within, h.gh.CheckRuns(h.world.Repo.FullName(), sha))
	return githubtest.CheckRun{}
}

// reviews waits until the pull request has at least n reviews.
func (h *harness) reviews(n int, within time.Duration) []githubtest.Review {
	h.t.Helper()
	deadline := time.Now().Add(within)
	for {
		rs := h.gh.Reviews(h.world.Repo.FullName(), h.world.PR.Number)
		if len(rs) >= n || time.Now().After(deadline) {
			return rs
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestPullRequestIsReviewedEndToEnd(t *testing.T) {
	h := startWarden(t, plantedPR(), harnessOpts{})
	start := time.Now()
	res := h.openPR()
	if res.Status != 202 {
		t.Fatalf("webhook answered %d %s", res.Status, res.Body)
	}
	if res.Duration > time.Second {
		t.Errorf("acknowledgement took %s", res.Duration)
	}
	run := h.completedRun(h.world.HeadSHA, 90*time.Second)
	t.Logf("webhook to completed check run: %s", time.Since(start))
	if run.Conclusion != "failure" {
		t.Errorf("conclusion %q, want failure: %s", run.Conclusion, run.OutputTitle)
	}
	if !strings.Contains(run.OutputTitle, "block") {
		t.Errorf("title %q", run.OutputTitle)
	}
	if strings.Contains(run.OutputSummary, githubToken()) {
		t.Error("the secret leaked into the summary")
	}
	reviews := h.reviews(1, 10*time.Second)
	if len(reviews) != 1 || reviews[0].State != "COMMENTED" || reviews[0].CommitID != h.world.HeadSHA {
		t.Fatalf("want one COMMENT review on the head, got %+v", reviews)
	}
	comments := h.gh.ReviewComments(h.world.Repo.FullName(), h.world.PR.Number)
	var onSecret bool
	for _, c := range comments {
		if strings.Contains(c.Body, githubToken()) {
			t.Errorf("a comment contains the secret: %s", c.Body)
		}
		if !strings.Contains(c.Body, "<!-- warden:") {
			t.Errorf("comment without its marker: %s", c.Body)
		}
		if c.Path == "deploy/config.go" && c.Line == 4 && c.Side == "RIGHT" {
			onSecret = true
		}
		if c.Path == "legacy.env" {
			t.Error("a pre-existing secret was commented on")
		}
	}
	if !onSecret {
		t.Errorf("no inline comment on the leaked token's line: %+v", comments)
	}
	githubtest.AssertNoViolations(t, h.gh)
}
