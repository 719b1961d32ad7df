package server_test

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/githubtest"
	"github.com/wardenbot/warden/bot/store/storetest"
)

// manyKeys is a settings file with n distinct generic API keys, generated at
// run time.
func manyKeys(n int) string {
	r := rand.New(rand.NewPCG(1, 2))
	const alnum = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
	var b strings.Builder
	b.WriteString("settings = {\n")
	for i := 0; i < n; i++ {
		key := make([]byte, 24)
		for j := range key {
			key[j] = alnum[r.IntN(len(alnum))]
		}
		fmt.Fprintf(&b, "  \"service_%d_api_key\": \"%s\",\n", i, key)
	}
	b.WriteString("}\n")
	return b.String()
}

// §8 row 22: a thousand findings: annotations go in requests of at most 50,
// the policy cap holds and the rest is counted; the review stays within its
// limit.
func TestRow22ThousandAnnotations(t *testing.T) {
	spec := plantedPR()
	spec.HeadFiles = map[string]string{"config/settings.py": manyKeys(1100)}
	h := startWarden(t, spec, harnessOpts{})
	h.openPR()
	run := h.completedRun(h.world.HeadSHA, 120*time.Second)
	// The fake logs a request after applying it: let the last PATCH land.
	h.waitIdle(time.Second, 30*time.Second)
	patches := h.gh.RequestsTo("PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}")
	total := 0
	for _, p := range patches {
		var body struct {
			Output struct {
				Annotations []json.RawMessage `json:"annotations"`
			} `json:"output"`
		}
		json.Unmarshal(p.Body, &body)
		if n := len(body.Output.Annotations); n > 50 {
			t.Errorf("a PATCH carried %d annotations", n)
		}
		total += len(body.Output.Annotations)
	}
	if total != 1000 {
		t.Errorf("%d annotations posted, want the cap of 1000", total)
	}
	if !strings.Contains(run.OutputSummary, "Annotations show the 1,000 most severe of") {
		t.Errorf("the overflow is not counted in the summary (%s)", run.OutputTitle)
	}
	if len(run.OutputSummary) > 65535 {
		t.Errorf("summary of %d bytes", len(run.OutputSummary))
	}
	h.reviews(1, 20*time.Second)
	if n := len(h.gh.ReviewComments(h.world.Repo.FullName(), h.world.PR.Number)); n > 25 {
		t.Errorf("%d inline comments, over comments.max_per_scan", n)
	}
	githubtest.AssertNoViolations(t, h.gh)
}

// §8 row 24: GitHub rejects the review over an anchor (all-or-nothing);
// warden posts the findings in the review body instead of losing them.
func TestRow24RejectedReviewFallsBackToTheBody(t *testing.T) {
	h := startWarden(t, plantedPR(), harnessOpts{})
	h.gh.Inject(githubtest.Fault{Method: "POST", Path: routeReviews, Times: 1, Status: 422,
		Body: map[string]any{"message": "Unprocessable Entity", "errors": []string{"Pull request review thread line must be part of the diff"}}})
	h.openPR()
	h.completedRun(h.world.HeadSHA, 60*time.Second)
	reviews := h.reviews(1, 20*time.Second)
	if len(reviews) != 1 {
		t.Fatalf("%d reviews", len(reviews))
	}
	body := reviews[0].Body
	for _, want := range []string{"secrets/github-pat", "workflows/script-injection", "<!-- warden:"} {
		if !strings.Contains(body, want) {
			t.Errorf("the fallback review body lacks %s:\n%s", want, body)
		}
	}
}

