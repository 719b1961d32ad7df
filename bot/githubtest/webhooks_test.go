package githubtest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/google/go-github/v60/github"
)

func TestSignMatchesGitHubTestVector(t *testing.T) {
	got := Sign("It's a Secret to Everybody", []byte("Hello, World!"))
	if got != "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17" {
		t.Fatalf("Sign = %s", got)
	}
}

type receivedDelivery struct {
	header http.Header
	body   []byte
	err    error
}

// receiver verifies deliveries the way warden does, with go-github.
func receiver(t *testing.T, secret string) (*httptest.Server, <-chan receivedDelivery) {
	t.Helper()
	got := make(chan receivedDelivery, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := github.ValidatePayload(r, []byte(secret))
		if err == nil {
			_, err = github.ParseWebHook(github.WebHookType(r), body)
		}
		got <- receivedDelivery{header: r.Header.Clone(), body: body, err: err}
		if err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

func TestDeliverSignsLikeGitHub(t *testing.T) {
	s, w := newWorld(t, WorldSpec{})
	srv, got := receiver(t, w.App.WebhookSecret)
	payload, err := PayloadsTB(t, s).PullRequest("opened", w.Repo.FullName(), 1)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Deliver(context.Background(), srv.URL, "pull_request", payload)
	if err != nil || res.Status != http.StatusAccepted {
		t.Fatalf("deliver: %v %+v", err, res)
	}
	d := <-got
	if d.err != nil || string(d.body) != string(payload) {
		t.Fatalf("receiver: %v", d.err)
	}
	guid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	if !guid.MatchString(d.header.Get("X-GitHub-Delivery")) || d.header.Get("X-GitHub-Delivery") != res.ID {
		t.Fatalf("delivery id %q", d.header.Get("X-GitHub-Delivery"))
	}
	for k, want := range map[string]string{
		"X-GitHub-Event": "pull_request", "X-GitHub-Hook-Installation-Target-Type": "integration",
		"X-GitHub-Hook-Installation-Target-ID": itoa(int(w.App.ID)), "X-GitHub-Hook-ID": itoa(int(w.App.HookID)),
	} {
		if d.header.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, d.header.Get(k), want)
		}
	}
	// A redelivery keeps its id; a forged signature fails verification.
	if res2, _ := s.Deliver(context.Background(), srv.URL, "pull_request", payload, WithDeliveryID(res.ID)); res2.ID != res.ID {
		t.Fatalf("redelivery id %s", res2.ID)
	}
	<-got
	res3, _ := s.Deliver(context.Background(), srv.URL, "pull_request", payload, WithSignature(Sign("wrong", payload)))
	if d := <-got; d.err == nil || res3.Status != http.StatusUnauthorized {
		t.Fatal("a wrong signature verified")
	}
}

