package command_test

import (
	"strings"
	"testing"

	"github.com/google/go-github/v60/github"

	"github.com/wardenbot/warden/bot/githubtest"
	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/config"
)

// workflowApprovals requires approvals of workflow changes.
func workflowApprovals(by string, allowAuthor bool) fixtureOpt {
	return withConfig(func(c *config.Config) {
		c.Approvals = []config.Approval{{Paths: []string{".github/workflows/**", "Dockerfile"}, By: by, AllowAuthor: allowAuthor}}
	})
}

// approvals lists, per rule the current head falls under (by approver),
// who approved it, keyed exactly as the reviewer looks approvals up: the
// head, the rule's digest and its approver.
func (f *fixture) approvals() map[string][]string {
	f.t.Helper()
	pr, _ := f.gh.PullRequest(f.world.Repo.FullName(), f.world.PR.Number)
	listed, _, err := f.client.PullRequests.ListFiles(ctx, f.world.Repo.Owner, f.world.Repo.Name, f.world.PR.Number, &github.ListOptions{PerPage: 100})
	if err != nil {
		f.t.Fatal(err)
	}
	var files []checks.FileChange
	for _, l := range listed {
		files = append(files, checks.FileChange{Path: l.GetFilename(), OldPath: l.GetPreviousFilename()})
	}
	out := map[string][]string{}
	for _, rule := range config.TouchedRules(f.config.cfg, files) {
		as, err := f.st.ApprovalsFor(ctx, f.repo.ID, f.world.PR.Number, pr.HeadSHA, rule.Digest)
		if err != nil {
			f.t.Fatal(err)
		}
		for _, a := range as {
			if a.Team == rule.Who.String() && a.BaseSHA == pr.BaseSHA {
				out[rule.Who.String()] = append(out[rule.Who.String()], a.By)
			}
		}
	}
	return out
}

// approvedBy lists everyone who approved some rule of the current head.
func (f *fixture) approvedBy() []string {
	var out []string
	for _, logins := range f.approvals() {
		out = append(out, logins...)
	}
	return out
}

func TestApprovePermissions(t *testing.T) {
	cases := []struct {
		name    string
		opt     fixtureOpt
		login   string
		setup   func(f *fixture)
		allowed bool
		reply   string
	}{
		{"security team member", workflowApprovals("security_team", false), "sec", func(f *fixture) {
			f.gh.AddTeamMember("acme", "security", "sec", "member")
		}, true, "Approved "},
		{"admin outside the required team", workflowApprovals("security_team", false), "boss", func(f *fixture) {
			f.gh.SetPermission(f.world.Repo.FullName(), "boss", "admin")
		}, false, "@boss, approving changes to `.github/workflows/ci.yml` needs membership of @\u200dacme/security (you have admin access to `acme/app`)."},
		{"named team", workflowApprovals("acme/platform", false), "plat", func(f *fixture) {
			f.gh.AddTeamMember("acme", "platform", "plat", "maintainer")
		}, true, "Approved "},
		{"writer where no team is named", workflowApprovals("", false), "alice", func(f *fixture) {
			f.gh.SetPermission(f.world.Repo.FullName(), "alice", "write")
		}, true, "Approved "},
		{"reader where no team is named", workflowApprovals("", false), "carol", func(f *fixture) {
			f.gh.SetPermission(f.world.Repo.FullName(), "carol", "read")
		}, false, "needs write access to `acme/app` (you have read)"},
		{"author without allow_author", workflowApprovals("security_team", false), "octocat", func(f *fixture) {
			f.gh.AddTeamMember("acme", "security", "octocat", "member")
		}, false, "@octocat, you opened this pull request, so you cannot approve its changes to `.github/workflows/ci.yml`"},
		{"co-pusher without allow_author", workflowApprovals("security_team", false), "mallory", func(f *fixture) {
			f.inSecurityTeam("mallory")
			// mallory pushes a commit written in octocat's name: only the
			// push event shows who brought it in.
			f.push("mallory", githubtest.CommitSpec{Files: map[string]string{"notes.md": "x\n"}, Author: "octocat", Message: "docs"})
		}, false, "@mallory, you pushed "},
		{"commit author without allow_author", workflowApprovals("security_team", false), "carol", func(f *fixture) {
			f.inSecurityTeam("carol")
			f.push("octocat", githubtest.CommitSpec{Files: map[string]string{"notes.md": "x\n"}, Author: "carol", Message: "docs"})
		}, false, "@carol, you wrote "},
		{"committer without allow_author", workflowApprovals("security_team", false), "dave", func(f *fixture) {
			f.inSecurityTeam("dave")
			f.push("octocat", githubtest.CommitSpec{Files: map[string]string{"notes.md": "x\n"}, Author: "octocat", Committer: "dave", Message: "docs"})
		}, false, "@dave, you committed "},
		{"author with allow_author", workflowApprovals("security_team", true), "octocat", func(f *fixture) {
			f.gh.AddTeamMember("acme", "security", "octocat", "member")
		}, true, "Approved "},
		{"author with allow_author outside the team", workflowApprovals("security_team", true), "octocat", func(f *fixture) {}, false, "needs membership of"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, tc.opt)
			tc.setup(f)
			reply := f.runOne(tc.login, "/warden approve reviewed the pinned actions")
			mustContain(t, reply, tc.reply)
			got := f.approvedBy()
			if tc.allowed != (len(got) == 1 && got[0] == tc.login) {
				t.Fatalf("approvals = %v, allowed = %v; reply: %s", got, tc.allowed, reply)
			}
			if (len(f.scans.all()) == 1) != tc.allowed {
				t.Fatalf("scans queued: %d", len(f.scans.all()))
			}
			if f.config.asked[0] != f.world.BaseSHA {
				t.Fatalf("configuration read at %s, want the base %s", f.config.asked[0], f.world.BaseSHA)
			}
			d := dataOf(t, f.commandAudits()[0])
			if tc.allowed != (d.Outcome == "done") || (!tc.allowed && !strings.HasPrefix(d.Outcome, "refused: ")) {
				t.Fatalf("audited outcome %q", d.Outcome)
			}
		})
	}
}

