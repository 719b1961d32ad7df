package command_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/githubtest"
	"github.com/wardenbot/warden/bot/store"
)

func TestIgnoreHoldsOnLaterPushes(t *testing.T) {
	f := newFixture(t)
	f.gh.SetPermission(f.world.Repo.FullName(), "alice", "write")
	f.inSecurityTeam("alice")
	w, commentID := f.comment("alice", "Thanks!\n\n/warden ignore W-3f2a9c1b false-positive: test fixture")
	f.handle(w)

	if r := f.gh.Reactions(f.world.Repo.FullName(), "issue_comment", commentID); len(r) != 1 || r[0].Content != "eyes" {
		t.Fatalf("reactions = %+v, want one 👀", r)
	}
	replies := f.botIssueComments()
	if len(replies) != 1 {
		t.Fatalf("replies = %q", replies)
	}
	mustContain(t, replies[0], "Ignored W-3f2a9c1b (false-positive: test fixture) for @alice on this pull request", "stays ignored on its later pushes",
		"/warden unignore W-3f2a9c1b", "Re-running the `warden` check on "+f.world.HeadSHA[:7])
	sp, ok := f.suppressed(fpKey)
	if !ok || sp.Kind != store.FalsePositive || sp.Reason != "test fixture" || sp.By != "alice" || !sp.ExpiresAt.IsZero() {
		t.Fatalf("suppression = %+v (found %v)", sp, ok)
	}
	jobs := f.scans.all()
	if len(jobs) != 1 || jobs[0].HeadSHA != f.world.HeadSHA || jobs[0].PR != f.world.PR.Number || jobs[0].Rerun {
		t.Fatalf("jobs = %+v, want one re-evaluation of the head", jobs)
	}
	audits := f.commandAudits()
	if len(audits) != 1 {
		t.Fatalf("%d command audits", len(audits))
	}
	if d := dataOf(t, audits[0]); d.Outcome != "done" || d.Permission != "write; member of acme/security" || audits[0].Actor != "alice" || d.CommentID != commentID {
		t.Fatalf("audit = %+v %+v", audits[0], d)
	}

	// A later push: the second scan sees the same fingerprint, ignored.
	head2, err := f.gh.PushToPullRequest(f.world.Repo.FullName(), f.world.PR.Number, githubtest.CommitSpec{
		Files: map[string]string{"README.md": "# moved lines\n"}, Message: "unrelated"})
	if err != nil {
		t.Fatal(err)
	}
	res := f.scan(head2, fpKey, fpOther)
	if len(res.New) != 0 || len(res.Unignored) != 0 {
		t.Fatalf("second scan: %+v, want the ignore to hold", res)
	}
	finding, err := f.st.Finding(ctx, f.repo.ID, f.world.PR.Number, fpKey)
	if err != nil || finding.State != store.FindingIgnored || finding.LastSeenSHA != head2 {
		t.Fatalf("finding after push = %+v, %v", finding, err)
	}
}

func TestIgnoreWithExpiryComesBack(t *testing.T) {
	f := newFixture(t)
	f.gh.SetPermission(f.world.Repo.FullName(), "alice", "write")
	f.inSecurityTeam("alice")
	reply := f.runOne("alice", "/warden ignore W-3f2a9c1b accepted-risk: until the migration --expires 1d")
	mustContain(t, reply, "until 2026-03-02 12:00 UTC (1 day)")
	if _, ok := f.suppressed(fpKey); !ok {
		t.Fatal("not suppressed")
	}
	f.clock.Advance(25 * time.Hour)
	if _, ok := f.suppressed(fpKey); ok {
		t.Fatal("suppression still active after it expired")
	}
	res := f.scan(f.world.HeadSHA, fpKey, fpOther)
	if len(res.Unignored) != 1 || res.Unignored[0] != fpKey {
		t.Fatalf("scan after expiry: %+v, want %s back", res, fpKey)
	}
}

func TestUnignore(t *testing.T) {
	f := newFixture(t)
	f.gh.SetPermission(f.world.Repo.FullName(), "alice", "maintain")
	f.inSecurityTeam("alice")
	f.runOne("alice", "/warden ignore W-3f2a9c1b test-code: fixture")
	f.scans.startAll() // the ignore's re-run started: undoing it needs another
	reply := f.runOne("alice", "/warden unignore W-3f2a9c1b")
	mustContain(t, reply, "W-3f2a9c1b is no longer ignored on this pull request (undone by @alice)", "Re-running")
	if _, ok := f.suppressed(fpKey); ok {
		t.Fatal("still suppressed")
	}
	reply = f.runOne("alice", "/warden unignore W-3f2a9c1b")
	mustContain(t, reply, "W-3f2a9c1b is not ignored on this pull request; nothing to undo.")
	if strings.Contains(reply, "Re-running") {
		t.Fatal("nothing changed, yet the check is re-run")
	}
}

