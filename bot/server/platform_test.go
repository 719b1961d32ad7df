package server_test

// End-to-end cases of the reliability and security table in the platform
// notes (github-platform.md §8). Each test names its row.

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/githubtest"
)

func (h *harness) pr(action string, opts ...githubtest.PayloadOption) []byte {
	h.t.Helper()
	body, err := h.payload.PullRequest(action, h.world.Repo.FullName(), h.world.PR.Number, opts...)
	if err != nil {
		h.t.Fatal(err)
	}
	return body
}

func (h *harness) requests(method, route string) int {
	return len(h.gh.RequestsTo(method, route))
}

// eventually polls cond until it holds or within passes, and says which.
func (h *harness) eventually(within time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
	return true
}

// waitIdle waits until no request reached the fake for quiet, so a test
// can count what a finished job wrote.
func (h *harness) waitIdle(quiet, within time.Duration) {
	h.t.Helper()
	deadline := time.Now().Add(within)
	last := len(h.gh.Requests())
	since := time.Now()
	for time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		if n := len(h.gh.Requests()); n != last {
			last, since = n, time.Now()
		} else if time.Since(since) >= quiet {
			return
		}
	}
}

const (
	routeCheckRuns = "/repos/{owner}/{repo}/check-runs"
	routeReviews   = "/repos/{owner}/{repo}/pulls/{pull_number}/reviews"
)

// §8 rows 6 and 7: the same delivery twice, and three events for one head,
// make one scan, one check run and one review.
func TestRow6And7OneScanPerHead(t *testing.T) {
	h := startWarden(t, plantedPR(), harnessOpts{})
	opened := h.pr("opened")
	first := h.deliver("pull_request", opened, githubtest.WithDeliveryID("dup-1"))
	again := h.deliver("pull_request", opened, githubtest.WithDeliveryID("dup-1"))
	if first.Status != 202 || again.Status != 200 || !bytes.Contains(again.Body, []byte("duplicate")) {
		t.Fatalf("deliveries: %d %s / %d %s", first.Status, first.Body, again.Status, again.Body)
	}
	h.deliver("pull_request", h.pr("ready_for_review"))
	suite, err := h.payload.CheckSuite("requested", h.world.Repo.FullName(), "feature", h.world.HeadSHA)
	if err != nil {
		t.Fatal(err)
	}
	h.deliver("check_suite", suite)
	h.completedRun(h.world.HeadSHA, 60*time.Second)
	h.reviews(1, 10*time.Second)
	h.waitIdle(time.Second, 20*time.Second)
	if n := h.requests("POST", routeCheckRuns); n != 1 {
		t.Errorf("%d check runs created for one head", n)
	}
	if n := len(h.gh.Reviews(h.world.Repo.FullName(), h.world.PR.Number)); n != 1 {
		t.Errorf("%d reviews for one head", n)
	}
	githubtest.AssertNoViolations(t, h.gh)
}

// §8 row 1 and 2 through the real server: a bad signature queues nothing.
func TestRow1BadSignatureQueuesNothing(t *testing.T) {
	h := startWarden(t, plantedPR(), harnessOpts{})
	res := h.deliver("pull_request", h.pr("opened"), githubtest.WithSignature("sha256="+strings.Repeat("0", 64)))
	if res.Status != 401 {
		t.Fatalf("got %d", res.Status)
	}
	time.Sleep(1500 * time.Millisecond)
	if n := h.requests("POST", routeCheckRuns); n != 0 {
		t.Errorf("a forged delivery started a scan")
	}
}

