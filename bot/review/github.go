package review

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/wardenbot/warden/bot/ghclient"
	"github.com/wardenbot/warden/bot/publish"
)

// gh is the slice of the GitHub API one scan uses, on one installation
// client. Every method is a single concern so the flow reads top-down.
type gh struct {
	c          *github.Client
	owner      string
	repo       string
	graphqlURL string
	appID      int64 // warden's App: whose check runs are warden's
}

func notFound(err error) bool { return ghclient.StatusCode(err) == http.StatusNotFound }

func status(err error) int { return ghclient.StatusCode(err) }

func (g *gh) pullRequest(ctx context.Context, n int) (*github.PullRequest, error) {
	pr, _, err := g.c.PullRequests.Get(ctx, g.owner, g.repo, n)
	return pr, err
}

// pullRequestFor maps a commit to its open pull request: check suites of
// fork pushes name none.
func (g *gh) pullRequestFor(ctx context.Context, sha string) (*github.PullRequest, error) {
	prs, _, err := g.c.PullRequests.ListPullRequestsWithCommit(ctx, g.owner, g.repo, sha, &github.ListOptions{PerPage: 20})
	if err != nil {
		return nil, err
	}
	for _, pr := range prs {
		if pr.GetState() == "open" && pr.GetHead().GetSHA() == sha {
			return pr, nil
		}
	}
	return nil, nil
}

// fileAt reads a file at a commit through the contents API; nil, nil when
// it does not exist.
func (g *gh) fileAt(ctx context.Context, owner, repo, path, ref string) ([]byte, error) {
	var opts *github.RepositoryContentGetOptions
	if ref != "" {
		opts = &github.RepositoryContentGetOptions{Ref: ref}
	}
	fc, _, _, err := g.c.Repositories.GetContents(ctx, owner, repo, path, opts)
	if notFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if fc == nil {
		return nil, fmt.Errorf("%s is a directory", path)
	}
	s, err := fc.GetContent()
	if err != nil {
		return nil, fmt.Errorf("decoding %s: %w", path, err)
	}
	return []byte(s), nil
}

// checkRun finds warden's run on sha, so a retried or restarted job adopts
// the run it created instead of making a second one. Only runs created by
// warden's own App count: a pull request can add a workflow job, and
// another App can create a run, named "warden" too.
func (g *gh) checkRun(ctx context.Context, sha string) (*github.CheckRun, error) {
	res, _, err := g.c.Checks.ListCheckRunsForRef(ctx, g.owner, g.repo, sha, &github.ListCheckRunsOptions{
		CheckName: github.String(CheckName), AppID: github.Int64(g.appID),
		ListOptions: github.ListOptions{PerPage: 100}})
	if err != nil {
		return nil, err
	}
	var newest *github.CheckRun
	for _, r := range res.CheckRuns {
		if r.GetName() == CheckName && r.GetHeadSHA() == sha && r.GetApp().GetID() == g.appID && (newest == nil || r.GetID() > newest.GetID()) {
			newest = r
		}
	}
	return newest, nil
}

func (g *gh) createCheckRun(ctx context.Context, sha, externalID, title, summary string) (*github.CheckRun, error) {
	run, _, err := g.c.Checks.CreateCheckRun(ctx, g.owner, g.repo, github.CreateCheckRunOptions{
		Name: CheckName, HeadSHA: sha, ExternalID: github.String(externalID),
		Status:    github.String("in_progress"),
		StartedAt: &github.Timestamp{Time: time.Now()},
		Output:    &github.CheckRunOutput{Title: github.String(title), Summary: github.String(summary)},
	})
	return run, err
}

func (g *gh) updateCheckRun(ctx context.Context, id int64, opts github.UpdateCheckRunOptions) (*github.CheckRun, error) {
	opts.Name = CheckName
	run, _, err := g.c.Checks.UpdateCheckRun(ctx, g.owner, g.repo, id, opts)
	return run, err
}

func (g *gh) annotationsCount(ctx context.Context, id int64) (int, error) {
	run, _, err := g.c.Checks.GetCheckRun(ctx, g.owner, g.repo, id)
	if err != nil {
		return 0, err
	}
	return run.GetOutput().GetAnnotationsCount(), nil
}

