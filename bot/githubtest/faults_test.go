package githubtest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
)

func TestFaults(t *testing.T) {
	s, w := newWorld(t, WorldSpec{})
	client, _ := installationClient(t, s, w)
	ctx := context.Background()
	owner, name := w.Repo.Owner, w.Repo.Name
	if _, _, err := client.Repositories.Get(ctx, owner, name); err != nil { // mint the token first
		t.Fatal(err)
	}

	t.Run("502 on the next two GETs", func(t *testing.T) {
		s.Inject(ServerError("GET", "/repos/{owner}/{repo}/pulls/{pull_number}", http.StatusBadGateway, 2))
		for i := 0; i < 2; i++ {
			if _, _, err := client.PullRequests.Get(ctx, owner, name, 1); !isStatus(err, 502) {
				t.Fatalf("attempt %d: %v, want 502", i, err)
			}
		}
		if _, _, err := client.PullRequests.Get(ctx, owner, name, 1); err != nil {
			t.Fatalf("third attempt: %v", err)
		}
	})

	t.Run("secondary rate limit with Retry-After on the first write", func(t *testing.T) {
		s.Inject(SecondaryRateLimit("POST", "/repos/*/*/check-runs", 60*time.Second, 1))
		_, _, err := client.Checks.CreateCheckRun(ctx, owner, name, github.CreateCheckRunOptions{Name: "warden", HeadSHA: w.HeadSHA})
		var abuse *github.AbuseRateLimitError
		if !errors.As(err, &abuse) || abuse.RetryAfter == nil || *abuse.RetryAfter != 60*time.Second {
			t.Fatalf("want AbuseRateLimitError with Retry-After 60s, got %T %v", err, err)
		}
		if n := len(s.CheckRuns(w.Repo.FullName(), w.HeadSHA)); n != 0 {
			t.Fatalf("a rate-limited write created %d runs", n)
		}
	})

	t.Run("429 with remaining 0 is a plain error in go-github v60", func(t *testing.T) {
		fresh, _ := installationClient(t, s, w) // go-github remembers resets per client
		reset := time.Now().Add(time.Minute).Truncate(time.Second)
		s.Inject(PrimaryRateLimit("GET", "/repos/{owner}/{repo}", http.StatusTooManyRequests, reset, 1))
		_, resp, err := fresh.Repositories.Get(ctx, owner, name)
		var er *github.ErrorResponse
		if !errors.As(err, &er) || resp.StatusCode != 429 || resp.Rate.Remaining != 0 || !resp.Rate.Reset.Time.Equal(reset) {
			t.Fatalf("got %T %v, rate %+v", err, err, resp.Rate)
		}
	})

	t.Run("timeout after the write was committed", func(t *testing.T) {
		s.Inject(TimeoutAfterCommit("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews", 1))
		short, _ := installationClient(t, s, w)
		ctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
		defer cancel()
		_, _, err := short.PullRequests.CreateReview(ctx, owner, name, 1, &github.PullRequestReviewRequest{Event: ptr("COMMENT"), Body: ptr("once")})
		if err == nil {
			t.Fatal("the client saw a response")
		}
		if n := len(s.Reviews(w.Repo.FullName(), 1)); n != 1 {
			t.Fatalf("%d reviews stored, want 1 (the write was committed)", n)
		}
		posts := s.RequestsTo("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews")
		if len(posts) != 1 || !posts[0].Fault || !strings.Contains(string(posts[0].Body), "once") {
			t.Fatalf("request log: %+v", posts)
		}
	})

	t.Run("closed connection", func(t *testing.T) {
		client, _ := installationClient(t, s, w)
		// net/http retries an idempotent request once on a fresh connection,
		// so the fault must outlast that.
		s.Inject(Fault{Method: "GET", Path: "/repos/*/*", Action: CloseConnection})
		defer s.ClearFaults()
		if _, _, err := client.Repositories.Get(ctx, owner, name); err == nil {
			t.Fatal("want a transport error")
		}
	})

	t.Run("delay only", func(t *testing.T) {
		client, _ := installationClient(t, s, w)
		s.Inject(Fault{Method: "GET", Path: "/repos/{owner}/{repo}", Times: 1, Delay: 300 * time.Millisecond})
		start := time.Now()
		if _, _, err := client.Repositories.Get(ctx, owner, name); err != nil || time.Since(start) < 300*time.Millisecond {
			t.Fatalf("err %v after %v", err, time.Since(start))
		}
	})
}

func TestRateLimitHeadersAndPrimaryLimit(t *testing.T) {
	s, w := newWorld(t, WorldSpec{})
	client, _ := installationClient(t, s, w)
	ctx := context.Background()
	_, resp, err := client.Repositories.Get(ctx, w.Repo.Owner, w.Repo.Name)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Used", "X-RateLimit-Reset", "X-RateLimit-Resource"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("missing %s", h)
		}
	}
	if resp.Rate.Limit != 5000 || resp.Rate.Remaining != 4999 {
		t.Fatalf("rate %+v, want 5000/4999", resp.Rate)
	}
	reset := time.Now().Add(30 * time.Minute).Truncate(time.Second)
	s.SetRateLimit(w.Installation.ID, RateLimit{Remaining: 1, Reset: reset})
	if _, _, err := client.Repositories.Get(ctx, w.Repo.Owner, w.Repo.Name); err != nil {
		t.Fatalf("last request of the window: %v", err)
	}
	_, _, err = client.Repositories.Get(ctx, w.Repo.Owner, w.Repo.Name)
	var rl *github.RateLimitError
	if !errors.As(err, &rl) || !rl.Rate.Reset.Time.Equal(reset) {
		t.Fatalf("want RateLimitError resetting at %v, got %T %v", reset, err, err)
	}
}

func TestContentCreationLimit(t *testing.T) {
	s := StartTB(t, Options{ContentCreationPerMinute: 2})
	w := WorldTB(t, s, WorldSpec{})
	tok := mintToken(t, s, w)
	path := "/repos/" + w.Repo.FullName() + "/issues/1/comments"
	for i := 0; i < 2; i++ {
		if status, _ := rawCall(t, s, tok, "POST", path, map[string]any{"body": "hi"}); status != 201 {
			t.Fatalf("comment %d: %d", i, status)
		}
	}
	status, body := rawCall(t, s, tok, "POST", path, map[string]any{"body": "hi"})
	if status != 403 || !strings.Contains(errorText(body), "secondary rate limit") {
		t.Fatalf("third comment in a minute: %d %v", status, body)
	}
}
