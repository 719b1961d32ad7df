package server_test

// The edge of `warden serve` tried as an attacker would: anyone can POST
// to /webhook, and a pull request's author controls every file in it.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/wardenbot/warden/bot/githubtest"
	"github.com/wardenbot/warden/bot/server"
	"github.com/wardenbot/warden/config"
	"github.com/wardenbot/warden/internal/ghname"
	"github.com/wardenbot/warden/internal/slowpost"
)

// scrape returns the admin listener's /metrics text.
func (h *harness) scrape() string {
	h.t.Helper()
	resp, err := http.Get(h.admin + "/metrics")
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		h.t.Fatalf("/metrics: %d", resp.StatusCode)
	}
	return string(b)
}

// series counts the samples of metric families whose name starts with
// prefix.
func series(text, prefix string) int {
	n := 0
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			n++
		}
	}
	return n
}

// heapInUse is the live heap after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// 2,000 unsigned requests with random X-GitHub-Event values (32 KB each)
// add no metric series, and no name reaches /metrics or the log.
func TestUnsignedEventsWithRandomNames(t *testing.T) {
	var logs syncBuffer
	h := startWarden(t, plantedPR(), harnessOpts{logTo: &logs, serial: true})
	// One refusal first, so its series exists before counting.
	h.deliver("pull_request", h.pr("opened"), githubtest.WithSignature(""))
	before := h.scrape()
	seriesBefore, heapBefore := series(before, "warden_"), heapInUse()
	var prefixes []string
	for i := range 2000 {
		name := make([]byte, 16<<10)
		rand.Read(name)
		event := hex.EncodeToString(name)
		prefixes = append(prefixes, strings.Clone(event[:32])) // not a slice of the 32 KB name: that would keep it alive
		req, _ := http.NewRequest(http.MethodPost, h.url+"/webhook", strings.NewReader(`{"action":"opened"}`))
		req.Header.Set("X-GitHub-Event", event)
		req.Header.Set("X-GitHub-Delivery", githubtest.NewDeliveryID())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("request %d answered %d", i, resp.StatusCode)
		}
	}
	after := h.scrape()
	seriesAfter, heapAfter := series(after, "warden_"), heapInUse()
	t.Logf("warden_* series %d → %d; heap in use %d MiB → %d MiB", seriesBefore, seriesAfter, heapBefore>>20, heapAfter>>20)
	if seriesAfter != seriesBefore {
		t.Errorf("%d unsigned requests changed the warden_* series from %d to %d", 2000, seriesBefore, seriesAfter)
	}
	// Each name is 32 KB: kept anywhere, 2,000 of them are 64 MiB.
	if grown := int64(heapAfter) - int64(heapBefore); grown > 16<<20 {
		t.Errorf("the live heap grew by %d MiB over 2,000 refused requests", grown>>20)
	}
	if !strings.Contains(after, `warden_webhook_deliveries_total{event="unverified",outcome="bad_signature"} 2001`) {
		t.Errorf("refusals are not counted under event=\"unverified\":\n%s", grepLines(after, "warden_webhook_deliveries_total"))
	}
	log := logs.String()
	for _, p := range prefixes {
		if strings.Contains(after, p) || strings.Contains(log, p) {
			t.Fatalf("random event name %s… reached /metrics or the log", p)
		}
	}
	// The service still works for GitHub.
	if res := h.openPR(); res.Status != 202 {
		t.Errorf("a signed delivery after the flood: %d", res.Status)
	}
	if !strings.Contains(h.scrape(), `warden_webhook_deliveries_total{event="pull_request",outcome="queued"} 1`) {
		t.Error("the signed delivery is not counted under its event")
	}
}

