package command_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/wardenbot/warden/bot/command"
	"github.com/wardenbot/warden/bot/githubtest"
	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/config"
)

// fpCritical is a critical finding that is not a secret.
var fpCritical = "c0ffee00" + strings.Repeat("ab", 28)

// observe records a scan of the current head reporting the fixture's two
// findings and one more, with its rule and severity.
func (f *fixture) observe(fp, rule, severity string) {
	f.t.Helper()
	pr, _ := f.gh.PullRequest(f.world.Repo.FullName(), f.world.PR.Number)
	id, err := f.st.StartScan(ctx, store.Scan{Repo: f.repo, PR: f.world.PR.Number, HeadSHA: pr.HeadSHA})
	if err != nil {
		f.t.Fatal(err)
	}
	obs := []store.Observation{
		{Fingerprint: fpKey, RuleID: "secrets/aws-access-key", Path: "internal/cloud/aws.go", Line: 3, Severity: "high"},
		{Fingerprint: fpOther, RuleID: "code/sql-injection", Path: "internal/cloud/aws.go", Line: 3, Severity: "high"},
		{Fingerprint: fp, RuleID: rule, Path: ".github/workflows/ci.yml", Line: 1, Severity: severity},
	}
	if _, err := f.st.ObserveFindings(ctx, store.ScanRef{ScanID: id, Repo: f.repo, PR: f.world.PR.Number, HeadSHA: pr.HeadSHA}, obs); err != nil {
		f.t.Fatal(err)
	}
}

func TestIgnoreByFollowsTheKindOfFinding(t *testing.T) {
	cases := []struct {
		name    string
		cfg     func(*config.Config)
		login   string
		setup   func(f *fixture)
		id, fp  string
		allowed bool
		reply   string
	}{
		{"a writer may not ignore a secret", nil, "writer", nil, "W-3f2a9c1b", fpKey, false,
			"ignoring W-3f2a9c1b (`secrets/aws-access-key`, high, `ignore_by.secrets`) needs membership of @\u200dacme/security"},
		{"the security team may", nil, "sec", nil, "W-3f2a9c1b", fpKey, true, "Ignored W-3f2a9c1b"},
		{"a writer may not ignore a critical finding", nil, "writer", nil, "W-c0ffee00", fpCritical, false, "`ignore_by.critical`"},
		{"a writer may ignore a high code finding", nil, "writer", nil, "W-91be0d44", fpOther, true, "Ignored W-91be0d44"},
		{"an admin outside the security team may not ignore a secret", nil, "boss", nil, "W-3f2a9c1b", fpKey, false, "needs membership of"},
		{"ignore_by opens secrets to writers", func(c *config.Config) { c.IgnoreBy.Secrets = config.ByWrite }, "writer", nil, "W-3f2a9c1b", fpKey, true, "Ignored"},
		{"ignore_by names a team for the rest", func(c *config.Config) { c.IgnoreBy.Default = "acme/leads" }, "writer", nil, "W-91be0d44", fpOther, false, "needs membership of @\u200dacme/leads"},
		{"no security team: admins ignore secrets", func(c *config.Config) { c.SecurityTeam = "" }, "boss", nil, "W-3f2a9c1b", fpKey, true, "Ignored"},
		{"no security team: a writer may not", func(c *config.Config) { c.SecurityTeam = "" }, "writer", nil, "W-3f2a9c1b", fpKey, false, "needs admin access"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := []fixtureOpt{}
			if tc.cfg != nil {
				opts = append(opts, withConfig(tc.cfg))
			}
			f := newFixture(t, opts...)
			f.gh.SetPermission(f.world.Repo.FullName(), "writer", "write")
			f.gh.SetPermission(f.world.Repo.FullName(), "boss", "admin")
			f.inSecurityTeam("sec")
			f.observe(fpCritical, "workflows/pwn-request", "critical")
			reply := f.runOne(tc.login, "/warden ignore "+tc.id+" accepted-risk: reviewed")
			mustContain(t, reply, tc.reply)
			if _, ok := f.suppressed(tc.fp); ok != tc.allowed {
				t.Fatalf("suppressed = %v, want %v; reply: %s", ok, tc.allowed, reply)
			}
		})
	}
}

