package githubtest

import (
	"context"
	"testing"

	"github.com/google/go-github/v60/github"
)

func TestPermissionsAndTeams(t *testing.T) {
	s, w := newWorld(t, WorldSpec{})
	client, _ := installationClient(t, s, w)
	ctx := context.Background()
	repo := w.Repo.FullName()
	s.SetPermission(repo, "maya", "maintain")
	s.SetPermission(repo, "tom", "triage")
	s.SetPermission(repo, "ada", "admin")
	s.AddTeamMember(w.Repo.Owner, "security", "sec", "member")
	for login, want := range map[string]string{"maya": "write", "tom": "read", "ada": "admin"} {
		perm, _, err := client.Repositories.GetPermissionLevel(ctx, w.Repo.Owner, w.Repo.Name, login)
		if err != nil || perm.GetPermission() != want {
			t.Errorf("%s: %v %v, want %s", login, err, perm.GetPermission(), want)
		}
	}
	for _, login := range []string{"nobody-known", w.Repo.Owner} {
		if _, _, err := client.Repositories.GetPermissionLevel(ctx, w.Repo.Owner, w.Repo.Name, login); !isStatus(err, 404) {
			t.Errorf("%s: %v, want 404 (unknown user or an organisation)", login, err)
		}
	}
	m, _, err := client.Teams.GetTeamMembershipBySlug(ctx, w.Repo.Owner, "security", "sec")
	if err != nil || m.GetState() != "active" {
		t.Fatalf("team membership: %v %+v", err, m)
	}
	if _, _, err := client.Teams.GetTeamMembershipBySlug(ctx, w.Repo.Owner, "security", "maya"); !isStatus(err, 404) {
		t.Fatalf("non-member: %v, want 404", err)
	}
	AssertNoViolations(t, s)
}

func TestCommentsAndReactions(t *testing.T) {
	s, w := newWorld(t, WorldSpec{})
	client, _ := installationClient(t, s, w)
	ctx := context.Background()
	owner, name := w.Repo.Owner, w.Repo.Name
	c, _, err := client.Issues.CreateComment(ctx, owner, name, 1, &github.IssueComment{Body: ptr("hello")})
	if err != nil || c.GetUser().GetLogin() != "warden[bot]" {
		t.Fatalf("create comment: %v %+v", err, c)
	}
	if _, _, err := client.Issues.CreateComment(ctx, owner, name, 99, &github.IssueComment{Body: ptr("x")}); !isStatus(err, 404) {
		t.Fatalf("comment on a missing issue: %v", err)
	}
	user, _ := s.AddUserIssueComment(w.Repo.FullName(), 1, "alice", "/warden help")
	if _, _, err := client.Issues.EditComment(ctx, owner, name, user.ID, &github.IssueComment{Body: ptr("hijack")}); !isStatus(err, 403) {
		t.Fatalf("editing a human's comment: %v, want 403", err)
	}
	for i := 0; i < 2; i++ { // the same reaction twice is one reaction
		if _, _, err := client.Reactions.CreateIssueCommentReaction(ctx, owner, name, user.ID, "eyes"); err != nil {
			t.Fatal(err)
		}
	}
	if got := s.Reactions(w.Repo.FullName(), "issue_comment", user.ID); len(got) != 1 || got[0].Content != "eyes" {
		t.Fatalf("reactions %+v", got)
	}
	if _, _, err := client.Reactions.CreateIssueCommentReaction(ctx, owner, name, user.ID, "party"); !isStatus(err, 422) {
		t.Fatalf("unknown reaction: %v", err)
	}
	if got := s.IssueComments(w.Repo.FullName(), 1); len(got) != 2 {
		t.Fatalf("%d comments, want 2", len(got))
	}
}

