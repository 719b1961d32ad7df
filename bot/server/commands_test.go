package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/githubtest"
)

// secretID reads the W- id of the leaked token's inline comment.
func (h *harness) secretID() string {
	h.t.Helper()
	for _, c := range h.gh.ReviewComments(h.world.Repo.FullName(), h.world.PR.Number) {
		if c.Path == "deploy/config.go" && c.InReplyTo == 0 {
			i := strings.Index(c.Body, "W-")
			return c.Body[i : i+10]
		}
	}
	h.t.Fatal("no comment on the leaked token")
	return ""
}

func (h *harness) comment(login, body string) int64 {
	h.t.Helper()
	c, err := h.gh.AddUserIssueComment(h.world.Repo.FullName(), h.world.PR.Number, login, body)
	if err != nil {
		h.t.Fatal(err)
	}
	payload, err := h.payload.IssueComment("created", h.world.Repo.FullName(), c.ID, githubtest.WithSender(login))
	if err != nil {
		h.t.Fatal(err)
	}
	if res := h.deliver("issue_comment", payload); res.Status != 202 {
		h.t.Fatalf("comment delivery: %d %s", res.Status, res.Body)
	}
	return c.ID
}

// waitReply waits for warden's reply containing want.
func (h *harness) waitReply(want string, within time.Duration) githubtest.IssueComment {
	h.t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		for _, c := range h.gh.IssueComments(h.world.Repo.FullName(), h.world.PR.Number) {
			if c.User == h.world.App.BotLogin && strings.Contains(c.Body, want) {
				return c
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	h.t.Fatalf("no reply containing %q; comments: %+v", want, h.gh.IssueComments(h.world.Repo.FullName(), h.world.PR.Number))
	return githubtest.IssueComment{}
}

func TestIgnoreCommandEndToEnd(t *testing.T) {
	h := startWarden(t, plantedPR(), harnessOpts{})
	h.openPR()
	h.completedRun(h.world.HeadSHA, 60*time.Second)
	h.reviews(1, 10*time.Second)
	h.waitIdle(500*time.Millisecond, 10*time.Second)
	id := h.secretID()

	// A leaked token is a secret: without a security team, only admins
	// may ignore it (ignore_by.secrets).
	h.gh.SetPermission(h.world.Repo.FullName(), "reader", "read")
	h.comment("reader", "/warden ignore "+id+" false-positive: just a fixture")
	refusal := h.waitReply("needs admin access", 30*time.Second)
	if !strings.Contains(refusal.Body, "@reader") || !strings.Contains(refusal.Body, "you have read") {
		t.Errorf("refusal: %s", refusal.Body)
	}

	h.gh.SetPermission(h.world.Repo.FullName(), "maintainer", "admin")
	cid := h.comment("maintainer", "/warden ignore "+id+" false-positive: token for the test tenant, revoked")
	reply := h.waitReply("Ignored "+id, 30*time.Second)
	if !strings.Contains(reply.Body, "@maintainer") {
		t.Errorf("reply: %s", reply.Body)
	}
	eyes := false
	for _, r := range h.gh.Reactions(h.world.Repo.FullName(), "issue_comment", cid) {
		eyes = eyes || (r.Content == "eyes" && r.User == h.world.App.BotLogin)
	}
	if !eyes {
		t.Error("no 👀 reaction on the command")
	}
	// The head is re-evaluated: a new run shows the finding as ignored.
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		runs := h.gh.CheckRuns(h.world.Repo.FullName(), h.world.HeadSHA)
		last := runs[len(runs)-1]
		if len(runs) > 1 && last.Status == "completed" {
			if !strings.Contains(last.OutputSummary, "| Ignored | 1 |") || strings.Contains(last.OutputTitle, "2 new findings block") {
				t.Errorf("after the ignore: %s\n%s", last.OutputTitle, last.OutputSummary)
			}
			githubtest.AssertNoViolations(t, h.gh)
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatal("the check was not re-run after the ignore")
}

func TestExplainAndHelpEndToEnd(t *testing.T) {
	spec := plantedPR()
	spec.BaseFiles[".github/warden.yml"] = "security_team: acme/security\napprovals:\n  - paths: [\".github/workflows/**\"]\n    by: security_team\n"
	h := startWarden(t, spec, harnessOpts{})
	h.openPR()
	h.completedRun(h.world.HeadSHA, 60*time.Second)
	h.reviews(1, 10*time.Second)
	h.waitIdle(500*time.Millisecond, 10*time.Second)
	id := h.secretID()
	h.gh.SetPermission(h.world.Repo.FullName(), "someone", "read")
	h.comment("someone", "/warden explain "+id)
	reply := h.waitReply(id, 30*time.Second)
	for _, want := range []string{"secrets/github-pat", "GitHub personal access token", "deploy/config.go", "40 chars"} {
		if !strings.Contains(reply.Body, want) {
			t.Errorf("explain reply lacks %q:\n%s", want, reply.Body)
		}
	}
	if strings.Contains(reply.Body, githubToken()) {
		t.Error("explain echoed the secret")
	}
	h.comment("someone", "/warden help")
	help := h.waitReply("/warden approve", 30*time.Second)
	if !strings.Contains(help.Body, "acme/security") {
		t.Errorf("help does not name the security team:\n%s", help.Body)
	}
	if !strings.Contains(help.Body, ".github/workflows/**") {
		t.Errorf("help does not state the approval policy:\n%s", help.Body)
	}
}

// policyPR is a pull request that changes a workflow and a Dockerfile,
// with a security team and one approval rule per team on its base.
func policyPR() githubtest.WorldSpec {
	spec := plantedPR()
	spec.BaseFiles[".github/warden.yml"] = "security_team: acme/security\napprovals:\n" +
		"  - paths: [\".github/workflows/**\"]\n    by: security_team\n" +
		"  - paths: [\"Dockerfile\"]\n    by: acme/platform\n"
	return spec
}

// writeComment writes a comment without delivering its webhook yet.
func (h *harness) writeComment(login, body string) githubtest.IssueComment {
	h.t.Helper()
	c, err := h.gh.AddUserIssueComment(h.world.Repo.FullName(), h.world.PR.Number, login, body)
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

// deliverComment delivers the issue_comment webhook of a written comment.
func (h *harness) deliverComment(c githubtest.IssueComment) {
	h.t.Helper()
	payload, err := h.payload.IssueComment("created", h.world.Repo.FullName(), c.ID, githubtest.WithSender(c.User))
	if err != nil {
		h.t.Fatal(err)
	}
	if res := h.deliver("issue_comment", payload); res.Status != 202 {
		h.t.Fatalf("comment delivery: %d %s", res.Status, res.Body)
	}
}

// pushAs commits onto the pull request and delivers the synchronize event
// with pusher as its sender; it returns the new head.
func (h *harness) pushAs(pusher string, spec githubtest.CommitSpec) string {
	h.t.Helper()
	before := h.headNow()
	head, err := h.gh.PushToPullRequest(h.world.Repo.FullName(), h.world.PR.Number, spec)
	if err != nil {
		h.t.Fatal(err)
	}
	if res := h.deliver("pull_request", h.pr("synchronize", githubtest.WithSender(pusher), githubtest.WithBefore(before))); res.Status != 202 {
		h.t.Fatalf("synchronize delivery: %d %s", res.Status, res.Body)
	}
	return head
}

func (h *harness) headNow() string {
	pr, _ := h.gh.PullRequest(h.world.Repo.FullName(), h.world.PR.Number)
	return pr.HeadSHA
}

// latestRun waits until sha has more than after warden runs and the newest
// is completed, and returns it.
func (h *harness) latestRun(sha string, after int, within time.Duration) githubtest.CheckRun {
	h.t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		var runs []githubtest.CheckRun
		for _, r := range h.gh.CheckRuns(h.world.Repo.FullName(), sha) {
			if r.Name == "warden" {
				runs = append(runs, r)
			}
		}
		if len(runs) > after && runs[len(runs)-1].Status == "completed" {
			return runs[len(runs)-1]
		}
		time.Sleep(100 * time.Millisecond)
	}
	h.t.Fatalf("no completed warden run #%d on %s within %s", after+1, sha[:7], within)
	return githubtest.CheckRun{}
}

// botReplies are warden's comments in the conversation.
func (h *harness) botReplies() []string {
	var out []string
	for _, c := range h.gh.IssueComments(h.world.Repo.FullName(), h.world.PR.Number) {
		if c.User == h.world.App.BotLogin {
			out = append(out, c.Body)
		}
	}
	return out
}

// reviewed opens the pull request and waits until its first review is
// published and warden is idle.
func (h *harness) reviewed() githubtest.CheckRun {
	h.t.Helper()
	h.openPR()
	run := h.completedRun(h.world.HeadSHA, 60*time.Second)
	h.reviews(1, 10*time.Second)
	h.waitIdle(500*time.Millisecond, 10*time.Second)
	return run
}

func TestApprovalRacedByAPushDoesNotApproveTheNewHead(t *testing.T) {
	h := startWarden(t, policyPR(), harnessOpts{})
	h.gh.AddTeamMember("acme", "security", "sec", "member")
	h.gh.SetPermission(h.world.Repo.FullName(), "sec", "write")
	h.gh.SetPermission(h.world.Repo.FullName(), "mallory", "write")
	first := h.reviewed()
	if !strings.Contains(first.OutputSummary, "❌ `.github/workflows/greet.yml`") {
		t.Fatalf("the workflow rule is not listed as missing:\n%s", first.OutputSummary)
	}
	// sec reviewed the head and approves; before warden hears of the
	// comment, mallory pushes a new workflow change.
	approval := h.writeComment("sec", "/warden approve")
	newHead := h.pushAs("mallory", githubtest.CommitSpec{Author: "mallory", Message: "tweak",
		Files: map[string]string{".github/workflows/greet.yml": "name: greet\non: pull_request_target\njobs: {}\n"}})
	h.latestRun(newHead, 0, 60*time.Second)
	h.deliverComment(approval)
	reply := h.waitReply("/warden approve "+newHead[:7], 30*time.Second)
	if strings.Contains(reply.Body, "Approved") {
		t.Fatalf("the raced approval was accepted: %s", reply.Body)
	}
	h.waitIdle(time.Second, 20*time.Second)
	run := h.latestRun(newHead, 0, 10*time.Second)
	if run.Conclusion != "failure" || !strings.Contains(run.OutputSummary, "❌ `.github/workflows/greet.yml`") || strings.Contains(run.OutputSummary, "✅ `") {
		t.Fatalf("the new head counts as approved: %s\n%s", run.Conclusion, run.OutputSummary)
	}

	// Having reviewed the new head, sec names it; the next run shows it.
	runs := len(h.wardenRuns(newHead))
	h.comment("sec", "/warden approve "+newHead[:7])
	h.waitReply("Approved "+newHead[:7]+" for @sec", 30*time.Second)
	run = h.latestRun(newHead, runs, 60*time.Second)
	if !strings.Contains(run.OutputSummary, "✅ `.github/workflows/greet.yml`") || !strings.Contains(run.OutputSummary, "❌ `Dockerfile`") {
		t.Fatalf("after the approval:\n%s", run.OutputSummary)
	}
	githubtest.AssertNoViolations(t, h.gh)
}

func TestCoPusherCannotApproveTheirOwnPush(t *testing.T) {
	h := startWarden(t, policyPR(), harnessOpts{})
	h.gh.AddTeamMember("acme", "security", "mallory", "member")
	h.gh.SetPermission(h.world.Repo.FullName(), "mallory", "write")
	h.reviewed()
	// mallory pushes a commit in octocat's name: git says octocat, the
	// push event says mallory.
	head := h.pushAs("mallory", githubtest.CommitSpec{Author: "octocat", Message: "innocent",
		Files: map[string]string{".github/workflows/greet.yml": "name: greet\non: pull_request_target\njobs: {}\n"}})
	h.latestRun(head, 0, 60*time.Second)
	h.waitIdle(500*time.Millisecond, 10*time.Second)
	h.comment("mallory", "/warden approve "+head[:7])
	refusal := h.waitReply("so you cannot approve", 30*time.Second)
	if !strings.Contains(refusal.Body, "@mallory, you pushed "+head[:7]) {
		t.Fatalf("refusal: %s", refusal.Body)
	}
	h.waitIdle(time.Second, 20*time.Second)
	if n := len(h.wardenRuns(head)); n != 1 {
		t.Fatalf("%d runs on the head: a refused approval re-ran the check", n)
	}
	githubtest.AssertNoViolations(t, h.gh)
}

func TestAuthorCannotIgnoreTheirOwnFinding(t *testing.T) {
	spec := policyPR()
	h := startWarden(t, spec, harnessOpts{})
	h.gh.AddTeamMember("acme", "security", h.world.PR.Author, "member")
	h.gh.SetPermission(h.world.Repo.FullName(), h.world.PR.Author, "admin")
	h.reviewed()
	id := h.secretID()
	h.comment(h.world.PR.Author, "/warden ignore "+id+" false-positive: it is a test token")
	refusal := h.waitReply("so you cannot ignore its findings", 30*time.Second)
	if !strings.Contains(refusal.Body, "@"+h.world.PR.Author+", you opened this pull request") {
		t.Fatalf("refusal: %s", refusal.Body)
	}
	h.waitIdle(time.Second, 20*time.Second)
	if n := len(h.wardenRuns(h.world.HeadSHA)); n != 1 {
		t.Fatalf("%d runs: the refused ignore re-ran the check", n)
	}
	run := h.latestRun(h.world.HeadSHA, 0, time.Second)
	if run.Conclusion != "failure" || strings.Contains(run.OutputSummary, "Ignored on this PR") {
		t.Fatalf("the finding vanished: %s", run.OutputSummary)
	}
	githubtest.AssertNoViolations(t, h.gh)
}

func TestIgnoreOfAnUnobservedFingerprintIsRefused(t *testing.T) {
	h := startWarden(t, policyPR(), harnessOpts{})
	h.gh.AddTeamMember("acme", "security", "sec", "member")
	h.gh.SetPermission(h.world.Repo.FullName(), "sec", "write")
	h.reviewed()
	unseen := "deadbeef" + strings.Repeat("42", 28)
	for _, body := range []string{"/warden ignore " + unseen + " accepted-risk: before it lands", "/warden ignore " + unseen + " accepted-risk: before it lands --repo"} {
		h.comment("sec", body)
	}
	h.waitReply("warden never reported W-deadbeef on this pull request", 30*time.Second)
	h.waitReply("warden never reported W-deadbeef in `acme/app`", 30*time.Second)
	sups, err := h.app.Store.ActiveSuppressions(context.Background(), h.world.Repo.ID, h.world.PR.Number)
	if err != nil || len(sups) != 0 {
		t.Fatalf("suppressions = %+v %v", sups, err)
	}
	githubtest.AssertNoViolations(t, h.gh)
}

func TestTwoApprovalRulesForTwoTeams(t *testing.T) {
	h := startWarden(t, policyPR(), harnessOpts{})
	h.gh.AddTeamMember("acme", "security", "sec", "member")
	h.gh.AddTeamMember("acme", "platform", "plat", "member")
	first := h.reviewed()
	if !strings.Contains(first.OutputSummary, "**Approvals:** 0 of 2 rules approved.") {
		t.Fatalf("first run:\n%s", first.OutputSummary)
	}
	head := h.world.HeadSHA[:7]
	h.comment("sec", "/warden approve "+head)
	h.waitReply("Still needed: `Dockerfile` needs someone in @\u200dacme/platform.", 30*time.Second)
	run := h.latestRun(h.world.HeadSHA, 1, 60*time.Second)
	if !strings.Contains(run.OutputSummary, "1 of 2 rules approved") || !strings.Contains(run.OutputSummary, "✅ `.github/workflows/greet.yml`") {
		t.Fatalf("after the security team:\n%s", run.OutputSummary)
	}
	h.waitIdle(500*time.Millisecond, 10*time.Second)
	h.comment("plat", "/warden approve "+head)
	h.waitReply("Approved "+head+" for @plat: the changes to `Dockerfile`.", 30*time.Second)
	run = h.latestRun(h.world.HeadSHA, 2, 60*time.Second)
	if !strings.Contains(run.OutputSummary, "2 of 2 rules approved") || strings.Contains(run.OutputTitle, "approval required") {
		t.Fatalf("after both teams: %s\n%s", run.OutputTitle, run.OutputSummary)
	}
	githubtest.AssertNoViolations(t, h.gh)
}

// orgDefaults creates the organisation's .github repository with its
// warden.yml.
func orgDefaults(t *testing.T, h *harness, content string) {
	t.Helper()
	repo, err := h.gh.CreateRepository(githubtest.RepoSpec{Owner: h.world.Repo.Owner, Name: ".github"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.gh.Commit(repo.FullName(), githubtest.CommitSpec{Branch: "main", Files: map[string]string{".github/warden.yml": content}}); err != nil {
		t.Fatal(err)
	}
}

func TestUnreadableOrganisationDefaultsNeverPass(t *testing.T) {
	spec := plantedPR()
	spec.HeadFiles = map[string]string{"README.md": "# app\n\nNothing to see.\n"}
	h := startWarden(t, spec, harnessOpts{})
	orgDefaults(t, h, "fail_on: low\napprovals:\n  - paths: [\"**\"]\n    by: security_team\n")
	h.gh.Inject(githubtest.Fault{Method: "GET", Path: "/repos/acme/.github/contents/**", Status: 500})
	h.openPR()
	// Unreadable defaults are no verdict: the run says why while the job
	// retries, and never passes without the organisation's policy.
	run := h.runUntil(h.world.HeadSHA, 60*time.Second, "retrying", func(r githubtest.CheckRun) bool {
		return strings.Contains(r.OutputSummary, "organisation's defaults acme/.github:.github/warden.yml")
	})
	if run.Status == "completed" || passing(run.Conclusion) || !strings.Contains(run.OutputTitle, "retrying") {
		t.Fatalf("a clean change without the organisation's policy: %s %s / %s\n%s", run.Status, run.Conclusion, run.OutputTitle, run.OutputSummary)
	}
	// Once the defaults can be read, the retry applies their policy.
	h.gh.ClearFaults()
	run = h.runUntil(h.world.HeadSHA, 90*time.Second, "completed", func(r githubtest.CheckRun) bool { return r.Status == "completed" })
	if run.Conclusion != "failure" || !strings.Contains(run.OutputTitle, "Approval required") {
		t.Fatalf("the organisation's approval rule is not applied: %s / %s", run.Conclusion, run.OutputTitle)
	}
	githubtest.AssertNoViolations(t, h.gh)
}

func TestRepositoryLooseningALockedKeyFailsTheReview(t *testing.T) {
	spec := plantedPR()
	spec.BaseFiles[".github/warden.yml"] = "fail_on: critical\nchecks:\n  code: {enabled: false}\n"
	h := startWarden(t, spec, harnessOpts{})
	orgDefaults(t, h, "fail_on: high\nlocked: [fail_on]\n")
	h.openPR()
	run := h.completedRun(h.world.HeadSHA, 60*time.Second)
	if run.Conclusion != "failure" || !strings.Contains(run.OutputSummary, "fail_on is locked by the organisation's defaults") {
		t.Fatalf("got %s: %s\n%s", run.Conclusion, run.OutputTitle, run.OutputSummary)
	}
	var annotated bool
	for _, a := range run.Annotations {
		annotated = annotated || (a.Path == ".github/warden.yml" && a.StartLine == 1 && strings.Contains(a.Message, "fail_on is locked"))
	}
	if !annotated {
		t.Errorf("the locked key is not annotated on .github/warden.yml:1: %+v", run.Annotations)
	}
	githubtest.AssertNoViolations(t, h.gh)
}

func TestChangingWardensConfigurationNeedsTheSecurityTeam(t *testing.T) {
	spec := plantedPR()
	spec.BaseFiles[".github/warden.yml"] = "security_team: acme/security\n"
	spec.HeadFiles = map[string]string{".github/warden.yml": "security_team: acme/security\nfail_on: critical\n"}
	h := startWarden(t, spec, harnessOpts{})
	h.gh.SetPermission(h.world.Repo.FullName(), "maintainer", "admin")
	h.gh.AddTeamMember("acme", "security", "sec", "member")
	run := h.reviewed()
	if run.Conclusion != "failure" || run.OutputTitle != "Approval required from acme/security" {
		t.Fatalf("a change to warden's configuration passed unreviewed: %s / %s", run.Conclusion, run.OutputTitle)
	}
	head := h.world.HeadSHA[:7]
	h.comment("maintainer", "/warden approve "+head)
	h.waitReply("approving changes to `.github/warden.yml` needs membership of @\u200dacme/security", 30*time.Second)
	h.comment("sec", "/warden approve "+head)
	h.waitReply("Approved "+head+" for @sec", 30*time.Second)
	run = h.latestRun(h.world.HeadSHA, 1, 60*time.Second)
	if run.Conclusion != "success" {
		t.Fatalf("after the security team's approval: %s / %s\n%s", run.Conclusion, run.OutputTitle, run.OutputSummary)
	}
	githubtest.AssertNoViolations(t, h.gh)
}

func TestOutsiderFloodingRescanGetsBoundedRepliesAndOneRescan(t *testing.T) {
	h := startWarden(t, plantedPR(), harnessOpts{})
	h.reviewed()
	var ids []int64
	for i := 0; i < 12; i++ {
		ids = append(ids, h.comment("drive-by", "/warden rescan"))
	}
	h.waitIdle(2*time.Second, 60*time.Second)
	if got := h.botReplies(); len(got) != 1 || !strings.Contains(got[0], "needs read access") {
		t.Fatalf("warden answered an outsider's flood with %d replies: %q", len(got), got)
	}
	for _, id := range ids {
		for _, r := range h.gh.Reactions(h.world.Repo.FullName(), "issue_comment", id) {
			if r.User == h.world.App.BotLogin {
				t.Fatalf("reacted to a refused command: %+v", r)
			}
		}
	}
	if n := len(h.wardenRuns(h.world.HeadSHA)); n != 1 {
		t.Fatalf("%d runs: an outsider made warden rescan", n)
	}
	// A collaborator's burst makes one rescan; the rest are told why not.
	h.gh.SetPermission(h.world.Repo.FullName(), "reader", "read")
	for i := 0; i < 3; i++ {
		h.comment("reader", "/warden rescan")
	}
	h.latestRun(h.world.HeadSHA, 1, 60*time.Second)
	h.waitIdle(2*time.Second, 60*time.Second)
	if n := len(h.wardenRuns(h.world.HeadSHA)); n != 2 {
		t.Fatalf("%d runs after three rescans in a minute, want 2 (the first review and one rescan)", n)
	}
	limited := 0
	for _, r := range h.botReplies() {
		if strings.Contains(r, "rescanned less than a minute ago") {
			limited++
		}
	}
	if limited != 2 {
		t.Fatalf("%d rate-limit replies, want 2: %q", limited, h.botReplies())
	}
	githubtest.AssertNoViolations(t, h.gh)
}