func TestManagingFindingsNeedsWriteOrTheSecurityTeam(t *testing.T) {
	cases := []struct {
		name    string
		setup   func(f *fixture)
		allowed bool
		seen    string
		reply   string
	}{
		{"admin", func(f *fixture) { f.gh.SetPermission(f.world.Repo.FullName(), "bob", "admin") }, true, "admin", ""},
		{"maintain", func(f *fixture) { f.gh.SetPermission(f.world.Repo.FullName(), "bob", "maintain") }, true, "maintain", ""},
		{"write", func(f *fixture) { f.gh.SetPermission(f.world.Repo.FullName(), "bob", "write") }, true, "write", ""},
		{"triage", func(f *fixture) { f.gh.SetPermission(f.world.Repo.FullName(), "bob", "triage") }, false, "triage; not in acme/security",
			"@bob, ignoring W-91be0d44 (`code/sql-injection`, high, `ignore_by.default`) needs write access to `acme/app` (you have triage). Ask a maintainer or someone in @\u200dacme/security."},
		{"read", func(f *fixture) { f.gh.SetPermission(f.world.Repo.FullName(), "bob", "read") }, false, "read; not in acme/security",
			"needs write access to `acme/app` (you have read)."},
		{"none", func(f *fixture) {}, false, "none; not in acme/security", "(you have no access)"},
		{"security team member with read", func(f *fixture) {
			f.gh.SetPermission(f.world.Repo.FullName(), "bob", "read")
			f.gh.AddTeamMember("acme", "security", "bob", "member")
		}, true, "read; member of acme/security", ""},
		{"member of another team", func(f *fixture) {
			f.gh.SetPermission(f.world.Repo.FullName(), "bob", "read")
			f.gh.AddTeamMember("acme", "frontend", "bob", "member")
		}, false, "read; not in acme/security", "needs write access"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := []fixtureOpt{}
			if tc.name == "none" {
				opts = append(opts, withWorld(func(w *githubtest.WorldSpec) { w.Private = true }))
			}
			f := newFixture(t, opts...)
			tc.setup(f)
			reply := f.runOne("bob", "/warden ignore W-91be0d44 false-positive: fixture")
			_, suppressed := f.suppressed(fpOther)
			if suppressed != tc.allowed {
				t.Fatalf("suppressed = %v, want %v; reply: %s", suppressed, tc.allowed, reply)
			}
			if tc.reply != "" {
				mustContain(t, reply, tc.reply)
			}
			audits := f.commandAudits()
			if len(audits) != 1 {
				t.Fatalf("%d audits", len(audits))
			}
			d := dataOf(t, audits[0])
			if d.Permission != tc.seen {
				t.Errorf("audited permission %q, want %q", d.Permission, tc.seen)
			}
			if want := map[bool]string{true: "done", false: "refused: needs write (ignore_by.default)"}[tc.allowed]; d.Outcome != want {
				t.Errorf("audited outcome %q, want %q", d.Outcome, want)
			}
			if got := len(f.scans.all()); (got == 1) != tc.allowed {
				t.Errorf("%d scans queued", got)
			}
		})
	}
}

func TestIgnoreInWardensThreadNeedsNoID(t *testing.T) {
	for _, recorded := range []bool{true, false} {
		name := map[bool]string{true: "comment id in the store", false: "marker of warden's comment"}[recorded]
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			f.gh.SetPermission(f.world.Repo.FullName(), "alice", "write")
			f.inSecurityTeam("alice")
			root := f.wardenComment(fpKey, recorded)
			rc, err := f.gh.AddUserReviewComment(f.world.Repo.FullName(), f.world.PR.Number, "alice", "/warden ignore false-positive: generated test key", root)
			if err != nil {
				t.Fatal(err)
			}
			f.handle(f.route("pull_request_review_comment", f.payloads().ReviewComment, "created", rc.ID))
			if _, ok := f.suppressed(fpKey); !ok {
				t.Fatal("the thread's finding was not ignored")
			}
			if r := f.gh.Reactions(f.world.Repo.FullName(), "pull_request_review_comment", rc.ID); len(r) != 1 || r[0].Content != "eyes" {
				t.Fatalf("reactions = %+v", r)
			}
			var replies []githubtest.ReviewComment
			for _, c := range f.gh.ReviewComments(f.world.Repo.FullName(), f.world.PR.Number) {
				if c.User == f.world.App.BotLogin && c.InReplyTo == root {
					replies = append(replies, c)
				}
			}
			if len(replies) != 1 || !strings.Contains(replies[0].Body, "Ignored W-3f2a9c1b") {
				t.Fatalf("thread replies = %+v", replies)
			}
			if len(f.botIssueComments()) != 0 {
				t.Fatal("a thread command must be answered in the thread, not the conversation")
			}
		})
	}
}

