package command

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/wardenbot/warden/bot/ghclient"

	"github.com/google/go-github/v60/github"

	"github.com/wardenbot/warden/checks"
)

// maxListedFiles is where GitHub's list-files endpoint stops.
const maxListedFiles = 3000

// gh is the GitHub calls of one command, for one repository.
type gh struct {
	c           *github.Client
	owner, repo string
}

func statusOf(err error) int { return ghclient.StatusCode(err) }

func (g *gh) pull(ctx context.Context, n int) (*github.PullRequest, error) {
	pr, _, err := g.c.PullRequests.Get(ctx, g.owner, g.repo, n)
	if err != nil {
		return nil, fmt.Errorf("reading pull request #%d: %w", n, err)
	}
	return pr, nil
}

// permission asks GitHub what login may do in the repository. permission is
// the legacy level (admin, write, read, none: maintain counts as write,
// triage as read); role is the real role for replies. go-github v60 does
// not decode role_name, hence the raw request.
func (g *gh) permission(ctx context.Context, login string) (permission, role string, err error) {
	u := fmt.Sprintf("repos/%s/%s/collaborators/%s/permission", url.PathEscape(g.owner), url.PathEscape(g.repo), url.PathEscape(login))
	req, err := g.c.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return "", "", err
	}
	var out struct {
		Permission string `json:"permission"`
		RoleName   string `json:"role_name"`
	}
	if _, err := g.c.Do(ctx, req, &out); err != nil {
		if statusOf(err) == http.StatusNotFound {
			return "none", "none", nil // not a collaborator of a private repository
		}
		return "", "", fmt.Errorf("reading %s's permission: %w", login, err)
	}
	if out.RoleName == "" {
		out.RoleName = out.Permission
	}
	return out.Permission, out.RoleName, nil
}

// teamMember reports an active membership of team ("org/slug"). GitHub
// answers 404 for non-members and for teams the installation cannot see.
func (g *gh) teamMember(ctx context.Context, team, login string) (bool, error) {
	org, slug, ok := strings.Cut(team, "/")
	if !ok || org == "" || slug == "" {
		return false, nil
	}
	m, _, err := g.c.Teams.GetTeamMembershipBySlug(ctx, org, slug, login)
	switch {
	case statusOf(err) == http.StatusNotFound || statusOf(err) == http.StatusForbidden:
		return false, nil
	case err != nil:
		return false, fmt.Errorf("reading %s's membership of %s: %w", login, team, err)
	}
	return m.GetState() == "active", nil
}

// isCollaborator reports whether login has a role on the repository
// (directly, through a team or the organisation's base permission).
func (g *gh) isCollaborator(ctx context.Context, login string) (bool, error) {
	ok, _, err := g.c.Repositories.IsCollaborator(ctx, g.owner, g.repo, login)
	if err != nil {
		return false, fmt.Errorf("checking whether %s is a collaborator: %w", login, err)
	}
	return ok, nil
}

// maxListedCommits is where GitHub's list of a pull request's commits stops.
const maxListedCommits = 250

// commits lists a pull request's commits (GitHub lists at most 250).
func (g *gh) commits(ctx context.Context, n int) ([]*github.RepositoryCommit, error) {
	var out []*github.RepositoryCommit
	opts := &github.ListOptions{PerPage: 100}
	for {
		cs, resp, err := g.c.PullRequests.ListCommits(ctx, g.owner, g.repo, n, opts)
		if err != nil {
			return nil, fmt.Errorf("listing the commits of #%d: %w", n, err)
		}
		out = append(out, cs...)
		if resp.NextPage == 0 || len(out) >= maxListedCommits {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

// issueComment reads one conversation comment.
func (g *gh) issueComment(ctx context.Context, id int64) (*github.IssueComment, error) {
	c, _, err := g.c.Issues.GetComment(ctx, g.owner, g.repo, id)
	if err != nil {
		return nil, fmt.Errorf("reading comment %d: %w", id, err)
	}
	return c, nil
}

// review reads one pull request review.
func (g *gh) review(ctx context.Context, pr int, id int64) (*github.PullRequestReview, error) {
	r, _, err := g.c.PullRequests.GetReview(ctx, g.owner, g.repo, pr, id)
	if err != nil {
		return nil, fmt.Errorf("reading review %d: %w", id, err)
	}
	return r, nil
}

// changedFiles lists the paths a pull request changes (names only; the
// patches are not needed to decide which approval rules apply).
func (g *gh) changedFiles(ctx context.Context, n int) ([]checks.FileChange, error) {
	var out []checks.FileChange
	opts := &github.ListOptions{PerPage: 100}
	for {
		files, resp, err := g.c.PullRequests.ListFiles(ctx, g.owner, g.repo, n, opts)
		if err != nil {
			return nil, fmt.Errorf("listing the files of #%d: %w", n, err)
		}
		for _, f := range files {
			fc := checks.FileChange{Path: f.GetFilename(), OldPath: f.GetPreviousFilename()}
			out = append(out, fc)
		}
		if resp.NextPage == 0 || len(out) >= maxListedFiles {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

// reviewComment reads one review comment (a thread's root).
func (g *gh) reviewComment(ctx context.Context, id int64) (*github.PullRequestComment, error) {
	c, _, err := g.c.PullRequests.GetComment(ctx, g.owner, g.repo, id)
	if err != nil {
		return nil, fmt.Errorf("reading review comment %d: %w", id, err)
	}
	return c, nil
}

// Where a comment lives decides how warden reacts and replies.
const (
	kindIssueComment  = "issue_comment"
	kindReviewComment = "review_comment"
	kindReview        = "review"
	kindCheckRunBtn   = "check_run_action"
)

// react puts 👀 on the comment. Issue comments and review comments have
// different endpoints; review bodies have none.
func (g *gh) react(ctx context.Context, commentKind string, id int64) error {
	var err error
	switch commentKind {
	case kindIssueComment:
		_, _, err = g.c.Reactions.CreateIssueCommentReaction(ctx, g.owner, g.repo, id, "eyes")
	case kindReviewComment:
		_, _, err = g.c.Reactions.CreatePullRequestCommentReaction(ctx, g.owner, g.repo, id, "eyes")
	}
	if err != nil {
		return fmt.Errorf("reacting to comment %d: %w", id, err)
	}
	return nil
}

// replyInThread answers in a review thread; GitHub takes only the
// thread's top-level comment id.
func (g *gh) replyInThread(ctx context.Context, pr int, rootID int64, body string) error {
	// go-github v60's CreateCommentInReplyTo uses the older in_reply_to
	// form of the create-comment endpoint; the replies endpoint is the one
	// GitHub documents for this.
	u := fmt.Sprintf("repos/%s/%s/pulls/%d/comments/%d/replies", url.PathEscape(g.owner), url.PathEscape(g.repo), pr, rootID)
	req, err := g.c.NewRequest(http.MethodPost, u, map[string]string{"body": body})
	if err != nil {
		return err
	}
	if _, err := g.c.Do(ctx, req, nil); err != nil {
		return fmt.Errorf("replying in thread %d: %w", rootID, err)
	}
	return nil
}

func (g *gh) comment(ctx context.Context, pr int, body string) error {
	if _, _, err := g.c.Issues.CreateComment(ctx, g.owner, g.repo, pr, &github.IssueComment{Body: github.String(body)}); err != nil {
		return fmt.Errorf("commenting on #%d: %w", pr, err)
	}
	return nil
}