func grepLines(text, substr string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, substr) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// GitHub API calls are counted by route template: no repository, pull
// request number or sha becomes a label.
func TestAPIMetricsUseRouteTemplates(t *testing.T) {
	h := startWarden(t, plantedPR(), harnessOpts{})
	h.openPR()
	h.completedRun(h.world.HeadSHA, 60*time.Second)
	h.reviews(1, 10*time.Second)
	text := h.scrape()
	api := grepLines(text, "warden_github_api_calls_total{")
	if api == "" {
		t.Fatal("no GitHub API calls counted")
	}
	owner, _, _ := strings.Cut(h.world.Repo.FullName(), "/")
	for _, leak := range []string{h.world.Repo.FullName(), "/" + owner + "/", h.world.HeadSHA[:7], "warden.yml", "/1/", "/1\""} {
		if strings.Contains(api, leak) {
			t.Errorf("API metric labels carry %q:\n%s", leak, api)
		}
	}
	if !strings.Contains(api, `route="/repos/{owner}/{repo}/pulls/{pull_number}"`) {
		t.Errorf("no templated pull request route:\n%s", api)
	}
}

// A captured signed body replayed under fresh delivery ids is a
// duplicate: answered 2xx, and no job. A "Re-run" click replayed would
// otherwise rescan the head each time.
func TestReplayedBody(t *testing.T) {
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
	for i := range 5 {
		res := h.deliver("check_run", body) // a fresh X-GitHub-Delivery each time
		if res.Status != 200 || !bytes.Contains(res.Body, []byte("duplicate")) {
			t.Errorf("replay %d: %d %s", i, res.Status, res.Body)
		}
	}
	deadline := time.Now().Add(60 * time.Second)
	for len(h.gh.CheckRuns(h.world.Repo.FullName(), h.world.HeadSHA)) < 2 && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
	h.waitIdle(2*time.Second, 30*time.Second)
	if n := len(h.gh.CheckRuns(h.world.Repo.FullName(), h.world.HeadSHA)); n != 2 {
		t.Errorf("%d check runs: want the first and one re-run, the replays starting nothing", n)
	}
	githubtest.AssertNoViolations(t, h.gh)
}

// A signed installation event only says whom to ask: a replayed or stale
// installation.suspend, installation.deleted or repository removal that
// GitHub's API contradicts changes nothing, and the tenant's reviews go on.
func TestForgedSuspend(t *testing.T) {
	h := startWarden(t, plantedPR(), harnessOpts{})
	id := h.world.Installation.ID
	deliver := func(event string, body []byte, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if res := h.deliver(event, body); res.Status != 202 {
			t.Fatalf("%s: %d %s", event, res.Status, res.Body)
		}
	}
	// Captured while suspended, replayed after the tenant was unsuspended:
	// the fake says active now.
	h.gh.SuspendInstallation(id, true)
	suspend, err := h.payload.Installation("suspend", id)
	h.gh.SuspendInstallation(id, false)
	deliver("installation", suspend, err)
	deleted, err := h.payload.Installation("deleted", id)
	deliver("installation", deleted, err)
	removed, err := h.payload.InstallationRepositories("removed", id, []string{h.world.Repo.FullName()})
	deliver("installation_repositories", removed, err)

	if n := h.requests("GET", "/app/installations/{installation_id}"); n != 2 {
		t.Errorf("%d confirmations of the installation with GitHub, want 2", n)
	}
	if n := h.requests("GET", "/repos/{owner}/{repo}/installation"); n != 1 {
		t.Errorf("%d confirmations of the repository removal, want 1", n)
	}
	inst, err := h.app.Store.Installation(context.Background(), id)
	if err != nil {
		t.Fatalf("the installation is gone from the store: %v", err)
	}
	if inst.Suspended || inst.Deleted {
		t.Errorf("a contradicted event changed the installation: %+v", inst)
	}
	h.openPR()
	if run := h.completedRun(h.world.HeadSHA, 60*time.Second); run.Conclusion != "failure" {
		t.Errorf("the tenant's review after forged events: %s %s", run.Conclusion, run.OutputTitle)
	}

	// A real suspension (another event, so another body) is confirmed and
	// applied.
	h.gh.SuspendInstallation(id, true)
	suspend, err = h.payload.Installation("suspend", id, githubtest.WithSender("site-admin"))
	deliver("installation", suspend, err)
	if inst, _ := h.app.Store.Installation(context.Background(), id); !inst.Suspended {
		t.Error("a suspension GitHub confirms was not applied")
	}
	githubtest.AssertNoViolations(t, h.gh)
}