func TestAnAuthorCannotIgnoreTheirOwnFinding(t *testing.T) {
	cases := []struct {
		name, login string
		setup       func(f *fixture)
		reply       string
	}{
		{"the opener, in the security team", "octocat", func(f *fixture) { f.inSecurityTeam("octocat") }, "@octocat, you opened this pull request, so you cannot ignore its findings."},
		{"a co-pusher with write access", "mallory", func(f *fixture) {
			f.gh.SetPermission(f.world.Repo.FullName(), "mallory", "write")
			f.push("mallory", githubtest.CommitSpec{Files: map[string]string{"x.go": "package x\n"}, Author: "octocat"})
		}, "@mallory, you pushed "},
		{"the author of a commit", "carol", func(f *fixture) {
			f.gh.SetPermission(f.world.Repo.FullName(), "carol", "admin")
			f.push("octocat", githubtest.CommitSpec{Files: map[string]string{"x.go": "package x\n"}, Author: "carol"})
		}, "@carol, you wrote "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			tc.setup(f)
			reply := f.runOne(tc.login, "/warden ignore W-91be0d44 false-positive: it is parameterised")
			mustContain(t, reply, tc.reply)
			if _, ok := f.suppressed(fpOther); ok {
				t.Fatal("an author ignored a finding of their own pull request")
			}
			if d := dataOf(t, f.commandAudits()[0]); d.Outcome != "refused: author of the pull request" {
				t.Fatalf("audited %q", d.Outcome)
			}
			if len(f.scans.all()) != 0 {
				t.Fatal("a refused ignore queued a scan")
			}
		})
	}
}

func TestIgnoreOfAnUnobservedFingerprintIsRefused(t *testing.T) {
	f := newFixture(t)
	f.inSecurityTeam("sec")
	unseen := "deadbeef" + strings.Repeat("01", 28)
	reply := f.runOne("sec", "/warden ignore "+unseen+" accepted-risk: ahead of time")
	mustContain(t, reply, "warden never reported W-deadbeef on this pull request, so there is nothing to ignore")
	reply = f.runOne("sec", "/warden ignore "+unseen+" accepted-risk: ahead of time --repo")
	mustContain(t, reply, "warden never reported W-deadbeef in `acme/app`")
	if sups, _ := f.st.ActiveSuppressions(ctx, f.repo.ID, f.world.PR.Number); len(sups) != 0 {
		t.Fatalf("suppressions = %+v", sups)
	}

	// Observed on another pull request: ignorable repository-wide only.
	id, _ := f.st.StartScan(ctx, store.Scan{Repo: f.repo, PR: 99, HeadSHA: "other"})
	if _, err := f.st.ObserveFindings(ctx, store.ScanRef{ScanID: id, Repo: f.repo, PR: 99, HeadSHA: "other"},
		[]store.Observation{{Fingerprint: unseen, RuleID: "iac/docker-root-user", Path: "Dockerfile", Line: 1, Severity: "medium"}}); err != nil {
		t.Fatal(err)
	}
	mustContain(t, f.runOne("sec", "/warden ignore "+unseen+" accepted-risk: ahead of time"), "warden never reported W-deadbeef on this pull request")
	mustContain(t, f.runOne("sec", "/warden ignore "+unseen+" accepted-risk: base image is scratch --repo"), "Ignored W-deadbeef", "in every pull request of `acme/app`")
	if sp, err := f.st.ActiveSuppression(ctx, f.repo.ID, 99, unseen); err != nil || sp.PR != 0 {
		t.Fatalf("repository-wide suppression on #99: %+v %v", sp, err)
	}
}