func TestPayloadsFromRealExamples(t *testing.T) {
	s, w := newWorld(t, WorldSpec{})
	p := PayloadsTB(t, s)
	if !p.Real() && getenvCI() {
		t.Fatal("examples not loaded")
	}
	repo := w.Repo.FullName()
	tok := mintToken(t, s, w)
	_, cr := rawCall(t, s, tok, "POST", "/repos/"+repo+"/check-runs", map[string]any{"name": "warden", "head_sha": w.HeadSHA})
	issue, _ := s.CreateIssue(repo)
	prComment, _ := s.AddUserIssueComment(repo, 1, "alice", "/warden rescan")
	issueComment, _ := s.AddUserIssueComment(repo, issue, "alice", "/warden help")
	_, rv := rawCall(t, s, tok, "POST", "/repos/"+repo+"/pulls/1/reviews", map[string]any{"event": "COMMENT", "body": "b", "comments": []any{map[string]any{"path": "app.go", "line": 10, "body": "x"}}})
	rc := s.ReviewComments(repo, 1)[0]
	crID := int64(cr["id"].(float64))

	type build func() ([]byte, error)
	cases := map[string]struct {
		event string
		build build
		check map[string]any // JSON paths (dot separated) -> value
	}{
		"pull_request opened":      {"pull_request", func() ([]byte, error) { return p.PullRequest("opened", repo, 1) }, map[string]any{"action": "opened", "number": 1.0, "pull_request.head.sha": w.HeadSHA, "pull_request.base.repo.clone_url": w.CloneURL}},
		"pull_request synchronize": {"pull_request", func() ([]byte, error) { return p.PullRequest("synchronize", repo, 1, WithBefore(w.BaseSHA)) }, map[string]any{"before": w.BaseSHA, "after": w.HeadSHA}},
		"pull_request reopened":    {"pull_request", func() ([]byte, error) { return p.PullRequest("reopened", repo, 1) }, map[string]any{"action": "reopened"}},
		"pull_request ready":       {"pull_request", func() ([]byte, error) { return p.PullRequest("ready_for_review", repo, 1) }, map[string]any{"action": "ready_for_review"}},
		"pull_request edited base": {"pull_request", func() ([]byte, error) {
			return p.PullRequest("edited", repo, 1, WithChanges(map[string]any{"base": map[string]any{"ref": map[string]any{"from": "old"}}}))
		}, map[string]any{"changes.base.ref.from": "old"}},
		"pull_request closed":        {"pull_request", func() ([]byte, error) { return p.PullRequest("closed", repo, 1) }, map[string]any{"action": "closed"}},
		"pull_request labeled":       {"pull_request", func() ([]byte, error) { return p.PullRequest("labeled", repo, 1, WithLabel("security")) }, map[string]any{"label.name": "security"}},
		"check_suite requested":      {"check_suite", func() ([]byte, error) { return p.CheckSuite("requested", repo, "feature", w.HeadSHA) }, map[string]any{"check_suite.head_sha": w.HeadSHA, "installation.id": float64(w.Installation.ID)}},
		"check_suite rerequested":    {"check_suite", func() ([]byte, error) { return p.CheckSuite("rerequested", repo, "feature", w.HeadSHA) }, map[string]any{"action": "rerequested"}},
		"check_run rerequested":      {"check_run", func() ([]byte, error) { return p.CheckRun("rerequested", repo, crID, "") }, map[string]any{"check_run.id": float64(crID), "check_run.head_sha": w.HeadSHA}},
		"check_run requested_action": {"check_run", func() ([]byte, error) { return p.CheckRun("requested_action", repo, crID, "rescan") }, map[string]any{"requested_action.identifier": "rescan"}},
		"issue_comment on PR":        {"issue_comment", func() ([]byte, error) { return p.IssueComment("created", repo, prComment.ID) }, map[string]any{"comment.body": "/warden rescan", "issue.number": 1.0, "sender.login": "alice"}},
		"issue_comment edited":       {"issue_comment", func() ([]byte, error) { return p.IssueComment("edited", repo, prComment.ID) }, map[string]any{"action": "edited"}},
		"review comment created":     {"pull_request_review_comment", func() ([]byte, error) { return p.ReviewComment("created", repo, rc.ID) }, map[string]any{"comment.id": float64(rc.ID), "pull_request.number": 1.0}},
		"review submitted":           {"pull_request_review", func() ([]byte, error) { return p.Review("submitted", repo, int64(rv["id"].(float64))) }, map[string]any{"review.state": "commented"}},
		"installation created":       {"installation", func() ([]byte, error) { return p.Installation("created", w.Installation.ID) }, map[string]any{"installation.id": float64(w.Installation.ID)}},
		"installation deleted":       {"installation", func() ([]byte, error) { return p.Installation("deleted", w.Installation.ID) }, map[string]any{"action": "deleted"}},
		"repositories removed": {"installation_repositories", func() ([]byte, error) {
			return p.InstallationRepositories("removed", w.Installation.ID, []string{repo})
		}, map[string]any{"action": "removed"}},
		"ping": {"ping", p.Ping, map[string]any{"hook_id": float64(w.App.HookID)}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			data, err := tc.build()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := github.ParseWebHook(tc.event, data); err != nil {
				t.Fatalf("go-github cannot parse it: %v", err)
			}
			var doc map[string]any
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			for path, want := range tc.check {
				if got := lookup(doc, path); got != want {
					t.Errorf("%s = %v, want %v", path, got, want)
				}
			}
		})
	}
	t.Run("issue.pull_request only on PRs", func(t *testing.T) {
		onPR, _ := p.IssueComment("created", repo, prComment.ID)
		onIssue, _ := p.IssueComment("created", repo, issueComment.ID)
		var a, b map[string]any
		_ = json.Unmarshal(onPR, &a)
		_ = json.Unmarshal(onIssue, &b)
		if lookup(a, "issue.pull_request.url") == nil || lookup(b, "issue.pull_request") != nil {
			t.Fatalf("issue.pull_request: PR %v, issue %v", lookup(a, "issue.pull_request"), lookup(b, "issue.pull_request"))
		}
	})
	if p.Real() {
		t.Run("fields only real deliveries have are kept", func(t *testing.T) {
			data, _ := p.PullRequest("opened", repo, 1)
			var doc map[string]any
			_ = json.Unmarshal(data, &doc)
			if lookup(doc, "pull_request._links") == nil {
				t.Fatal("example-only field pull_request._links missing")
			}
		})
	}
}

func TestPayloadFallbackWithoutExamples(t *testing.T) {
	s, w := newWorld(t, WorldSpec{})
	p, err := s.NewPayloads(nil)
	if err != nil || p.Real() {
		t.Fatalf("fallback: %v", err)
	}
	if err := s.UpdatePullRequest(w.Repo.FullName(), 1, func(pr *PullRequest) { pr.HeadRepoDeleted = true }); err != nil {
		t.Fatal(err)
	}
	data, err := p.PullRequest("synchronize", w.Repo.FullName(), 1, WithBefore(w.BaseSHA))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := github.ParseWebHook("pull_request", data)
	if err != nil {
		t.Fatal(err)
	}
	pr := ev.(*github.PullRequestEvent)
	if pr.GetAction() != "synchronize" || pr.GetPullRequest().GetHead().GetSHA() != w.HeadSHA || pr.GetRepo().GetCloneURL() != w.CloneURL || pr.GetInstallation().GetID() != w.Installation.ID || pr.GetPullRequest().GetHead().Repo != nil {
		t.Fatalf("fallback payload: %s", data)
	}
}

func lookup(doc map[string]any, path string) any {
	var cur any = doc
	for _, part := range splitDots(path) {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[part]
	}
	return cur
}

func splitDots(p string) []string {
	var out []string
	start := 0
	for i := 0; i < len(p); i++ {
		if p[i] == '.' {
			out = append(out, p[start:i])
			start = i + 1
		}
	}
	return append(out, p[start:])
}
