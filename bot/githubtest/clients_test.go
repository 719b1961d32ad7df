package githubtest

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/google/go-github/v60/github"
)

// go-github v60 + ghinstallation v2.10.0, configured as warden configures
// them, work against the fake: token minting, check runs, reviews, contents.
func TestGoGitHubClientsWork(t *testing.T) {
	s, w := newWorld(t, WorldSpec{})
	RequireSpec(t, s)
	client, _ := installationClient(t, s, w)
	ctx := context.Background()
	owner, repo := w.Repo.Owner, w.Repo.Name

	pr, _, err := client.PullRequests.Get(ctx, owner, repo, w.PR.Number)
	if err != nil {
		t.Fatalf("get PR: %v", err)
	}
	if pr.GetHead().GetSHA() != w.HeadSHA || pr.GetBase().GetRef() != "main" {
		t.Fatalf("PR head %s base %s, want %s main", pr.GetHead().GetSHA(), pr.GetBase().GetRef(), w.HeadSHA)
	}
	if got := pr.GetBase().GetRepo().GetCloneURL(); got != w.CloneURL {
		t.Fatalf("clone_url %q, want %q", got, w.CloneURL)
	}

	cr, _, err := client.Checks.CreateCheckRun(ctx, owner, repo, github.CreateCheckRunOptions{
		Name: "warden", HeadSHA: w.HeadSHA, Status: ptr("in_progress"), ExternalID: ptr("job-1"),
	})
	if err != nil {
		t.Fatalf("create check run: %v", err)
	}
	for batch := 0; batch < 2; batch++ {
		var anns []*github.CheckRunAnnotation
		for i := 0; i < 50; i++ {
			anns = append(anns, &github.CheckRunAnnotation{Path: ptr("app.go"), StartLine: ptr(10), EndLine: ptr(10), AnnotationLevel: ptr("warning"), Message: ptr("m")})
		}
		_, _, err = client.Checks.UpdateCheckRun(ctx, owner, repo, cr.GetID(), github.UpdateCheckRunOptions{
			Name: "warden", Output: &github.CheckRunOutput{Title: ptr("t"), Summary: ptr("s"), Annotations: anns},
		})
		if err != nil {
			t.Fatalf("update check run batch %d: %v", batch, err)
		}
	}
	done, _, err := client.Checks.UpdateCheckRun(ctx, owner, repo, cr.GetID(), github.UpdateCheckRunOptions{
		Name: "warden", Status: ptr("completed"), Conclusion: ptr("failure"),
	})
	if err != nil {
		t.Fatalf("complete check run: %v", err)
	}
	if done.GetConclusion() != "failure" || done.GetOutput().GetAnnotationsCount() != 100 {
		t.Fatalf("conclusion %q annotations %d, want failure 100", done.GetConclusion(), done.GetOutput().GetAnnotationsCount())
	}
	list, _, err := client.Checks.ListCheckRunsForRef(ctx, owner, repo, w.HeadSHA, &github.ListCheckRunsOptions{CheckName: ptr("warden")})
	if err != nil || list.GetTotal() != 1 || list.CheckRuns[0].GetExternalID() != "job-1" {
		t.Fatalf("list check runs: %v %+v", err, list)
	}

	review, _, err := client.PullRequests.CreateReview(ctx, owner, repo, w.PR.Number, &github.PullRequestReviewRequest{
		CommitID: ptr(w.HeadSHA), Event: ptr("COMMENT"), Body: ptr("warden found 1 issue"),
		Comments: []*github.DraftReviewComment{{Path: ptr("app.go"), Line: ptr(10), Side: ptr("RIGHT"), Body: ptr("bad <!-- warden:W-1 -->")}},
	})
	if err != nil {
		t.Fatalf("create review: %v", err)
	}
	if review.GetState() != "COMMENTED" {
		t.Fatalf("review state %q", review.GetState())
	}
	comments, _, err := client.PullRequests.ListComments(ctx, owner, repo, w.PR.Number, nil)
	if err != nil || len(comments) != 1 || comments[0].GetLine() != 10 || comments[0].GetUser().GetLogin() != "warden[bot]" {
		t.Fatalf("list review comments: %v %+v", err, comments)
	}
	if !strings.HasPrefix(comments[0].GetDiffHunk(), "@@ -7,7 +7,7 @@") {
		t.Fatalf("diff_hunk %q", comments[0].GetDiffHunk())
	}

	content, _, _, err := client.Repositories.GetContents(ctx, owner, repo, "app.go", &github.RepositoryContentGetOptions{Ref: w.BaseSHA})
	if err != nil {
		t.Fatalf("contents: %v", err)
	}
	text, err := content.GetContent()
	if err != nil || text != lines(1, 20) {
		t.Fatalf("contents at base: %v %q", err, text)
	}
	if _, _, _, err = client.Repositories.GetContents(ctx, owner, repo, ".github/warden.yml", &github.RepositoryContentGetOptions{Ref: w.BaseSHA}); !isStatus(err, 404) {
		t.Fatalf("missing file: want 404, got %v", err)
	}
	if content.GetEncoding() != "base64" || !strings.Contains(*content.Content, "\n") {
		t.Fatalf("content must be base64 wrapped like GitHub's, got encoding %q", content.GetEncoding())
	}
	if _, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(*content.Content, "\n", "")); err != nil {
		t.Fatalf("content is not base64: %v", err)
	}

	files, _, err := client.PullRequests.ListFiles(ctx, owner, repo, w.PR.Number, nil)
	if err != nil || len(files) != 1 || files[0].GetFilename() != "app.go" || files[0].GetAdditions() != 1 {
		t.Fatalf("list files: %v %+v", err, files)
	}
	cmp, _, err := client.Repositories.CompareCommits(ctx, owner, repo, "main", w.HeadSHA, nil)
	if err != nil || cmp.GetMergeBaseCommit().GetSHA() != w.BaseSHA || cmp.GetAheadBy() != 1 {
		t.Fatalf("compare: %v %+v", err, cmp)
	}
	AssertNoViolations(t, s)
}

func isStatus(err error, status int) bool {
	if er, ok := err.(*github.ErrorResponse); ok {
		return er.Response.StatusCode == status
	}
	return false
}