func TestTagsAndCommitsForActionPinning(t *testing.T) {
	s, w := newWorld(t, WorldSpec{})
	actions, err := s.CreateRepository(RepoSpec{Owner: w.Repo.Owner, Name: "checkout"})
	if err != nil {
		t.Fatal(err)
	}
	sha, err := s.Commit(actions.FullName(), CommitSpec{Branch: "main", Files: map[string]string{"action.yml": "name: checkout\n"}})
	if err != nil {
		t.Fatal(err)
	}
	tagObj, err := s.CreateTag(actions.FullName(), "v4", sha)
	if err != nil {
		t.Fatal(err)
	}
	client, _ := installationClient(t, s, w)
	ctx := context.Background()
	ref, _, err := client.Git.GetRef(ctx, w.Repo.Owner, "checkout", "tags/v4")
	if err != nil || ref.GetObject().GetType() != "tag" || ref.GetObject().GetSHA() != tagObj {
		t.Fatalf("tag ref: %v %+v", err, ref)
	}
	tag, _, err := client.Git.GetTag(ctx, w.Repo.Owner, "checkout", tagObj)
	if err != nil || tag.GetObject().GetSHA() != sha {
		t.Fatalf("annotated tag: %v %+v", err, tag)
	}
	commit, _, err := client.Repositories.GetCommit(ctx, w.Repo.Owner, "checkout", "v4", nil)
	if err != nil || commit.GetSHA() != sha {
		t.Fatalf("commit for v4: %v %+v", err, commit)
	}
	if _, _, err := client.Git.GetRef(ctx, w.Repo.Owner, "checkout", "tags/v9"); !isStatus(err, 404) {
		t.Fatalf("missing tag: %v", err)
	}
	AssertNoViolations(t, s)
}

func TestPullRequestCommitsNameTheirAccounts(t *testing.T) {
	s, w := newWorld(t, WorldSpec{Author: "octocat"})
	client, _ := installationClient(t, s, w)
	ctx := context.Background()
	repo := w.Repo.FullName()
	if _, err := s.PushToPullRequest(repo, w.PR.Number, CommitSpec{Files: map[string]string{"b.go": "b\n"}, Author: "octocat", Committer: "mallory"}); err != nil {
		t.Fatal(err)
	}
	commits, _, err := client.PullRequests.ListCommits(ctx, w.Repo.Owner, w.Repo.Name, w.PR.Number, &github.ListOptions{PerPage: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(commits) != 2 || commits[0].GetSHA() != w.HeadSHA {
		t.Fatalf("commits = %d, first %s; want the PR's two commits, oldest first", len(commits), commits[0].GetSHA())
	}
	if a, c := commits[1].GetAuthor().GetLogin(), commits[1].GetCommitter().GetLogin(); a != "octocat" || c != "mallory" {
		t.Fatalf("second commit: author %q committer %q", a, c)
	}
	pr, _, err := client.PullRequests.Get(ctx, w.Repo.Owner, w.Repo.Name, w.PR.Number)
	if err != nil || pr.GetCommits() != 2 || pr.GetChangedFiles() != 2 {
		t.Fatalf("pull request counts: %v commits=%d files=%d", err, pr.GetCommits(), pr.GetChangedFiles())
	}
	AssertNoViolations(t, s)
}

func TestCollaboratorCheck(t *testing.T) {
	s, w := newWorld(t, WorldSpec{})
	client, _ := installationClient(t, s, w)
	ctx := context.Background()
	s.SetPermission(w.Repo.FullName(), "reader", "read")
	s.AddTeamMember(w.Repo.Owner, "security", "sec", "member") // known, but no role on the repository
	for login, want := range map[string]bool{"reader": true, w.Repo.Owner: false, "sec": false, "nobody-known": false} {
		got, _, err := client.Repositories.IsCollaborator(ctx, w.Repo.Owner, w.Repo.Name, login)
		if err != nil || got != want {
			t.Errorf("%s: collaborator = %v (%v), want %v", login, got, err, want)
		}
	}
	// On this public repository anyone can read, but only collaborators are listed.
	perm, _, err := client.Repositories.GetPermissionLevel(ctx, w.Repo.Owner, w.Repo.Name, "sec")
	if err != nil || perm.GetPermission() != "read" {
		t.Fatalf("public read: %v %s", err, perm.GetPermission())
	}
	AssertNoViolations(t, s)
}