// When GitHub cannot confirm an installation event, nothing changes and
// the delivery fails, so it can be redelivered.
func TestUnconfirmedInstallationEventIsRetried(t *testing.T) {
	h := startWarden(t, plantedPR(), harnessOpts{})
	id := h.world.Installation.ID
	h.gh.SuspendInstallation(id, true)
	body, err := h.payload.Installation("suspend", id)
	if err != nil {
		t.Fatal(err)
	}
	h.gh.Inject(githubtest.ServerError("GET", "/app/installations/{installation_id}", 502, 1))
	if res := h.deliver("installation", body, githubtest.WithDeliveryID("suspend-1")); res.Status != 503 {
		t.Fatalf("unconfirmed suspend: %d %s", res.Status, res.Body)
	}
	if inst, err := h.app.Store.Installation(context.Background(), id); err == nil && inst.Suspended {
		t.Error("an unconfirmed suspension was applied")
	}
	if res := h.deliver("installation", body, githubtest.WithDeliveryID("suspend-1")); res.Status != 202 {
		t.Fatalf("redelivery: %d %s", res.Status, res.Body)
	}
	if inst, _ := h.app.Store.Installation(context.Background(), id); !inst.Suspended {
		t.Error("the redelivered, confirmed suspension was not applied")
	}
}

// hostileWorkflow names actions the way an attacker would: paths that
// climb out of /repos/{owner}/{repo}, encoded dots, and 500 distinct refs.
func hostileWorkflow() string {
	var b strings.Builder
	b.WriteString("name: hostile\non: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n")
	for _, u := range []string{"../../../../user", "owner/repo@refs/../../x", "a/b@%2e%2e", "../../app@v1",
		"acme/..@v1", "acme/x@v1?per_page=100", "acme/x@v1#frag", "user@v1"} {
		fmt.Fprintf(&b, "      - uses: %q\n", u)
	}
	for i := range 500 {
		fmt.Fprintf(&b, "      - uses: third-party/action-%d@v%d\n", i%7, i)
	}
	return b.String()
}

// A workflow in the pull request never turns into API paths outside
// GitHub's grammar, and however many refs it names, one review asks about
// at most 50, and a second review of the same refs asks again about none
// that GitHub already answered.
func TestHostileUses(t *testing.T) {
	spec := plantedPR()
	spec.HeadFiles[".github/workflows/hostile.yml"] = hostileWorkflow()
	h := startWarden(t, spec, harnessOpts{})
	h.openPR()
	run := h.completedRun(h.world.HeadSHA, 120*time.Second)
	h.waitIdle(time.Second, 30*time.Second)
	lookups := func() int { return h.requests("GET", "/repos/{owner}/{repo}/commits/{ref}") }
	first := lookups()
	t.Logf("%d ref lookups for %d distinct refs", first, 500+8)
	if first == 0 || first > 50 {
		t.Errorf("%d ref lookups in one review, want 1..50", first)
	}
	if run.Conclusion == "success" || run.Conclusion == "neutral" {
		t.Errorf("conclusion %s", run.Conclusion)
	}
	for _, r := range h.gh.Requests() {
		if r.Route == "" {
			t.Errorf("a request matched no GitHub route: %s %s", r.Method, r.Path)
		}
		if strings.Contains(r.Path, "/..") || strings.HasPrefix(r.Path, "/user") {
			t.Errorf("hostile path reached GitHub: %s %s", r.Method, r.Path)
		}
		if r.Route != "/repos/{owner}/{repo}/commits/{ref}" {
			owner, _, _ := strings.Cut(h.world.Repo.FullName(), "/")
			if strings.HasPrefix(r.Path, "/repos/") && !strings.HasPrefix(r.Path, "/repos/"+h.world.Repo.FullName()+"/") &&
				!strings.HasPrefix(r.Path, "/repos/"+owner+"/.github/") { // organisation defaults
				t.Errorf("a request reached another repository: %s %s", r.Method, r.Path)
			}
			continue
		}
		if strings.Contains(r.Query, "per_page") || strings.Contains(r.Path, "#") {
			t.Errorf("a ref smuggled a query or fragment: %s?%s", r.Path, r.Query)
		}
		if segs := strings.Split(r.Path, "/"); len(segs) < 6 || !ghname.Owner(segs[2]) || !ghname.Repo(segs[3]) {
			t.Errorf("ref lookup outside /repos/{owner}/{repo}/commits/{ref}: %s", r.Path)
		}
	}
	if strings.Contains(run.OutputSummary, "Not Found") || strings.Contains(run.OutputSummary, "documentation_url") {
		t.Errorf("a GitHub response body was echoed into the summary:\n%s", run.OutputSummary)
	}

	// A new push with the same workflow: answers are remembered.
	if _, err := h.gh.PushToPullRequest(h.world.Repo.FullName(), h.world.PR.Number, githubtest.CommitSpec{
		Files: map[string]string{"README.md": "# app, again\n"}, Message: "touch",
	}); err != nil {
		t.Fatal(err)
	}
	pr, _ := h.gh.PullRequest(h.world.Repo.FullName(), h.world.PR.Number)
	h.deliver("pull_request", h.pr("synchronize"))
	h.completedRun(pr.HeadSHA, 120*time.Second)
	h.waitIdle(time.Second, 30*time.Second)
	if again := lookups() - first; again > 0 {
		t.Errorf("the second review looked up %d refs GitHub had already answered", again)
	}
	githubtest.AssertNoViolations(t, h.gh)
}

