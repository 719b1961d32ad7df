package server_test

import (
	"os"
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/githubtest"
	"github.com/wardenbot/warden/bot/store/storetest"
)

// The review works the same on PostgreSQL, and two warden processes sharing
// one database process each delivery exactly once (design: Scale).
func TestPostgresTwoProcessesExactlyOnce(t *testing.T) {
	if os.Getenv("WARDEN_TEST_POSTGRES") == "" {
		t.Skip("WARDEN_TEST_POSTGRES is not set")
	}
	url := storetest.PostgresURL(t)
	a := startWarden(t, plantedPR(), harnessOpts{dbURL: url})
	b := &harness{t: t, gh: a.gh, world: a.world, payload: a.payload, dbURL: url}
	b.startApp(harnessOpts{dbURL: url, workers: 2})

	opened := a.pr("opened")
	// A load balancer may hand the same delivery to either replica, and
	// several events name the same head.
	if res := a.deliver("pull_request", opened, githubtest.WithDeliveryID("pg-1")); res.Status != 202 {
		t.Fatalf("replica a: %d %s", res.Status, res.Body)
	}
	if res := b.deliver("pull_request", opened, githubtest.WithDeliveryID("pg-1")); res.Status != 200 {
		t.Errorf("replica b accepted a duplicate delivery: %d %s", res.Status, res.Body)
	}
	b.deliver("pull_request", b.pr("ready_for_review"))
	a.deliver("pull_request", a.pr("reopened"))
	run := a.completedRun(a.world.HeadSHA, 90*time.Second)
	if run.Conclusion != "failure" {
		t.Errorf("conclusion %s", run.Conclusion)
	}
	a.reviews(1, 10*time.Second)
	a.waitIdle(2*time.Second, 30*time.Second)
	if n := a.requests("POST", routeCheckRuns); n != 1 {
		t.Errorf("%d check runs created by two replicas", n)
	}
	if n := len(a.gh.Reviews(a.world.Repo.FullName(), a.world.PR.Number)); n != 1 {
		t.Errorf("%d reviews by two replicas", n)
	}
	githubtest.AssertNoViolations(t, a.gh)
}

// §8 row 37: the process stops while a scan is in flight; a new process on
// the same database finishes it, with exactly one completed run and one
// review.
func TestRow37RestartMidScanResumes(t *testing.T) {
	db := testDatabaseURL(t)
	h := startWarden(t, plantedPR(), harnessOpts{dbURL: db})
	// Hold the job inside its first GitHub call long enough to stop the
	// process under it.
	h.gh.Inject(githubtest.Fault{Method: "GET", Path: "/repos/{owner}/{repo}/pulls/{pull_number}", Times: 1, Delay: 20 * time.Second})
	if res := h.openPR(); res.Status != 202 {
		t.Fatalf("%d", res.Status)
	}
	time.Sleep(1500 * time.Millisecond)
	h.stop()

	again := &harness{t: t, gh: h.gh, world: h.world, payload: h.payload, dbURL: db}
	again.startApp(harnessOpts{dbURL: db})
	again.completedRun(h.world.HeadSHA, 120*time.Second)
	again.reviews(1, 20*time.Second)
	again.waitIdle(2*time.Second, 30*time.Second)
	runs := h.gh.CheckRuns(h.world.Repo.FullName(), h.world.HeadSHA)
	if len(runs) != 1 {
		t.Errorf("%d check runs after a restart, want the one adopted", len(runs))
	}
	if n := len(h.gh.Reviews(h.world.Repo.FullName(), h.world.PR.Number)); n != 1 {
		t.Errorf("%d reviews after a restart", n)
	}
}