// §8 row 39: "Re-run" on the check run (check_run.rerequested) scans the
// same head again.
func TestRow39RerequestedRunScansAgain(t *testing.T) {
	h := startWarden(t, plantedPR(), harnessOpts{})
	h.openPR()
	first := h.completedRun(h.world.HeadSHA, 60*time.Second)
	h.waitIdle(time.Second, 20*time.Second)
	body, err := h.payload.CheckRun("rerequested", h.world.Repo.FullName(), first.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if res := h.deliver("check_run", body); res.Status != 202 {
		t.Fatalf("rerequested: %d %s", res.Status, res.Body)
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		runs := h.gh.CheckRuns(h.world.Repo.FullName(), h.world.HeadSHA)
		if len(runs) == 2 && runs[1].Status == "completed" {
			if runs[1].Conclusion != first.Conclusion {
				t.Errorf("re-run concluded %s, first %s", runs[1].Conclusion, first.Conclusion)
			}
			h.waitIdle(time.Second, 20*time.Second)
			if n := len(h.gh.Reviews(h.world.Repo.FullName(), h.world.PR.Number)); n != 1 {
				t.Errorf("the re-run posted a second review (%d)", n)
			}
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatal("no second check run after check_run.rerequested")
}

// §8 row 12: a host clock minutes off GitHub's fails /readyz (on the admin
// listener), which names the failing probe.
func TestRow12ClockSkewFailsReadiness(t *testing.T) {
	h := startWarden(t, plantedPR(), harnessOpts{})
	ready := func() (int, string) {
		resp, err := http.Get(h.admin + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := ready(); code != 200 {
		t.Fatalf("readyz before any skew: %d %s", code, body)
	}
	h.gh.SetClockOffset(-10 * time.Minute)
	h.openPR() // any API call measures GitHub's Date header
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if code, body := ready(); code == 503 {
			if !strings.Contains(body, `"clock"`) {
				t.Errorf("readyz does not say why: %s", body)
			}
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Error("readyz stayed ready with a 10-minute clock skew")
}

// §8 row 9: a delivery lost while warden was unavailable (answered 503,
// never retried by GitHub) is recovered by the reconciler.
func TestRow9ReconcilerReviewsMissedPullRequests(t *testing.T) {
	h := startWarden(t, plantedPR(), harnessOpts{})
	// No webhook is delivered for the pull request.
	n, err := h.app.Reconcile(t.Context())
	if err != nil || n != 1 {
		t.Fatalf("reconcile queued %d (%v), want 1", n, err)
	}
	run := h.completedRun(h.world.HeadSHA, 60*time.Second)
	if run.Conclusion != "failure" {
		t.Errorf("conclusion %s", run.Conclusion)
	}
	h.reviews(1, 10*time.Second)
	h.waitIdle(time.Second, 20*time.Second)
	if n, err := h.app.Reconcile(t.Context()); err != nil || n != 0 {
		t.Errorf("a second reconcile queued %d (%v), want 0: the head is reviewed", n, err)
	}
	githubtest.AssertNoViolations(t, h.gh)
}

// §8 rows 30 and 31: hostile names and repository metadata. A .gitmodules
// pointing at file:// with an --upload-pack injection, an LFS filter in
// .gitattributes and file names with a newline and an ANSI escape: nothing
// is fetched or run, LFS pointers are scanned as text, and names reach
// GitHub escaped.
func TestRow30And31HostileNamesAndMetadata(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "pwned")
	spec := plantedPR()
	spec.HeadFiles = map[string]string{
		".gitmodules":          "[submodule \"evil\"]\n\tpath = evil\n\turl = file:///etc\n\tupload-pack = touch " + marker + "\n[submodule \"x\"]\n\turl = --upload-pack=touch " + marker + "\n",
		".gitattributes":       "* filter=lfs diff=lfs merge=lfs -text\n",
		"assets/model.bin":     "version https://git-lfs.github.com/spec/v1\noid sha256:" + strings.Repeat("ab", 32) + "\nsize 1048576\n",
		"docs/a\nb.env":        "TOKEN=" + githubToken() + "\n",
		"docs/\x1b[31mred.env": "TOKEN=" + githubToken() + "\n",
	}
	h := startWarden(t, spec, harnessOpts{})
	h.openPR()
	run := h.completedRun(h.world.HeadSHA, 60*time.Second)
	h.reviews(1, 20*time.Second)
	h.waitIdle(time.Second, 20*time.Second)
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("a command from .gitmodules ran")
	}
	if run.Conclusion != "failure" || !strings.Contains(run.OutputSummary, "secrets/github-pat") {
		t.Errorf("the secrets in oddly named files were not reported: %s", run.OutputTitle)
	}
	if strings.Contains(run.OutputSummary, "\x1b") {
		t.Error("an ANSI escape from a file name reached the summary")
	}
	for _, c := range h.gh.ReviewComments(h.world.Repo.FullName(), h.world.PR.Number) {
		if strings.Contains(c.Body, "\x1b") {
			t.Errorf("an ANSI escape reached a comment on %q", c.Path)
		}
	}
	// Only the two expected git requests per fetch reach the git server:
	// no submodule, no LFS object.
	githubtest.AssertNoViolations(t, h.gh)
}

// The sweep of row 9 runs by itself: the queue's elected leader queues it
// every period, so two replicas sweep once per period between them (each
// sweep lists the installations once) rather than once each, and a pull
// request nobody delivered a webhook for is reviewed once.
func TestRow9PeriodicSweepOnceAcrossReplicas(t *testing.T) {
	url := storetest.PostgresURL(t)
	const every = 2 * time.Second
	a := startWarden(t, plantedPR(), harnessOpts{dbURL: url, reconcileEvery: every})
	b := &harness{t: t, gh: a.gh, world: a.world, payload: a.payload, dbURL: url}
	b.startApp(harnessOpts{dbURL: url, reconcileEvery: every})

	a.completedRun(a.world.HeadSHA, 60*time.Second)
	a.reviews(1, 10*time.Second)
	sweeps := func() int { return len(a.gh.RequestsTo("GET", "/app/installations")) }
	before := sweeps()
	const watch = 8 * time.Second
	time.Sleep(watch)
	n := sweeps() - before
	// One leader: about watch/every sweeps; each replica on its own: twice that.
	if n == 0 || n > int(watch/every)+1 {
		t.Errorf("%d sweeps in %s with a period of %s across two replicas", n, watch, every)
	}
	if runs := a.gh.CheckRuns(a.world.Repo.FullName(), a.world.HeadSHA); len(runs) != 1 {
		t.Errorf("%d check runs, want 1", len(runs))
	}
	if n := len(a.gh.Reviews(a.world.Repo.FullName(), a.world.PR.Number)); n != 1 {
		t.Errorf("%d reviews, want 1", n)
	}
	githubtest.AssertNoViolations(t, a.gh)
}