func TestAnIgnoreIsScopedToThePullRequest(t *testing.T) {
	f := newFixture(t)
	f.gh.SetPermission(f.world.Repo.FullName(), "writer", "write")
	f.inSecurityTeam("sec")
	mustContain(t, f.runOne("writer", "/warden ignore W-91be0d44 false-positive: parameterised"), "on this pull request")
	if sp, ok := f.suppressed(fpOther); !ok || sp.PR != f.world.PR.Number {
		t.Fatalf("suppression = %+v", sp)
	}
	if sups, _ := f.st.ActiveSuppressions(ctx, f.repo.ID, f.world.PR.Number+1); len(sups) != 0 {
		t.Fatalf("another pull request sees this one's ignore: %+v", sups)
	}
	mustContain(t, f.runOne("writer", "/warden ignore W-91be0d44 false-positive: everywhere --repo"),
		"ignoring a finding in every pull request (--repo) needs membership of @\u200dacme/security")
	mustContain(t, f.runOne("sec", "/warden ignore W-91be0d44 false-positive: everywhere --repo"), "in every pull request of `acme/app`", "`/warden unignore W-91be0d44 --repo`")
	if sups, _ := f.st.ActiveSuppressions(ctx, f.repo.ID, f.world.PR.Number+1); len(sups) != 1 || sups[0].PR != 0 {
		t.Fatalf("repository-wide: %+v", sups)
	}
	mustContain(t, f.runOne("writer", "/warden unignore W-91be0d44"), "W-91be0d44 is no longer ignored on this pull request")
	mustContain(t, f.runOne("writer", "/warden unignore W-91be0d44"), "ignored in every pull request of `acme/app`; `/warden unignore W-91be0d44 --repo` undoes that")
	mustContain(t, f.runOne("writer", "/warden unignore W-91be0d44 --repo"), "no longer ignored in `acme/app`")
	if _, ok := f.suppressed(fpOther); ok {
		t.Fatal("still suppressed")
	}
}

// approveAsReview writes `/warden approve` as a review on commit, the way GitHub
// records what the reviewer looked at.
func (f *fixture) approveAsReview(login, commit string) {
	f.t.Helper()
	rv, _, err := f.client.PullRequests.CreateReview(ctx, f.world.Repo.Owner, f.world.Repo.Name, f.world.PR.Number,
		&github.PullRequestReviewRequest{Body: github.String("/warden approve"), Event: github.String("COMMENT"), CommitID: github.String(commit)})
	if err != nil {
		f.t.Fatal(err)
	}
	w := f.route("pull_request_review", f.payloads().Review, "submitted", rv.GetID(), githubtest.WithSender(login))
	w.SenderIsBot = false // the fake's reviews are written by the App; make this one a person's
	f.handle(w)
}

func TestAnApprovalRacedByAPushDoesNotApproveTheNewHead(t *testing.T) {
	f := newFixture(t, workflowApprovals("security_team", false))
	f.inSecurityTeam("sec")
	// sec reviews the head and writes "/warden approve"; before warden
	// handles it, mallory pushes a new commit, and warden hears of it.
	w, _ := f.comment("sec", "/warden approve")
	newHead, err := f.gh.PushToPullRequest(f.world.Repo.FullName(), f.world.PR.Number, githubtest.CommitSpec{
		Files: map[string]string{".github/workflows/ci.yml": "on: pull_request_target\n"}, Message: "sneaky", Author: "mallory"})
	if err != nil {
		t.Fatal(err)
	}
	f.recordPush(newHead, "mallory", "synchronize", time.Now().Add(time.Second))
	before := len(f.botIssueComments())
	f.handle(w)
	replies := f.botIssueComments()[before:]
	if len(replies) != 1 {
		t.Fatalf("replies = %q", replies)
	}
	mustContain(t, replies[0], "warden cannot tell which commit this comment was written on", "its head is "+newHead[:7]+" now", "`/warden approve "+newHead[:7]+"`")
	if got := f.approvedBy(); len(got) != 0 {
		t.Fatalf("the raced approval approved %s: %v", newHead[:7], got)
	}
	if len(f.scans.all()) != 0 {
		t.Fatal("a refused approval queued a scan")
	}

	// A review on the old commit does not approve the new head either.
	f.approveAsReview("sec", f.world.HeadSHA)
	if got := f.approvedBy(); len(got) != 0 {
		t.Fatalf("a review of the old head approved the new one: %v", got)
	}
	// Naming a commit that is not the head is refused; naming the head
	// after reviewing it approves it.
	mustContain(t, f.runOne("sec", "/warden approve "+f.world.HeadSHA[:8]), "The head of this pull request is "+newHead[:7]+", not "+f.world.HeadSHA[:7])
	mustContain(t, f.runOne("sec", "/warden approve "+newHead[:7]+" reviewed the trigger change"), "Approved "+newHead[:7]+" for @sec")
	if got := f.approvedBy(); !slices.Equal(got, []string{"sec"}) {
		t.Fatalf("approvals = %v", got)
	}
}

