package command_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-github/v60/github"

	"github.com/wardenbot/warden/bot/command"
	"github.com/wardenbot/warden/bot/githubtest"
	"github.com/wardenbot/warden/bot/webhook"
	"github.com/wardenbot/warden/config"
)

func TestHelpShowsCommandsAndTheBasePolicy(t *testing.T) {
	f := newFixture(t, workflowApprovals("security_team", false))
	reply := f.runOne("stranger", "/warden help")
	mustContain(t, reply, "`/warden ignore W-3f2a9c1b false-positive: <why>`", "`/warden approve [<sha>] [note]`", "`/warden rescan`",
		"write access, or @\u200dacme/security", "at base "+f.world.BaseSHA[:7], "severity **high**",
		"Changes to `.github/workflows/**`, `Dockerfile` need an approval by @\u200dacme/security.",
		"Changes to `.github/warden.yml`, `.github/warden/**` need an approval by @\u200dacme/security.",
		"secrets: @\u200dacme/security; other critical findings: @\u200dacme/security; the rest: write access or @\u200dacme/security; never an author")
	if f.config.asked[0] != f.world.BaseSHA {
		t.Fatalf("policy read at %s, want the base", f.config.asked[0])
	}
}

type stubMessages map[string]string

func (m stubMessages) FindingMessage(_ context.Context, _ int64, _ int, fp string) (string, error) {
	return m[fp], nil
}

func TestExplainShowsTheRuleDocs(t *testing.T) {
	f := newFixture(t)
	f.h.Messages = stubMessages{fpKey: "An AWS key `AKIA…` is committed; ask @acme/security <b>now</b>."}
	reply := f.runOne("stranger", "/warden explain W-3f2a9c1b")
	if r := f.gh.Reactions(f.world.Repo.FullName(), "issue_comment", f.lastCommentID()); len(r) != 1 {
		t.Fatalf("reactions = %+v: anyone may ask for an explanation", r)
	}
	mustContain(t, reply, "**W-3f2a9c1b · `secrets/aws-access-key` · AWS access key** (high)",
		"**What it looks for:** An AWS access key ID", "**Why it matched here:** An AWS key `AKIA…` is committed",
		"`internal/cloud/aws.go` line 3 at "+f.world.HeadSHA[:7], "**How to fix it:** Revoke the key",
		"- <https://cwe.mitre.org/data/definitions/798.html>", "- CWE-798")
	for _, bad := range []string{"@acme/security", "<b>", "<javascript:", "](javascript"} {
		if strings.Contains(reply, bad) {
			t.Errorf("explain echoes %q unescaped", bad)
		}
	}
	mustContain(t, f.runOne("passer-by", "/warden explain W-91be0d44"), "`code/sql-injection`", "warden has no documentation for this rule")
	if len(f.scans.all()) != 0 {
		t.Fatal("explain must not re-run the check")
	}
}

func TestDefaultRuleBookDocumentsTheChecks(t *testing.T) {
	book, err := command.DefaultRuleBook()
	if err != nil {
		t.Fatal(err)
	}
	if len(book) < 10 {
		t.Fatalf("only %d rules documented", len(book))
	}
	for id, r := range book {
		if r.ID != id || r.Title == "" {
			t.Errorf("rule %q: %+v", id, r)
		}
	}
}

func TestUnknownCommandSuggestsTheClosest(t *testing.T) {
	f := newFixture(t)
	f.gh.SetPermission(f.world.Repo.FullName(), "alice", "read")
	reply := f.runOne("alice", "/warden ignroe W-3f2a9c1b x")
	if reply != "Unknown command `/warden ignroe`. Did you mean `/warden ignore`? `/warden help` lists the commands." {
		t.Fatalf("reply = %q", reply)
	}
	mustContain(t, f.runOne("alice", "/warden <img src=x>"), "Unknown command `/warden <img`.")
}

func TestSeveralCommandsGetOneReplyAndOneRescan(t *testing.T) {
	f := newFixture(t)
	f.gh.SetPermission(f.world.Repo.FullName(), "alice", "write")
	f.inSecurityTeam("alice")
	reply := f.runOne("alice", "/warden ignore W-3f2a9c1b test-code: fixture\nand\n/warden ignore W-91be0d44 accepted-risk: internal\n/warden rescan")
	mustContain(t, reply, "Ignored W-3f2a9c1b", "Ignored W-91be0d44", "Rescan requested")
	if strings.Count(reply, "Re-running") != 1 {
		t.Fatalf("reply = %s", reply)
	}
	if jobs := f.scans.all(); len(jobs) != 1 || !jobs[0].Rerun {
		t.Fatalf("jobs = %+v", jobs)
	}
	if n := len(f.commandAudits()); n != 3 {
		t.Fatalf("%d audits, want one per command", n)
	}
}

func TestQuotedAndCodeCommandsDoNotRun(t *testing.T) {
	f := newFixture(t)
	f.gh.SetPermission(f.world.Repo.FullName(), "alice", "admin")
	body := "> /warden ignore W-3f2a9c1b false-positive: quoted\n\nExample:\n```\n/warden approve\n```\n\n    /warden rescan\n\nSee `/warden ignore`."
	w, id := f.comment("alice", body)
	f.handle(w)
	if len(f.botIssueComments()) != 0 || len(f.scans.all()) != 0 || len(f.commandAudits()) != 0 ||
		len(f.gh.Reactions(f.world.Repo.FullName(), "issue_comment", id)) != 0 {
		t.Fatal("a quoted or example command ran, or warden reacted")
	}
	if _, ok := f.suppressed(fpKey); ok {
		t.Fatal("quoted ignore suppressed the finding")
	}
}

