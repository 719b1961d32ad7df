package githubtest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func graphqlCall(t *testing.T, s *Server, tok, query string, vars map[string]any) map[string]any {
	t.Helper()
	data, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest("POST", s.GraphQLURL(), bytes.NewReader(data))
	req.Header.Set("Authorization", "bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

const threadsQuery = `query($owner: String!, $name: String!, $number: Int!) {
  repository(owner: $owner, name: $name) { pullRequest(number: $number) {
    reviewThreads(first: 100) { nodes { id isResolved isOutdated comments(first: 50) { nodes { id databaseId body author { login } } } } }
  } } }`

func TestGraphQLThreads(t *testing.T) {
	s, w, tok := reviewWorld(t)
	repo := w.Repo.FullName()
	status, body := rawCall(t, s, tok, "POST", "/repos/"+repo+"/pulls/1/reviews", map[string]any{
		"event": "COMMENT", "body": "b", "comments": []any{map[string]any{"path": "app.go", "line": 10, "body": "<!-- warden:W-1 -->"}},
	})
	if status != 200 {
		t.Fatalf("review: %d %v", status, body)
	}
	vars := map[string]any{"owner": w.Repo.Owner, "name": w.Repo.Name, "number": 1}
	threads := func() []any {
		out := graphqlCall(t, s, tok, threadsQuery, vars)
		nodes, _ := lookup(out, "data.repository.pullRequest.reviewThreads.nodes").([]any)
		if len(nodes) == 0 {
			t.Fatalf("no threads: %v", out)
		}
		return nodes
	}
	th := threads()[0].(map[string]any)
	if th["isResolved"] != false || th["isOutdated"] != false || lookup(th, "comments.nodes") == nil {
		t.Fatalf("thread %v", th)
	}
	comment := lookup(th, "comments.nodes").([]any)[0].(map[string]any)
	if lookup(comment, "author.login") != "warden" {
		t.Fatalf("bot author login %v (GraphQL drops [bot])", lookup(comment, "author.login"))
	}

	out := graphqlCall(t, s, tok, `mutation($id: ID!) { resolveReviewThread(input: {threadId: $id}) { thread { id isResolved } } }`, map[string]any{"id": th["id"]})
	if lookup(out, "data.resolveReviewThread.thread.isResolved") != true {
		t.Fatalf("resolve: %v", out)
	}
	if ths := s.ReviewThreads(repo, 1); len(ths) != 1 || !ths[0].Resolved || ths[0].ResolvedBy != "warden[bot]" {
		t.Fatalf("stored threads %+v", ths)
	}
	out = graphqlCall(t, s, tok, `mutation { minimizeComment(input: {subjectId: "`+comment["id"].(string)+`", classifier: OUTDATED}) { minimizedComment { isMinimized minimizedReason } } }`, nil)
	if lookup(out, "data.minimizeComment.minimizedComment.minimizedReason") != "outdated" {
		t.Fatalf("minimize: %v", out)
	}
	if got := s.ReviewComments(repo, 1)[0].Minimized; got != "outdated" {
		t.Fatalf("stored minimized %q", got)
	}
	out = graphqlCall(t, s, tok, `mutation { minimizeComment(input: {subjectId: "nope", classifier: OUTDATED}) { minimizedComment { isMinimized } } }`, nil)
	if out["errors"] == nil {
		t.Fatalf("unknown subject: %v", out)
	}

	// A push that rewrites the commented line makes the thread outdated.
	head := strings.Replace(lines(1, 40), "line 10\n", "line 10 rewritten\n", 1)
	if _, err := s.PushToPullRequest(repo, 1, CommitSpec{Files: map[string]string{"app.go": head}}); err != nil {
		t.Fatal(err)
	}
	if th := threads()[0].(map[string]any); th["isOutdated"] != true || th["isResolved"] != true {
		t.Fatalf("after push: %v", th)
	}

	out = graphqlCall(t, s, tok, `query { viewer { login } }`, nil)
	if out["errors"] == nil {
		t.Fatalf("unsupported operation answered: %v", out)
	}
	assertViolation(t, s, ViolationRoute, "GraphQL operation not supported")
	out = graphqlCall(t, s, "ghs_bad", threadsQuery, vars)
	if out["message"] != "Bad credentials" {
		t.Fatalf("bad token: %v", out)
	}
}
