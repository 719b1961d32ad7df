package server_test

import (
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

	h.gh.SetPermission(h.world.Repo.FullName(), "reader", "read")
	h.comment("reader", "/warden ignore "+id+" false-positive: just a fixture")
	refusal := h.waitReply("needs write access", 30*time.Second)
	if !strings.Contains(refusal.Body, "@reader") || !strings.Contains(refusal.Body, "you have read") {
		t.Errorf("refusal: %s", refusal.Body)
	}

	h.gh.SetPermission(h.world.Repo.FullName(), "maintainer", "write")
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