func TestAReviewApprovesTheCommitItWasWrittenOn(t *testing.T) {
	f := newFixture(t, workflowApprovals("security_team", false))
	f.inSecurityTeam("sec")
	f.approveAsReview("sec", f.world.HeadSHA)
	if got := f.approvedBy(); !slices.Equal(got, []string{"sec"}) {
		t.Fatalf("approvals = %v", got)
	}
}

func TestTwoRulesForTwoTeamsAreEachApprovedByTheirTeam(t *testing.T) {
	f := newFixture(t, withConfig(func(c *config.Config) {
		c.Approvals = []config.Approval{
			{Paths: []string{".github/workflows/**"}, By: "security_team"},
			{Paths: []string{"internal/cloud/**"}, By: "acme/platform"},
		}
	}))
	f.inSecurityTeam("sec")
	f.gh.AddTeamMember("acme", "platform", "plat", "member")
	f.gh.SetPermission(f.world.Repo.FullName(), "writer", "write")

	mustContain(t, f.runOne("writer", "/warden approve"), "needs membership of @\u200dacme/security", "needs membership of @\u200dacme/platform")
	reply := f.runOne("sec", "/warden approve")
	mustContain(t, reply, "Approved "+f.world.HeadSHA[:7]+" for @sec: the changes to `.github/workflows/ci.yml`.",
		"Still needed: `internal/cloud/aws.go` needs someone in @\u200dacme/platform.")
	if got := f.approvals(); !slices.Equal(got["acme/security"], []string{"sec"}) || len(got["acme/platform"]) != 0 {
		t.Fatalf("approvals = %v", got)
	}
	reply = f.runOne("plat", "/warden approve")
	mustContain(t, reply, "Approved "+f.world.HeadSHA[:7]+" for @plat: the changes to `internal/cloud/aws.go`.")
	if strings.Contains(reply, "Still needed") {
		t.Fatalf("reply = %s", reply)
	}
	if got := f.approvals(); !slices.Equal(got["acme/security"], []string{"sec"}) || !slices.Equal(got["acme/platform"], []string{"plat"}) {
		t.Fatalf("approvals = %v", got)
	}
	// Someone in both teams approves both in one command.
	f.inSecurityTeam("both")
	f.gh.AddTeamMember("acme", "platform", "both", "member")
	mustContain(t, f.runOne("both", "/warden approve"), "the changes to `.github/workflows/ci.yml`, `internal/cloud/aws.go`")
}

func TestAChangeToWardensConfigurationNeedsTheSecurityTeam(t *testing.T) {
	f := newFixture(t, withWorld(func(w *githubtest.WorldSpec) {
		w.HeadFiles[".github/warden.yml"] = "fail_on: critical\n"
	}))
	f.gh.SetPermission(f.world.Repo.FullName(), "maintainer", "admin")
	f.inSecurityTeam("sec")
	mustContain(t, f.runOne("maintainer", "/warden approve"), "approving changes to `.github/warden.yml` needs membership of @\u200dacme/security")
	mustContain(t, f.runOne("sec", "/warden approve"), "Approved ", "`.github/warden.yml`")
}

func TestRescanNeedsReadAccess(t *testing.T) {
	cases := []struct {
		name    string
		private bool
		setup   func(f *fixture)
		allowed bool
		reply   string
	}{
		{"a stranger on a public repository", false, func(*fixture) {}, false, "@carl, `/warden rescan` needs read access to `acme/app` as a collaborator."},
		{"a reader", false, func(f *fixture) { f.gh.SetPermission(f.world.Repo.FullName(), "carl", "read") }, true, "Rescan requested by @carl."},
		{"a triager", false, func(f *fixture) { f.gh.SetPermission(f.world.Repo.FullName(), "carl", "triage") }, true, "Rescan requested by @carl."},
		{"a reader of a private repository", true, func(f *fixture) { f.gh.SetPermission(f.world.Repo.FullName(), "carl", "read") }, true, "Rescan requested"},
		{"no access to a private repository", true, func(*fixture) {}, false, "needs read access"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, withWorld(func(w *githubtest.WorldSpec) { w.Private = tc.private }))
			tc.setup(f)
			w, id := f.comment("carl", "/warden rescan")
			f.handle(w)
			replies := f.botIssueComments()
			if len(replies) != 1 {
				t.Fatalf("replies = %q", replies)
			}
			mustContain(t, replies[0], tc.reply)
			jobs := f.scans.all()
			if tc.allowed != (len(jobs) == 1) {
				t.Fatalf("jobs = %+v", jobs)
			}
			if tc.allowed && (!jobs[0].Rerun || jobs[0].HeadSHA != f.world.HeadSHA || jobs[0].Actor != "carl" || jobs[0].CloneURL == "") {
				t.Fatalf("job = %+v", jobs[0])
			}
			if r := f.gh.Reactions(f.world.Repo.FullName(), "issue_comment", id); (len(r) == 1) != tc.allowed {
				t.Fatalf("reactions = %+v: only a command the sender may run gets 👀", r)
			}
		})
	}
}