// botComments lists the review comments warden's bot user wrote on the PR;
// only their markers are trusted.
func (g *gh) botComments(ctx context.Context, pr int, botLogin string) ([]*github.PullRequestComment, error) {
	var out []*github.PullRequestComment
	opts := &github.PullRequestListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	for page := 0; page < 30; page++ {
		cs, resp, err := g.c.PullRequests.ListComments(ctx, g.owner, g.repo, pr, opts)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			if strings.EqualFold(c.GetUser().GetLogin(), botLogin) {
				out = append(out, c)
			}
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	return out, nil
}

// botReviewMarkers are the fingerprints listed in the bodies of warden's
// reviews (findings that could not be anchored inline).
func (g *gh) botReviewMarkers(ctx context.Context, pr int, botLogin string) (map[string]bool, error) {
	out := map[string]bool{}
	opts := &github.ListOptions{PerPage: 100}
	for page := 0; page < 30; page++ {
		rs, resp, err := g.c.PullRequests.ListReviews(ctx, g.owner, g.repo, pr, opts)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			if strings.EqualFold(r.GetUser().GetLogin(), botLogin) {
				for _, fp := range publish.ParseMarkers(r.GetBody()) {
					out[fp] = true
				}
			}
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	return out, nil
}

func (g *gh) createReview(ctx context.Context, pr int, r *publish.Review, comments []publish.ReviewComment, body string) (*github.PullRequestReview, error) {
	req := &github.PullRequestReviewRequest{CommitID: github.String(r.CommitID), Event: github.String(r.Event), Body: github.String(body)}
	for _, c := range comments {
		dc := &github.DraftReviewComment{Path: github.String(c.Path), Body: github.String(c.Body), Line: github.Int(c.Line), Side: github.String(c.Side)}
		if c.StartLine > 0 {
			dc.StartLine, dc.StartSide = github.Int(c.StartLine), github.String(c.StartSide)
		}
		req.Comments = append(req.Comments, dc)
	}
	rev, _, err := g.c.PullRequests.CreateReview(ctx, g.owner, g.repo, pr, req)
	return rev, err
}

func (g *gh) reviewComments(ctx context.Context, pr int, reviewID int64) ([]*github.PullRequestComment, error) {
	cs, _, err := g.c.PullRequests.ListReviewComments(ctx, g.owner, g.repo, pr, reviewID, &github.ListOptions{PerPage: 100})
	return cs, err
}

// reply answers in a review thread through the documented replies route
// (go-github v60's CreateCommentInReplyTo uses an older form that GitHub's
// schema rejects without commit_id and path).
func (g *gh) reply(ctx context.Context, pr int, commentID int64, body string) error {
	u := fmt.Sprintf("repos/%s/%s/pulls/%d/comments/%d/replies", g.owner, g.repo, pr, commentID)
	req, err := g.c.NewRequest(http.MethodPost, u, map[string]string{"body": body})
	if err != nil {
		return err
	}
	_, err = g.c.Do(ctx, req, nil)
	return err
}

// graphql runs one GraphQL request with the installation's client.
func (g *gh) graphql(ctx context.Context, query string, vars map[string]any, out any) error {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.graphqlURL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := g.c.Client().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var env struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("graphql: HTTP %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		return fmt.Errorf("graphql: %w", err)
	}
	if len(env.Errors) > 0 {
		return fmt.Errorf("graphql: %s", env.Errors[0].Message)
	}
	if out != nil {
		return json.Unmarshal(env.Data, out)
	}
	return nil
}

// threadIDs maps the first comment of each review thread to the thread.
func (g *gh) threadIDs(ctx context.Context, pr int) (map[int64]threadInfo, error) {
	const q = `query($owner:String!,$name:String!,$pr:Int!){repository(owner:$owner,name:$name){pullRequest(number:$pr){reviewThreads(first:100){nodes{id isResolved comments(first:1){nodes{databaseId}}}}}}}`
	var out struct {
		Repository struct {
			PullRequest struct {
				ReviewThreads struct {
					Nodes []struct {
						ID         string `json:"id"`
						IsResolved bool   `json:"isResolved"`
						Comments   struct {
							Nodes []struct {
								DatabaseID int64 `json:"databaseId"`
							} `json:"nodes"`
						} `json:"comments"`
					} `json:"nodes"`
				} `json:"reviewThreads"`
			} `json:"pullRequest"`
		} `json:"repository"`
	}
	if err := g.graphql(ctx, q, map[string]any{"owner": g.owner, "name": g.repo, "pr": pr}, &out); err != nil {
		return nil, err
	}
	m := map[int64]threadInfo{}
	for _, n := range out.Repository.PullRequest.ReviewThreads.Nodes {
		if len(n.Comments.Nodes) > 0 {
			m[n.Comments.Nodes[0].DatabaseID] = threadInfo{id: n.ID, resolved: n.IsResolved}
		}
	}
	return m, nil
}

type threadInfo struct {
	id       string
	resolved bool
}

func (g *gh) resolveThread(ctx context.Context, threadID string) error {
	const m = `mutation($id:ID!){resolveReviewThread(input:{threadId:$id}){thread{id isResolved}}}`
	return g.graphql(ctx, m, map[string]any{"id": threadID}, nil)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