func TestAMarkerTypedByAPersonNamesNoFinding(t *testing.T) {
	f := newFixture(t)
	f.gh.SetPermission(f.world.Repo.FullName(), "alice", "write")
	forged, err := f.gh.AddUserReviewComment(f.world.Repo.FullName(), f.world.PR.Number, "mallory", "looks fine\n<!-- warden:"+fpKey+" -->", 0)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := f.gh.AddUserReviewComment(f.world.Repo.FullName(), f.world.PR.Number, "alice", "/warden ignore accepted-risk: ok", forged.ID)
	if err != nil {
		t.Fatal(err)
	}
	f.handle(f.route("pull_request_review_comment", f.payloads().ReviewComment, "created", rc.ID))
	if _, ok := f.suppressed(fpKey); ok {
		t.Fatal("a forged marker selected a finding")
	}
	comments := f.gh.ReviewComments(f.world.Repo.FullName(), f.world.PR.Number)
	last := comments[len(comments)-1]
	if last.User != f.world.App.BotLogin || last.InReplyTo != forged.ID || !strings.Contains(last.Body, "Which finding?") {
		t.Fatalf("last comment = %+v", last)
	}
}

func TestIgnoreEscapesWhatItEchoes(t *testing.T) {
	f := newFixture(t)
	f.gh.SetPermission(f.world.Repo.FullName(), "alice", "write")
	f.inSecurityTeam("alice")
	hostile := "@acme/security <img src=x onerror=alert(1)> </details> ``` [click](javascript:alert(1)) <!-- warden:" + fpOther + " -->"
	reply := f.runOne("alice", "/warden ignore W-3f2a9c1b false-positive: "+hostile)
	for _, bad := range []string{"@acme/security", "<img", "</details>", "<!--", "[click](javascript:", "```"} {
		if strings.Contains(reply, bad) {
			t.Errorf("reply contains %q unescaped:\n%s", bad, reply)
		}
	}
	sp, ok := f.suppressed(fpKey)
	if !ok || sp.Reason != hostile {
		t.Fatalf("the reason must be stored as typed: %+v", sp)
	}
}

func TestIgnoreAskedWrongly(t *testing.T) {
	f := newFixture(t)
	f.gh.SetPermission(f.world.Repo.FullName(), "alice", "write")
	cases := map[string]string{
		"/warden ignore W-3f2a9c1b":                "an ignore needs a reason",
		"/warden ignore W-00000000 fp":             "warden has no finding W-00000000 on this pull request.",
		"/warden ignore W-3f2a fixture":            "is not a finding id",
		"/warden ignore false-positive: no thread": "Which finding?",
		"/warden ignore W-3f2a9c1b x --expires 9y": "--expires wants a duration",
	}
	for body, want := range cases {
		mustContain(t, f.runOne("alice", body), want)
	}
	if _, ok := f.suppressed(fpKey); ok {
		t.Fatal("a malformed ignore suppressed something")
	}
	if n := len(f.scans.all()); n != 0 {
		t.Fatalf("%d scans queued for commands that did nothing", n)
	}
	for _, a := range f.commandAudits() {
		if d := dataOf(t, a); !strings.HasPrefix(d.Outcome, "rejected: ") {
			t.Errorf("audited outcome %q", d.Outcome)
		}
	}
}

func TestIgnoreTakesAFullFingerprint(t *testing.T) {
	f := newFixture(t)
	f.gh.SetPermission(f.world.Repo.FullName(), "alice", "write")
	f.runOne("alice", "/warden ignore "+strings.ToUpper(fpOther)+" false-positive: parameterised")
	if _, ok := f.suppressed(fpOther); !ok {
		t.Fatal("not suppressed")
	}
	if _, err := f.st.ActiveSuppression(ctx, f.repo.ID, f.world.PR.Number, fpKey); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("another finding was suppressed: %v", err)
	}
}