// §8 rows 10 and 40: a new push supersedes the running head; later, the fix
// gets a "Fixed in" reply, its thread is resolved, and no finding is
// commented on twice.
func TestRow10And40NewPushSupersedesAndResolves(t *testing.T) {
	h := startWarden(t, plantedPR(), harnessOpts{})
	h.openPR()
	h.completedRun(h.world.HeadSHA, 60*time.Second)
	h.reviews(1, 10*time.Second)
	h.waitIdle(500*time.Millisecond, 10*time.Second)
	before := h.gh.ReviewComments(h.world.Repo.FullName(), h.world.PR.Number)

	// Fix the script injection (a deleted token stays leaked: it is in the
	// PR's history, so it must stay reported).
	fixed, err := h.gh.PushToPullRequest(h.world.Repo.FullName(), h.world.PR.Number, githubtest.CommitSpec{
		Files: map[string]string{".github/workflows/greet.yml": "name: greet\non: pull_request_target\njobs:\n  greet:\n    runs-on: ubuntu-latest\n    steps:\n" +
			"      - run: echo \"Thanks for $TITLE\"\n        env:\n          TITLE: ${{ github.event.pull_request.title }}\n"},
		Message: "pass the title through the environment",
	})
	if err != nil {
		t.Fatal(err)
	}
	h.deliver("pull_request", h.pr("synchronize"))
	run := h.completedRun(fixed, 60*time.Second)
	resolved := func() int {
		n := 0
		for _, th := range h.gh.ReviewThreads(h.world.Repo.FullName(), h.world.PR.Number) {
			if th.Resolved {
				n++
			}
		}
		return n
	}
	// The reply and the resolved thread follow the check run; a loaded
	// machine can pause between them longer than waitIdle's quiet period.
	h.eventually(30*time.Second, func() bool { return resolved() >= 1 })
	h.waitIdle(time.Second, 20*time.Second)

	after := h.gh.ReviewComments(h.world.Repo.FullName(), h.world.PR.Number)
	markers := map[string]int{}
	var replies []githubtest.ReviewComment
	for _, c := range after {
		if c.InReplyTo != 0 {
			replies = append(replies, c)
			continue
		}
		for _, m := range strings.Split(c.Body, "<!-- warden:")[1:] {
			markers[m[:64]]++
		}
	}
	for fp, n := range markers {
		if n > 1 {
			t.Errorf("finding %s commented %d times", fp[:8], n)
		}
	}
	if len(replies) != 1 || !strings.HasPrefix(replies[0].Body, "Fixed in "+fixed[:7]) {
		t.Errorf("want one 'Fixed in %s' reply, got %+v", fixed[:7], replies)
	}
	if resolved() != 1 {
		t.Errorf("%d threads resolved, want the fixed one", resolved())
	}
	if len(after)-len(replies) != len(before) {
		t.Errorf("new push re-posted comments: %d before, %d after", len(before), len(after)-len(replies))
	}
	if !strings.Contains(run.OutputSummary, "secrets/github-pat") || strings.Contains(run.OutputSummary, "workflows/script-injection") {
		t.Errorf("the leaked token must stay reported and the injection be gone:\n%s", run.OutputSummary)
	}
	githubtest.AssertNoViolations(t, h.gh)
}

// §8 row 33: the pull request edits .github/warden.yml to switch checks off;
// the configuration comes from the base, so nothing changes.
func TestRow33ConfigFromBaseOnly(t *testing.T) {
	spec := plantedPR()
	spec.HeadFiles[".github/warden.yml"] = "checks:\n  secrets: {enabled: false}\n  workflows: {enabled: false}\nfail_on: critical\n"
	h := startWarden(t, spec, harnessOpts{})
	h.openPR()
	run := h.completedRun(h.world.HeadSHA, 60*time.Second)
	if run.Conclusion != "failure" || !strings.Contains(run.OutputSummary, "secrets/github-pat") {
		t.Errorf("the change weakened its own review: %s / %s", run.Conclusion, run.OutputTitle)
	}
}

// An invalid configuration on the base fails the run with the error
// annotated on the file.
func TestInvalidConfigFailsWithAnnotation(t *testing.T) {
	spec := plantedPR()
	spec.BaseFiles[".github/warden.yml"] = "fail_on: high\nchecks:\n  secret: {enabled: false}\n"
	h := startWarden(t, spec, harnessOpts{})
	h.openPR()
	run := h.completedRun(h.world.HeadSHA, 60*time.Second)
	if run.Conclusion != "failure" || !strings.Contains(run.OutputSummary, `unknown key "secret"`) {
		t.Errorf("got %s: %s\n%s", run.Conclusion, run.OutputTitle, run.OutputSummary)
	}
	var annotated bool
	for _, r := range h.gh.RequestsTo("PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}") {
		if bytes.Contains(r.Body, []byte(`"path":".github/warden.yml"`)) && bytes.Contains(r.Body, []byte(`"start_line":3`)) {
			annotated = true
		}
	}
	if !annotated {
		t.Error("the configuration error is not annotated on .github/warden.yml:3")
	}
}

// §8 row 11: GitHub does not know a fork's new commit for a few seconds.
func TestRow11NoCommitFoundIsRetried(t *testing.T) {
	h := startWarden(t, plantedPR(), harnessOpts{})
	h.gh.Inject(githubtest.NoCommitFound(2))
	h.openPR()
	h.completedRun(h.world.HeadSHA, 60*time.Second)
	if n := h.requests("POST", routeCheckRuns); n != 3 {
		t.Errorf("%d create attempts, want 3 (two refused, then created)", n)
	}
}