// 300 slow unsigned uploads of 300 KiB each (90 MB) share the webhook's
// 64 MiB body budget: the surplus is refused with 503, a real delivery
// during the flood is answered within seconds, and reviews go on after it.
func TestSlowBodiesFlood(t *testing.T) {
	h := startWarden(t, plantedPR(), harnessOpts{serial: true})
	addr := strings.TrimPrefix(h.url, "http://")
	heapBefore := heapInUse()
	stop := make(chan struct{})
	results := make(chan string, 300)
	var wg sync.WaitGroup
	for range 300 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- slowpost.Upload(addr, 300<<10, stop)
		}()
	}
	time.Sleep(2 * time.Second)
	start := time.Now()
	res := h.openPR()
	if took := time.Since(start); took > 5*time.Second || (res.Status != 202 && res.Status != 503) {
		t.Errorf("a delivery during the flood: %d after %s", res.Status, took)
	}
	heapDuring := heapInUse()
	t.Logf("heap in use %d MiB → %d MiB during the flood", heapBefore>>20, heapDuring>>20)
	if grown := int64(heapDuring) - int64(heapBefore); grown > 90<<20 {
		t.Errorf("heap grew by %d MiB; the body budget is 64 MiB", grown>>20)
	}
	close(stop)
	wg.Wait()
	close(results)
	counts := map[string]int{}
	for r := range results {
		counts[r]++
	}
	t.Logf("slow uploads: %v", counts)
	if counts["HTTP/1.1 503"] == 0 {
		t.Errorf("no slow upload was refused: %v", counts)
	}
	if !strings.Contains(h.scrape(), `warden_webhook_deliveries_total{event="unverified",outcome="busy"}`) {
		t.Error("refusals for a full body budget are not counted as busy")
	}
	if res.Status == 503 {
		time.Sleep(500 * time.Millisecond)
		res = h.deliver("pull_request", h.pr("opened"))
	}
	if res.Status != 202 {
		t.Fatalf("a delivery after the flood: %d %s", res.Status, res.Body)
	}
	h.completedRun(h.world.HeadSHA, 60*time.Second)
}

