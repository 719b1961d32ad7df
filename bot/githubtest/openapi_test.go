package githubtest

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-github/v60/github"
)

func TestOpenAPIValidation(t *testing.T) {
	s, w := newWorld(t, WorldSpec{})
	RequireSpec(t, s)
	tok := mintToken(t, s, w)
	repo := "/repos/" + w.Repo.FullName()

	t.Run("wrong body type", func(t *testing.T) {
		s.ResetLog()
		status, body := rawCall(t, s, tok, "POST", repo+"/check-runs", map[string]any{"name": "warden", "head_sha": w.HeadSHA, "status": "finished"})
		if status != 422 || !strings.Contains(errorText(body), "Invalid request") {
			t.Fatalf("enum outside the schema: %d %s", status, errorText(body))
		}
		assertViolation(t, s, ViolationSchema, "status")
		if n := len(s.CheckRuns(w.Repo.FullName(), w.HeadSHA)); n != 0 {
			t.Fatalf("an invalid request created %d runs", n)
		}
	})
	t.Run("wrong parameter type", func(t *testing.T) {
		s.ResetLog()
		if status, _ := rawCall(t, s, tok, "GET", repo+"/check-runs/abc", nil); status != 422 {
			t.Fatalf("non-integer check_run_id: %d", status)
		}
		assertViolation(t, s, ViolationSchema, "check_run_id")
	})
	t.Run("unknown route", func(t *testing.T) {
		s.ResetLog()
		if status, _ := rawCall(t, s, tok, "POST", repo+"/check-runz", map[string]any{}); status != 404 {
			t.Fatalf("unknown route: %d", status)
		}
		assertViolation(t, s, ViolationRoute, "no such route on GitHub")
	})
	t.Run("route GitHub has but the fake lacks", func(t *testing.T) {
		s.ResetLog()
		if status, _ := rawCall(t, s, tok, "GET", repo+"/branches", nil); status != 404 {
			t.Fatalf("unimplemented route: %d", status)
		}
		assertViolation(t, s, ViolationRoute, "/repos/{owner}/{repo}/branches")
	})
	t.Run("absolute URL outside the base path", func(t *testing.T) {
		s.ResetLog()
		// A client configured without the enterprise base path.
		client := github.NewClient(&http.Client{})
		client.BaseURL, _ = client.BaseURL.Parse(s.URL() + "/")
		_, _, err := client.Repositories.Get(context.Background(), w.Repo.Owner, w.Repo.Name)
		if !isStatus(err, 404) {
			t.Fatalf("want 404, got %v", err)
		}
		assertViolation(t, s, ViolationRoute, "outside the API base path")
	})
}

func assertViolation(t *testing.T, s *Server, kind, contains string) {
	t.Helper()
	for _, v := range s.Violations() {
		if v.Kind == kind && strings.Contains(v.Message, contains) {
			return
		}
	}
	t.Fatalf("no %s violation mentioning %q in %+v", kind, contains, s.Violations())
}

func TestSpecIndexFindsGitHubTemplates(t *testing.T) {
	s := StartTB(t, Options{})
	RequireSpec(t, s)
	for path, want := range map[string]string{
		"/repos/o/r/contents/a/b/c.go":         "/repos/{owner}/{repo}/contents/{path}",
		"/repos/o/r/pulls/3/comments":          "/repos/{owner}/{repo}/pulls/{pull_number}/comments",
		"/repos/o/r/pulls/comments/5":          "/repos/{owner}/{repo}/pulls/comments/{comment_id}",
		"/repos/o/r/commits/abc/check-runs":    "/repos/{owner}/{repo}/commits/{ref}/check-runs",
		"/app/installations/1/access_tokens":   "/app/installations/{installation_id}/access_tokens",
		"/repos/o/r/no-such-thing/at-all/here": "",
	} {
		method := "GET"
		if strings.HasSuffix(path, "access_tokens") {
			method = "POST"
		}
		if got := s.opts.Spec.findTemplate(method, path); got != want {
			t.Errorf("%s: got %q, want %q", path, got, want)
		}
	}
}