func TestBotsAreIgnored(t *testing.T) {
	f := newFixture(t)
	for _, login := range []string{f.world.App.BotLogin, "dependabot[bot]"} {
		w, _ := f.comment("alice", "/warden rescan")
		w.Sender, w.SenderIsBot = login, login == f.world.App.BotLogin
		f.handle(w)
	}
	if len(f.botIssueComments()) != 0 || len(f.scans.all()) != 0 || len(f.commandAudits()) != 0 {
		t.Fatal("a bot's comment ran a command")
	}
}

func TestEditedAndRedeliveredCommentsRunOnce(t *testing.T) {
	f := newFixture(t)
	f.gh.SetPermission(f.world.Repo.FullName(), "alice", "write")
	f.inSecurityTeam("alice")
	w, id := f.comment("alice", "/warden ignore W-3f2a9c1b false-positive: fixture\n/warden rescan")
	f.handle(w)
	f.handle(w) // redelivered with a new delivery id, or retried
	edited := f.route("issue_comment", f.payloads().IssueComment, "edited", id)
	if !edited.CommentEdited {
		t.Fatal("the edit was not routed as one")
	}
	f.handle(edited)
	if n := len(f.botIssueComments()); n != 1 {
		t.Fatalf("%d replies, want 1", n)
	}
	if n := len(f.scans.all()); n != 1 {
		t.Fatalf("%d scans, want 1", n)
	}
	if n := len(f.commandAudits()); n != 2 {
		t.Fatalf("%d audits, want 2", n)
	}
	sups, _ := f.st.ActiveSuppressions(ctx, f.repo.ID, f.world.PR.Number)
	if len(sups) != 1 {
		t.Fatalf("%d suppressions, want 1", len(sups))
	}
}

func TestReviewBodyCommandsAreAnsweredInTheConversation(t *testing.T) {
	f := newFixture(t)
	f.gh.SetPermission(f.world.Repo.FullName(), "alice", "read")
	rv, _, err := f.client.PullRequests.CreateReview(ctx, f.world.Repo.Owner, f.world.Repo.Name, f.world.PR.Number,
		&github.PullRequestReviewRequest{Body: github.String("/warden rescan"), Event: github.String("COMMENT"), CommitID: github.String(f.world.HeadSHA)})
	if err != nil {
		t.Fatal(err)
	}
	w := f.route("pull_request_review", f.payloads().Review, "submitted", rv.GetID(), githubtest.WithSender("alice"))
	w.SenderIsBot = false // the fake's reviews are written by the App; make this one a person's
	f.handle(w)
	replies := f.botIssueComments()
	if len(replies) != 1 || !strings.Contains(replies[0], "Rescan requested by @alice") {
		t.Fatalf("replies = %q", replies)
	}
}

func TestCheckRunButtons(t *testing.T) {
	f := newFixture(t)
	f.gh.SetPermission(f.world.Repo.FullName(), "reader", "read")
	cr, _, err := f.client.Checks.CreateCheckRun(ctx, f.world.Repo.Owner, f.world.Repo.Name, github.CreateCheckRunOptions{
		Name: "warden", HeadSHA: f.world.HeadSHA})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"rescan", "deploy"} {
		body, err := f.payloads().CheckRun("requested_action", f.world.Repo.FullName(), cr.GetID(), id, githubtest.WithSender("reader"))
		if err != nil {
			t.Fatal(err)
		}
		w, err := webhook.Route("check_run", body)
		if err != nil {
			t.Fatal(err)
		}
		f.handle(w)
	}
	jobs := f.scans.all()
	if len(jobs) != 1 || jobs[0].HeadSHA != f.world.HeadSHA || !jobs[0].Rerun || jobs[0].Event != "check_run.requested_action" {
		t.Fatalf("jobs = %+v, want one rescan and the unknown button ignored", jobs)
	}
	audits := f.commandAudits()
	if len(audits) != 1 || dataOf(t, audits[0]).Outcome != "done" || audits[0].Actor != "reader" {
		t.Fatalf("audits = %+v", audits)
	}
}

func TestUnreadableConfigurationIsReported(t *testing.T) {
	f := newFixture(t)
	f.h.Config = failingConfig{}
	f.gh.SetPermission(f.world.Repo.FullName(), "bob", "read")
	mustContain(t, f.runOne("bob", "/warden ignore W-3f2a9c1b false-positive: x"), "could not read `.github/warden.yml`", "line 3: unknown key")
	if _, ok := f.suppressed(fpKey); ok {
		t.Fatal("suppressed without a readable policy")
	}
}

type failingConfig struct{}

func (failingConfig) Load(context.Context, int64, string, string, string) (*config.Config, error) {
	return nil, errBadConfig
}

var errBadConfig = configErr(".github/warden.yml: line 3: unknown key \"securty_team\"")

type configErr string

func (e configErr) Error() string { return string(e) }

// lastCommentID is the newest comment of the pull request's conversation
// written by someone other than warden.
func (f *fixture) lastCommentID() int64 {
	var id int64
	for _, c := range f.gh.IssueComments(f.world.Repo.FullName(), f.world.PR.Number) {
		if c.User != f.world.App.BotLogin {
			id = c.ID
		}
	}
	return id
}