func TestApprovalIsForTheCurrentHeadOnly(t *testing.T) {
	f := newFixture(t, workflowApprovals("security_team", false))
	f.gh.AddTeamMember("acme", "security", "sec", "member")
	reply := f.runOne("sec", "/warden approve")
	mustContain(t, reply, "Approved "+f.world.HeadSHA[:7]+" for @sec: the changes to `.github/workflows/ci.yml`. A later push needs a new approval.")
	mustContain(t, f.runOne("sec", "/warden approve"), "@sec already approved")
	if n := len(f.scans.all()); n != 1 {
		t.Fatalf("%d scans; a repeated approval changes nothing", n)
	}
	if _, err := f.gh.PushToPullRequest(f.world.Repo.FullName(), f.world.PR.Number, githubtest.CommitSpec{
		Files: map[string]string{".github/workflows/ci.yml": "on: pull_request_target\n"}, Message: "more"}); err != nil {
		t.Fatal(err)
	}
	if got := f.approvedBy(); len(got) != 0 {
		t.Fatalf("the new head is approved by %v already", got)
	}
}

func TestApproveWrittenOnAnOlderHeadIsRefused(t *testing.T) {
	f := newFixture(t, workflowApprovals("security_team", false))
	f.gh.AddTeamMember("acme", "security", "sec", "member")
	root := f.wardenComment(fpKey, true)
	rc, err := f.gh.AddUserReviewComment(f.world.Repo.FullName(), f.world.PR.Number, "sec", "/warden approve", root)
	if err != nil {
		t.Fatal(err)
	}
	w := f.route("pull_request_review_comment", f.payloads().ReviewComment, "created", rc.ID)
	newHead, err := f.gh.PushToPullRequest(f.world.Repo.FullName(), f.world.PR.Number, githubtest.CommitSpec{
		Files: map[string]string{"Dockerfile": "FROM scratch\n"}, Message: "sneaky"})
	if err != nil {
		t.Fatal(err)
	}
	f.handle(w)
	comments := f.gh.ReviewComments(f.world.Repo.FullName(), f.world.PR.Number)
	mustContain(t, comments[len(comments)-1].Body, "moved on to "+newHead[:7])
	if got := f.approvedBy(); len(got) != 0 {
		t.Fatalf("an approval written before a push approved the new commits %s: %v", newHead[:7], got)
	}
}

func TestApproveWithNothingSensitive(t *testing.T) {
	f := newFixture(t, withConfig(func(c *config.Config) {
		c.Approvals = []config.Approval{{Paths: []string{"auth/**"}, By: "security_team"}}
	}))
	mustContain(t, f.runOne("octocat", "/warden approve"), "Nothing in this pull request needs an approval")
	if len(f.scans.all()) != 0 {
		t.Fatal("nothing approved, yet a scan was queued")
	}
}