// §8 row 16: 5xx on reads is retried; the review still completes.
func TestRow16ServerErrorsOnReads(t *testing.T) {
	h := startWarden(t, plantedPR(), harnessOpts{})
	h.gh.Inject(githubtest.ServerError("GET", "/repos/{owner}/{repo}/pulls/{pull_number}", 502, 2))
	h.gh.Inject(githubtest.ServerError("GET", "/repos/{owner}/{repo}/contents/{path}", 503, 1))
	h.openPR()
	run := h.completedRun(h.world.HeadSHA, 60*time.Second)
	if run.Conclusion != "failure" {
		t.Errorf("conclusion %s", run.Conclusion)
	}
	h.reviews(1, 10*time.Second)
}

// §8 row 17: GitHub commits the review but the response never arrives; the
// retried job finds warden's markers and posts nothing twice.
func TestRow17TimeoutAfterCommittedReview(t *testing.T) {
	h := startWarden(t, plantedPR(), harnessOpts{})
	h.gh.Inject(githubtest.Fault{Method: "POST", Path: routeReviews, Times: 1, AfterCommit: true, Action: githubtest.CloseConnection})
	h.openPR()
	h.completedRun(h.world.HeadSHA, 60*time.Second)
	deadline := time.Now().Add(30 * time.Second)
	for h.requests("POST", routeReviews) < 1 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	h.waitIdle(3*time.Second, 40*time.Second)
	if n := len(h.gh.Reviews(h.world.Repo.FullName(), h.world.PR.Number)); n != 1 {
		t.Errorf("%d reviews after a timed-out but committed POST, want 1", n)
	}
	seen := map[string]bool{}
	for _, c := range h.gh.ReviewComments(h.world.Repo.FullName(), h.world.PR.Number) {
		marker := c.Body[strings.Index(c.Body, "<!-- warden:"):]
		if seen[marker] {
			t.Errorf("finding commented twice on %s:%d", c.Path, c.Line)
		}
		seen[marker] = true
	}
}

// §8 row 18: a secondary rate limit with Retry-After on the first write
// pauses the installation; the scan resumes afterwards, exactly once.
func TestRow18SecondaryRateLimitOnFirstWrite(t *testing.T) {
	h := startWarden(t, plantedPR(), harnessOpts{})
	h.gh.Inject(githubtest.SecondaryRateLimit("POST", routeCheckRuns, 2*time.Second, 1))
	start := time.Now()
	h.openPR()
	h.completedRun(h.world.HeadSHA, 60*time.Second)
	if took := time.Since(start); took < 2*time.Second {
		t.Errorf("completed after %s: the Retry-After pause was not honoured", took)
	}
	h.reviews(1, 10*time.Second)
	h.waitIdle(time.Second, 20*time.Second)
	if n := len(h.gh.CheckRuns(h.world.Repo.FullName(), h.world.HeadSHA)); n != 1 {
		t.Errorf("%d check runs", n)
	}
}

// §8 row 14: a suspended installation's deliveries start nothing and mint
// no token.
func TestRow14SuspendedInstallation(t *testing.T) {
	h := startWarden(t, plantedPR(), harnessOpts{})
	// GitHub suspends, then tells the App; warden confirms with the API.
	h.gh.SuspendInstallation(h.world.Installation.ID, true)
	body, err := h.payload.Installation("suspend", h.world.Installation.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res := h.deliver("installation", body); res.Status != 202 {
		t.Fatalf("installation.suspend: %d %s", res.Status, res.Body)
	}
	h.openPR()
	time.Sleep(2 * time.Second)
	if n := h.requests("POST", "/app/installations/{installation_id}/access_tokens"); n != 0 {
		t.Errorf("%d tokens minted for a suspended installation", n)
	}
	if n := h.requests("POST", routeCheckRuns); n != 0 {
		t.Errorf("%d check runs for a suspended installation", n)
	}
}

// §8 row 15: no token reaches a log line.
func TestRow15TokensNeverLogged(t *testing.T) {
	var logs syncBuffer
	h := startWarden(t, plantedPR(), harnessOpts{logTo: &logs})
	h.openPR()
	h.completedRun(h.world.HeadSHA, 60*time.Second)
	h.reviews(1, 10*time.Second)
	for _, marker := range []string{"ghs_", "Bearer ", "x-access-token:", "BEGIN RSA", githubToken()} {
		if strings.Contains(logs.String(), marker) {
			t.Errorf("log contains %q", marker)
		}
	}
	for _, field := range []string{`"delivery":`, `"installation":`, `"repo":"acme/app"`, `"pr":1`, `"sha":"` + h.world.HeadSHA} {
		if !strings.Contains(logs.String(), field) {
			t.Errorf("job log lines lack %s", field)
		}
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
