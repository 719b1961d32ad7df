package server_test

// Verdict integrity end to end: no pull request ends with a passing
// `warden` check that warden did not review, whatever the author does with
// drafts, pushes, bases and check-run names. GitHub counts success, neutral
// and skipped as passing a required check.

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/githubtest"
	"github.com/wardenbot/warden/bot/sandbox"
	"github.com/wardenbot/warden/internal/wardenbin"
)

// wardenRuns are the check runs warden's own App made on sha.
func (h *harness) wardenRuns(sha string) []githubtest.CheckRun {
	var out []githubtest.CheckRun
	for _, r := range h.gh.CheckRuns(h.world.Repo.FullName(), sha) {
		if r.Name == "warden" && r.AppID == h.world.App.ID {
			out = append(out, r)
		}
	}
	return out
}

// runUntil waits until warden's newest run on sha satisfies ok.
func (h *harness) runUntil(sha string, within time.Duration, what string, ok func(githubtest.CheckRun) bool) githubtest.CheckRun {
	h.t.Helper()
	deadline := time.Now().Add(within)
	for {
		runs := h.wardenRuns(sha)
		if len(runs) > 0 && ok(runs[len(runs)-1]) {
			return runs[len(runs)-1]
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("warden's run on %s never became %s within %s; runs: %+v", sha[:7], what, within, runs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func concluded(conclusion string) func(githubtest.CheckRun) bool {
	return func(r githubtest.CheckRun) bool { return r.Status == "completed" && r.Conclusion == conclusion }
}

func passing(conclusion string) bool {
	return conclusion == "success" || conclusion == "neutral" || conclusion == "skipped"
}

// TestDraftThenReadyForReviewGetsARealVerdict: a draft is not reviewed, and
// its run says so without passing; marking it ready produces the review.
func TestDraftThenReadyForReviewGetsARealVerdict(t *testing.T) {
	spec := plantedPR()
	spec.Draft = true
	h := startWarden(t, spec, harnessOpts{})
	h.openPR()
	draft := h.runUntil(h.world.HeadSHA, 60*time.Second, "completed", func(r githubtest.CheckRun) bool { return r.Status == "completed" })
	if passing(draft.Conclusion) || draft.Conclusion != "action_required" || !strings.Contains(draft.OutputTitle, "Draft") {
		t.Fatalf("a draft's run must not pass: %s %q", draft.Conclusion, draft.OutputTitle)
	}
	if n := len(h.gh.Reviews(h.world.Repo.FullName(), h.world.PR.Number)); n != 0 {
		t.Fatalf("a draft was reviewed (%d reviews)", n)
	}
	h.waitIdle(500*time.Millisecond, 10*time.Second)

	if err := h.gh.UpdatePullRequest(h.world.Repo.FullName(), h.world.PR.Number, func(p *githubtest.PullRequest) { p.Draft = false }); err != nil {
		t.Fatal(err)
	}
	h.deliver("pull_request", h.pr("ready_for_review"))
	run := h.runUntil(h.world.HeadSHA, 60*time.Second, "failure", concluded("failure"))
	if !strings.Contains(run.OutputSummary, "secrets/github-pat") {
		t.Errorf("the ready pull request was not reviewed:\n%s", run.OutputSummary)
	}
	if rs := h.reviews(1, 10*time.Second); len(rs) != 1 {
		t.Errorf("%d reviews after ready_for_review, want 1", len(rs))
	}
	if n := len(h.wardenRuns(h.world.HeadSHA)); n != 1 {
		t.Errorf("%d warden runs on the head, want the one run carried from draft to verdict", n)
	}
	githubtest.AssertNoViolations(t, h.gh)
}

// TestSupersededHeadIsCancelledAndReviewedWhenItReturns: a push replaces A
// while A is being fetched, so A's run ends cancelled (not neutral, which
// passes); a force-push back to A makes A the head again, and A then gets a
// real verdict rather than the cancelled one.
func TestSupersededHeadIsCancelledAndReviewedWhenItReturns(t *testing.T) {
	h := startWarden(t, plantedPR(), harnessOpts{})
	a := h.world.HeadSHA
	h.gh.Git().Inject(githubtest.GitFault{Phase: "pack", Times: 1, Stall: 4 * time.Second})
	h.openPR()
	h.runUntil(a, 30*time.Second, "in progress", func(r githubtest.CheckRun) bool { return r.Status == "in_progress" })

	b, err := h.gh.PushToPullRequest(h.world.Repo.FullName(), h.world.PR.Number, githubtest.CommitSpec{
		Files: map[string]string{"NOTES.md": "more\n"}, Message: "another commit",
	})
	if err != nil {
		t.Fatal(err)
	}
	h.deliver("pull_request", h.pr("synchronize"))
	cancelled := h.runUntil(a, 60*time.Second, "cancelled", concluded("cancelled"))
	if !strings.Contains(cancelled.OutputTitle, "Superseded") {
		t.Errorf("cancelled run's title: %q", cancelled.OutputTitle)
	}
	h.runUntil(b, 60*time.Second, "failure", concluded("failure"))
	h.waitIdle(time.Second, 20*time.Second)

	// The author force-pushes A back.
	if err := h.gh.SetRef(h.world.Repo.FullName(), "refs/heads/feature", a); err != nil {
		t.Fatal(err)
	}
	if err := h.gh.UpdatePullRequest(h.world.Repo.FullName(), h.world.PR.Number, func(p *githubtest.PullRequest) { p.HeadSHA = a }); err != nil {
		t.Fatal(err)
	}
	h.deliver("pull_request", h.pr("synchronize"))
	again := h.runUntil(a, 60*time.Second, "a real verdict", concluded("failure"))
	if !strings.Contains(again.OutputSummary, "secrets/github-pat") {
		t.Errorf("A back as the head was not reviewed:\n%s", again.OutputSummary)
	}
	githubtest.AssertNoViolations(t, h.gh)
}

// TestBaseRetargetedToAStricterConfigGetsAFreshVerdict: the verdict is for
// (head, base, configuration). Retargeting the pull request to a branch
// whose configuration blocks at low severity must change the verdict even
// though the head did not move.
func TestBaseRetargetedToAStricterConfigGetsAFreshVerdict(t *testing.T) {
	spec := githubtest.WorldSpec{
		BaseFiles: map[string]string{"README.md": "# app\n"},
		HeadFiles: map[string]string{"Dockerfile": "FROM node:20\nUSER node\nCMD [\"node\", \"server.js\"]\n"},
	}
	h := startWarden(t, spec, harnessOpts{})
	h.openPR()
	lenient := h.runUntil(h.world.HeadSHA, 60*time.Second, "success", concluded("success"))
	if !strings.Contains(lenient.OutputTitle, "not blocking") {
		t.Fatalf("want a finding below fail_on on main: %q", lenient.OutputTitle)
	}
	h.waitIdle(500*time.Millisecond, 10*time.Second)

	strictBase, err := h.gh.Commit(h.world.Repo.FullName(), githubtest.CommitSpec{
		Branch: "release", Parent: h.world.BaseSHA,
		Files: map[string]string{".github/warden.yml": "fail_on: low\n"}, Message: "release branch blocks low findings",
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.gh.UpdatePullRequest(h.world.Repo.FullName(), h.world.PR.Number, func(p *githubtest.PullRequest) {
		p.BaseRef, p.BaseSHA = "release", strictBase
	}); err != nil {
		t.Fatal(err)
	}
	h.deliver("pull_request", h.pr("edited", githubtest.WithChanges(map[string]any{"base": map[string]any{
		"ref": map[string]any{"from": "main"}, "sha": map[string]any{"from": h.world.BaseSHA}}})))
	strict := h.runUntil(h.world.HeadSHA, 60*time.Second, "failure", concluded("failure"))
	if !strings.Contains(strict.OutputSummary, "fail_on: low") {
		t.Errorf("the verdict did not use the new base's configuration:\n%s", strict.OutputSummary)
	}
	githubtest.AssertNoViolations(t, h.gh)
}

// TestForeignWardenCheckRunIsNeverAdopted: a workflow job (or another App)
// can create a passing run named "warden" on the head. warden never reads,
// adopts or updates it; its own run carries the verdict.
func TestForeignWardenCheckRunIsNeverAdopted(t *testing.T) {
	h := startWarden(t, plantedPR(), harnessOpts{})
	fake := h.gh.AddForeignCheckRun(h.world.Repo.FullName(), h.world.HeadSHA, "warden", githubtest.GitHubActionsAppID, "success")
	h.openPR()
	own := h.runUntil(h.world.HeadSHA, 60*time.Second, "failure", concluded("failure"))
	if own.ID == fake.ID {
		t.Fatal("warden adopted the workflow's run")
	}
	for _, r := range h.gh.CheckRuns(h.world.Repo.FullName(), h.world.HeadSHA) {
		if r.ID == fake.ID && (r.Conclusion != "success" || r.OutputTitle != "All good") {
			t.Errorf("warden wrote to a run it does not own: %+v", r)
		}
	}
	githubtest.AssertNoViolations(t, h.gh)
}

// TestReopenedPullRequestGetsAFreshVerdict: closing and reopening produces
// a new verdict on the same run, even with nothing changed.
func TestReopenedPullRequestGetsAFreshVerdict(t *testing.T) {
	h := startWarden(t, plantedPR(), harnessOpts{})
	h.openPR()
	first := h.runUntil(h.world.HeadSHA, 60*time.Second, "failure", concluded("failure"))
	h.waitIdle(500*time.Millisecond, 10*time.Second)
	updates := h.requests("PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}")
	h.deliver("pull_request", h.pr("reopened"))
	deadline := time.Now().Add(60 * time.Second)
	for h.requests("PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}") == updates && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	again := h.runUntil(h.world.HeadSHA, 60*time.Second, "failure", concluded("failure"))
	if again.ID != first.ID || h.requests("PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}") == updates {
		t.Errorf("reopening did not produce a fresh verdict on the same run")
	}
}

// TestSweepRequeuesStaleVerdictsNotMereRows: the reconcile sweep queues a
// head whose verdict is missing or stale (the base moved without a
// delivery), and leaves a head whose verdict stands.
func TestSweepRequeuesStaleVerdictsNotMereRows(t *testing.T) {
	h := startWarden(t, plantedPR(), harnessOpts{})
	h.openPR()
	h.runUntil(h.world.HeadSHA, 60*time.Second, "failure", concluded("failure"))
	h.waitIdle(time.Second, 20*time.Second)
	if n, err := h.app.Reconcile(t.Context()); err != nil || n != 0 {
		t.Fatalf("the sweep queued %d (%v) for a head whose verdict stands", n, err)
	}
	// The base branch moves and the delivery of the base change is lost.
	newBase, err := h.gh.Commit(h.world.Repo.FullName(), githubtest.CommitSpec{Branch: "main", Files: map[string]string{"CHANGELOG.md": "v2\n"}, Message: "release"})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.gh.UpdatePullRequest(h.world.Repo.FullName(), h.world.PR.Number, func(p *githubtest.PullRequest) { p.BaseSHA = newBase }); err != nil {
		t.Fatal(err)
	}
	if n, err := h.app.Reconcile(t.Context()); err != nil || n != 1 {
		t.Fatalf("the sweep queued %d (%v) for a verdict on an old base, want 1", n, err)
	}
	h.waitIdle(time.Second, 60*time.Second)
	if n, err := h.app.Reconcile(t.Context()); err != nil || n != 0 {
		t.Errorf("after the fresh verdict the sweep queued %d (%v), want 0", n, err)
	}
	githubtest.AssertNoViolations(t, h.gh)
}

// crashOn is a scanner whose scan of one head crashes, as a hostile input
// that brought down the scanning child would.
type crashOn struct {
	head  string
	next  sandbox.Scanner
	calls atomic.Int32
}

func (c *crashOn) Scan(ctx context.Context, req sandbox.Request, svc sandbox.Services) (*sandbox.Result, error) {
	if req.HeadSHA == c.head {
		c.calls.Add(1)
		return nil, &sandbox.CrashError{Cause: "ran out of memory (limit 4.0 GiB)"}
	}
	return c.next.Scan(ctx, req, svc)
}

// TestCrashedScanFailsAndIsNotRetriedWithoutAPush: a head whose scan dies
// gets a failing verdict that names the cause; neither another event, the
// sweep nor `/warden rescan` scans it again; a new push is reviewed.
func TestCrashedScanFailsAndIsNotRetriedWithoutAPush(t *testing.T) {
	spec := plantedPR()
	gh := githubtest.StartTB(t, githubtest.Options{})
	w := githubtest.WorldTB(t, gh, spec)
	crash := &crashOn{head: w.HeadSHA, next: sandbox.Process{Exe: wardenbin.Path(t)}}
	h := &harness{t: t, gh: gh, world: w, payload: githubtest.PayloadsTB(t, gh), dbURL: testDatabaseURL(t)}
	h.startApp(harnessOpts{dbURL: h.dbURL, scanner: crash})

	h.openPR()
	run := h.runUntil(w.HeadSHA, 60*time.Second, "failure", concluded("failure"))
	if !strings.Contains(run.OutputTitle, "Could not scan this commit: ran out of memory") {
		t.Errorf("title %q", run.OutputTitle)
	}
	h.waitIdle(time.Second, 20*time.Second)
	h.deliver("pull_request", h.pr("synchronize"))
	if n, err := h.app.Reconcile(t.Context()); err != nil || n != 0 {
		t.Errorf("the sweep queued %d (%v) for a crashed head", n, err)
	}
	h.gh.SetPermission(w.Repo.FullName(), "maintainer", "write")
	h.comment("maintainer", "/warden rescan")
	h.waitIdle(2*time.Second, 30*time.Second)
	if n := crash.calls.Load(); n != 1 {
		t.Errorf("the crashing head was scanned %d times, want once", n)
	}
	for _, r := range h.wardenRuns(w.HeadSHA) {
		if passing(r.Conclusion) {
			t.Errorf("a run on the crashed head passes: %+v", r)
		}
	}

	fixed, err := gh.PushToPullRequest(w.Repo.FullName(), w.PR.Number, githubtest.CommitSpec{Files: map[string]string{"NOTES.md": "x\n"}, Message: "next"})
	if err != nil {
		t.Fatal(err)
	}
	h.deliver("pull_request", h.pr("synchronize"))
	next := h.runUntil(fixed, 60*time.Second, "reviewed", concluded("failure"))
	if strings.Contains(next.OutputTitle, "Could not scan") {
		t.Errorf("the new push was not reviewed: %q", next.OutputTitle)
	}
	githubtest.AssertNoViolations(t, h.gh)
}

// TestAFloodingTenantDoesNotStarveAnother: one organisation floods warden
// with re-run requests; past its share its deliveries are refused with 503,
// while another organisation's pull request, opened during the flood, is
// accepted and reviewed on time.
func TestAFloodingTenantDoesNotStarveAnother(t *testing.T) {
	h := startWarden(t, plantedPR(), harnessOpts{maxInstallationBacklog: 10})
	other := githubtest.WorldTB(t, h.gh, githubtest.WorldSpec{Owner: "globex", Repo: "site",
		HeadFiles: map[string]string{"deploy.sh": "TOKEN=" + githubToken() + "\n"}})

	refused := 0
	for i := 0; i < 40; i++ {
		suite, err := h.payload.CheckSuite("rerequested", h.world.Repo.FullName(), "feature", h.world.HeadSHA)
		if err != nil {
			t.Fatal(err)
		}
		if res := h.deliver("check_suite", suite); res.Status == 503 {
			refused++
		} else if res.Status != 202 {
			t.Fatalf("flood delivery %d: %d %s", i, res.Status, res.Body)
		}
	}
	if refused == 0 {
		t.Error("the flooding organisation was never refused past its share")
	}
	opened, err := h.payload.PullRequest("opened", other.Repo.FullName(), other.PR.Number)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if res := h.deliver("pull_request", opened); res.Status != 202 {
		t.Fatalf("the quiet organisation's delivery: %d %s", res.Status, res.Body)
	}
	deadline := time.Now().Add(90 * time.Second)
	for {
		var done *githubtest.CheckRun
		for _, r := range h.gh.CheckRuns(other.Repo.FullName(), other.HeadSHA) {
			if r.Name == "warden" && r.Status == "completed" {
				done = &r
			}
		}
		if done != nil {
			if done.Conclusion != "failure" {
				t.Errorf("the quiet organisation's verdict: %s", done.Conclusion)
			}
			t.Logf("reviewed %s after its delivery, with %d flood jobs refused", time.Since(start).Round(time.Millisecond), refused)
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the quiet organisation's pull request was not reviewed during the flood")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestUnreadableConfigurationIsRetriedNotAVerdict: GitHub failing to serve
// .github/warden.yml is not a configuration error to settle on: the job is
// retried and the head gets its real verdict.
func TestUnreadableConfigurationIsRetriedNotAVerdict(t *testing.T) {
	h := startWarden(t, plantedPR(), harnessOpts{})
	h.gh.Inject(githubtest.Fault{Method: "GET", Path: "/repos/{owner}/{repo}/contents/{path}", Times: 12, Status: 502}) // past the client's own retries
	h.openPR()
	run := h.runUntil(h.world.HeadSHA, 90*time.Second, "failure", concluded("failure"))
	if strings.Contains(run.OutputTitle, "Configuration error") || !strings.Contains(run.OutputSummary, "secrets/github-pat") {
		t.Errorf("a transient read failure became the verdict: %q", run.OutputTitle)
	}
}