// The default cache directory is private to warden's user, and a
// directory another user could have planted there is refused.
func TestPrivateWorkdir(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	gh := githubtest.StartTB(t, githubtest.Options{})
	w := githubtest.WorldTB(t, gh, githubtest.WorldSpec{})
	cfg := &config.Server{
		AppID: w.App.ID, PrivateKey: gh.PrivateKeyPEM(), WebhookSecret: w.App.WebhookSecret,
		GitHubAPIURL: gh.APIURL(), Workers: 1, Listen: "127.0.0.1:0", LogLevel: "info",
	}
	start := func() error {
		cfg.DatabaseURL = testDatabaseURL(t)
		app, err := server.New(context.Background(), cfg, server.Options{Log: zerolog.Nop(), ReconcileEvery: -1})
		if err == nil {
			app.Store.Close()
		}
		return err
	}
	dir := filepath.Join(tmp, fmt.Sprintf("warden-repos-%d", os.Geteuid()))
	if err := start(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(dir)
	if err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
		t.Fatalf("default cache directory %s: %v, mode %v", dir, err, fi.Mode())
	}
	os.Remove(dir)
	os.Mkdir(dir, 0o777)
	os.Chmod(dir, 0o777)
	if err := start(); err == nil || !strings.Contains(err.Error(), "writable by every user") {
		t.Errorf("a world-writable cache directory: %v", err)
	}
	os.Remove(dir)
	os.Symlink(t.TempDir(), dir)
	if err := start(); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("a cache directory that is a symbolic link: %v", err)
	}
}

// A repository cache damaged on disk is fetched afresh: the next review
// completes with its findings instead of failing every time.
func TestCorruptedCacheRecloned(t *testing.T) {
	h := startWarden(t, plantedPR(), harnessOpts{})
	h.openPR()
	h.completedRun(h.world.HeadSHA, 60*time.Second)
	h.waitIdle(time.Second, 20*time.Second)
	packs, _ := filepath.Glob(filepath.Join(h.workdir, "*.git", "objects", "pack", "*.pack"))
	if len(packs) == 0 {
		t.Fatal("no cached pack to damage")
	}
	for _, p := range packs {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for i := 12; i < len(b)-20; i++ {
			b[i] ^= 0x5a
		}
		os.WriteFile(p, b, 0o600)
	}
	fixed, err := h.gh.PushToPullRequest(h.world.Repo.FullName(), h.world.PR.Number, githubtest.CommitSpec{
		Files: map[string]string{"notes.md": "more\n"}, Message: "another push",
	})
	if err != nil {
		t.Fatal(err)
	}
	h.deliver("pull_request", h.pr("synchronize"))
	run := h.completedRun(fixed, 60*time.Second)
	if run.Conclusion != "failure" || !strings.Contains(run.OutputSummary, "secrets/github-pat") {
		t.Errorf("review after the cache was damaged: %s %s\n%s", run.Conclusion, run.OutputTitle, run.OutputSummary)
	}
}

// A fetch larger than WARDEN_FETCH_MAX_BYTES is cut off, and the check run
// says the pull request was not scanned — it does not pass.
func TestOversizedPack(t *testing.T) {
	spec := plantedPR()
	noise := make([]byte, 2<<20)
	rand.Read(noise)
	spec.HeadFiles["assets/blob.txt"] = hex.EncodeToString(noise)
	h := startWarden(t, spec, harnessOpts{fetchMaxBytes: 1 << 20})
	h.openPR()
	run := h.completedRun(h.world.HeadSHA, 60*time.Second)
	if run.Conclusion == "success" || run.Conclusion == "neutral" || run.Conclusion == "skipped" {
		t.Errorf("an unscanned pull request concluded %s: %s", run.Conclusion, run.OutputTitle)
	}
	if !strings.Contains(run.OutputTitle, "Not reviewed") || !strings.Contains(run.OutputTitle, "fetch limit") {
		t.Errorf("title %q does not say the fetch limit stopped the scan", run.OutputTitle)
	}
	matches, _ := filepath.Glob(filepath.Join(h.workdir, "*.git", "objects", "pack", "tmp_*"))
	if len(matches) > 0 {
		t.Errorf("partial packs left on disk: %v", matches)
	}
}
