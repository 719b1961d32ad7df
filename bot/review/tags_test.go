package review

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
)

// fakeCommits serves GET /repos/{owner}/{repo}/commits/{ref} with the sha
// media type and records every path it was asked for, as sent.
type fakeCommits struct {
	mu    sync.Mutex
	paths []string
	shas  map[string]string // "owner/repo@ref" → sha
}

func (f *fakeCommits) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.paths = append(f.paths, r.URL.EscapedPath())
	f.mu.Unlock()
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), "/repos/")
	parts := strings.SplitN(rest, "/", 4)
	if !ok || len(parts) != 4 || parts[2] != "commits" || r.Header.Get("Accept") != "application/vnd.github.sha" {
		http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
		return
	}
	ref, _ := url.PathUnescape(parts[3])
	switch sha, ok := f.shas[parts[0]+"/"+parts[1]+"@"+ref]; {
	case ref == "huge":
		w.Write([]byte(strings.Repeat("x", 1<<20)))
	case ref == "broken":
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte(`{"message":"stack trace at db-7.internal: password=hunter2"}`))
	case ok:
		w.Write([]byte(sha)) // warden:allow code/xss a fake GitHub API answering a test, not a page
	default:
		w.WriteHeader(http.StatusUnprocessableEntity)
		w.Write([]byte(`{"message":"No commit found for SHA: ` + ref + ` (internal host db-7.internal)"}`))
	}
}

func (f *fakeCommits) asked() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.paths...)
}

func newFakeCommits(t *testing.T) (*fakeCommits, *github.Client) {
	f := &fakeCommits{shas: map[string]string{
		"actions/setup-go@v5":        strings.Repeat("a", 40),
		"acme/deploy@releases/v1":    strings.Repeat("b", 40),
		"acme/deploy@%2e%2e":         strings.Repeat("c", 40),
		"private/internal-action@v1": strings.Repeat("d", 40),
	}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	c := github.NewClient(nil)
	c.BaseURL, _ = url.Parse(srv.URL + "/")
	return f, c
}

// Every name is checked against GitHub's grammar and path-escaped; no
// answer from GitHub reaches the error a note would show.
func TestTagResolverPathsAndErrors(t *testing.T) {
	f, client := newFakeCommits(t)
	res := (*TagCache)(nil).resolver(1, client)
	ctx := context.Background()
	for _, tc := range []struct {
		owner, repo, ref string
		sha              string
		err              error
	}{
		{"actions", "setup-go", "v5", strings.Repeat("a", 40), nil},
		{"acme", "deploy", "releases/v1", strings.Repeat("b", 40), nil},
		{"acme", "deploy", "%2e%2e", strings.Repeat("c", 40), nil}, // a valid (if odd) git ref, sent escaped
		{"acme", "deploy", "missing", "", errTagNotFound},
		{"acme", "deploy", "huge", "", errTagBadAnswer},
		{"acme", "deploy", "broken", "", errTagUnavailable},
		{"..", "..", "v1", "", errTagNotAName},
		{"acme", "..", "v1", "", errTagNotAName},
		{"acme", "deploy", "refs/../../x", "", errTagNotAName},
		{"acme", "deploy?x=1", "v1", "", errTagNotAName},
		{"acme/../../user", "x", "v1", "", errTagNotAName},
	} {
		sha, err := res.ResolveRef(ctx, tc.owner, tc.repo, tc.ref)
		if sha != tc.sha || !errors.Is(err, tc.err) {
			t.Errorf("ResolveRef(%q, %q, %q) = %q, %v; want %q, %v", tc.owner, tc.repo, tc.ref, sha, err, tc.sha, tc.err)
		}
		if err != nil && (strings.Contains(err.Error(), "db-7") || strings.Contains(err.Error(), "hunter2")) {
			t.Errorf("error echoes GitHub's answer: %v", err)
		}
	}
	for _, p := range f.asked() {
		if !strings.HasPrefix(p, "/repos/") || strings.Contains(p, "/../") || strings.Contains(p, "/./") || strings.Contains(p, "?") {
			t.Errorf("request path %q is outside /repos/{owner}/{repo}/commits/{ref}", p)
		}
	}
	if want := "/repos/acme/deploy/commits/%252e%252e"; !contains(f.asked(), want) {
		t.Errorf("the %%2e%%2e ref was not sent escaped; paths: %v", f.asked())
	}
	if n := len(f.asked()); n != 6 {
		t.Errorf("%d requests, want 6 (invalid names are never sent)", n)
	}
}

// Answers are kept across reviews, per installation; transient failures
// are not.
func TestTagCacheAcrossReviews(t *testing.T) {
	f, client := newFakeCommits(t)
	cache := NewTagCache(16, time.Hour)
	ctx := context.Background()
	for range 3 { // three reviews of one installation
		res := cache.resolver(1, client)
		res.ResolveRef(ctx, "actions", "setup-go", "v5")
		res.ResolveRef(ctx, "acme", "deploy", "missing")
		res.ResolveRef(ctx, "acme", "deploy", "broken")
	}
	if n := len(f.asked()); n != 2+3 {
		t.Errorf("%d requests for three reviews, want 5 (found and missing refs once, the failing one each time)", n)
	}
	if _, err := cache.resolver(2, client).ResolveRef(ctx, "actions", "setup-go", "v5"); err != nil {
		t.Fatal(err)
	}
	if n := len(f.asked()); n != 6 {
		t.Errorf("another installation was answered from the first one's cache (%d requests)", n)
	}
	// A bounded cache: old entries make way.
	small := NewTagCache(2, time.Hour)
	for _, ref := range []string{"a1", "a2", "a3", "a1"} {
		small.resolver(1, client).ResolveRef(ctx, "acme", "deploy", ref)
	}
	if small.lru.Len() > 2 {
		t.Errorf("cache of 2 holds %d entries", small.lru.Len())
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