func TestRescansAreLimitedAndMergeWhileWaiting(t *testing.T) {
	f := newFixture(t)
	f.gh.SetPermission(f.world.Repo.FullName(), "reader", "read")
	f.gh.SetPermission(f.world.Repo.FullName(), "other", "read")
	mustContain(t, f.runOne("reader", "/warden rescan"), "Re-running the `warden` check on "+f.world.HeadSHA[:7])
	mustContain(t, f.runOne("other", "/warden rescan"), "This pull request was rescanned less than a minute ago; the next rescan can be asked at 12:01:00 UTC.")
	f.clock.Advance(time.Minute)
	// The first rescan has not started: the next request joins it.
	mustContain(t, f.runOne("other", "/warden rescan"), "already queued; it covers this too")
	if n := len(f.scans.all()); n != 1 {
		t.Fatalf("%d rescans queued, want 1", n)
	}
	f.scans.startAll()
	f.clock.Advance(time.Minute)
	mustContain(t, f.runOne("other", "/warden rescan"), "Re-running")
	if n := len(f.scans.all()); n != 2 {
		t.Fatalf("%d rescans queued, want 2 once the first one started", n)
	}
	// Ten per person per hour.
	for i := 0; i < 9; i++ {
		f.clock.Advance(time.Minute)
		f.scans.startAll()
		mustContain(t, f.runOne("reader", "/warden rescan"), "Rescan requested")
	}
	f.clock.Advance(time.Minute)
	mustContain(t, f.runOne("reader", "/warden rescan"), "@reader, you asked for 10 rescans in this repository within the hour")
	var outcomes []string
	for _, a := range f.commandAudits() {
		outcomes = append(outcomes, dataOf(t, a).Outcome)
	}
	if !slices.ContainsFunc(outcomes, func(o string) bool { return strings.HasPrefix(o, "rate-limited: ") }) {
		t.Fatalf("rate limits are not audited: %v", outcomes)
	}
}

func TestAStrangersFloodGetsOneReplyAndNoRescan(t *testing.T) {
	f := newFixture(t)
	var ids []int64
	for i := 0; i < command.MaxCommentsPerHour+5; i++ {
		w, id := f.comment("spammer", "/warden rescan")
		f.handle(w)
		ids = append(ids, id)
	}
	if replies := f.botIssueComments(); len(replies) != 1 {
		t.Fatalf("%d replies to a stranger's flood, want 1", len(replies))
	}
	for _, id := range ids {
		if r := f.gh.Reactions(f.world.Repo.FullName(), "issue_comment", id); len(r) != 0 {
			t.Fatalf("a refused command got a reaction: %+v", r)
		}
	}
	if n := len(f.scans.all()); n != 0 {
		t.Fatalf("%d rescans for a stranger", n)
	}
	// Beyond the comment limit warden does not even ask GitHub who wrote it.
	if n := len(f.gh.RequestsTo("GET", "/repos/{owner}/{repo}/collaborators/{username}/permission")); n != command.MaxCommentsPerHour {
		t.Fatalf("%d permission look-ups, want %d", n, command.MaxCommentsPerHour)
	}
	audits := f.commandAudits()
	if len(audits) != len(ids) {
		t.Fatalf("%d audits for %d commands", len(audits), len(ids))
	}
	if d := dataOf(t, audits[len(audits)-1]); !strings.HasPrefix(d.Outcome, "dropped: ") {
		t.Fatalf("last outcome %q", d.Outcome)
	}
	// An hour later the stranger may be told once more.
	f.clock.Advance(time.Hour)
	f.runOne("spammer", "/warden rescan")
}
