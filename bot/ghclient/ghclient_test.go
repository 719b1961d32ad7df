package ghclient_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/rs/zerolog"

	"github.com/wardenbot/warden/bot/ghclient"
)

type memPauses struct {
	mu sync.Mutex
	m  map[int64]time.Time
}

func (p *memPauses) PauseWrites(_ context.Context, id int64, until time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.m[id] = until
	return nil
}

func (p *memPauses) WritesPausedUntil(_ context.Context, id int64) (time.Time, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.m[id], nil
}

// fakeAPI is a minimal GitHub for transport tests: it mints tokens and
// answers check-run writes with whatever the test scripts.
type fakeAPI struct {
	mu        sync.Mutex
	requests  []string
	tokenBody map[string]any
	script    []func(w http.ResponseWriter) // consumed per non-token request
	writes    []time.Time
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.Method+" "+r.URL.Path+" "+r.Header.Get("Authorization")[:min(10, len(r.Header.Get("Authorization")))])
	w.Header().Set("Date", time.Now().UTC().Format(http.TimeFormat))
	if strings.HasSuffix(r.URL.Path, "/access_tokens") {
		json.NewDecoder(r.Body).Decode(&f.tokenBody)
		f.mu.Unlock()
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"token":"ghs_%s","expires_at":%q}`, strings.Repeat("t", 52), time.Now().Add(time.Hour).UTC().Format(time.RFC3339))
		return
	}
	if r.Method != http.MethodGet {
		f.writes = append(f.writes, time.Now())
	}
	var step func(w http.ResponseWriter)
	if len(f.script) > 0 {
		step, f.script = f.script[0], f.script[1:]
	}
	f.mu.Unlock()
	if step != nil {
		step(w)
		return
	}
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, `{"id":1,"name":"warden"}`)
}

func (f *fakeAPI) count(prefix string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, r := range f.requests {
		if strings.HasPrefix(r, prefix) {
			n++
		}
	}
	return n
}

func status(code int, headers map[string]string, body string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for k, v := range headers {
			w.Header().Set(k, v)
		}
		w.WriteHeader(code)
		io.WriteString(w, body)
	}
}

func keyPEM(t *testing.T) []byte {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
}

func setup(t *testing.T, pauses ghclient.Pauses) (*fakeAPI, *ghclient.Factory) {
	t.Helper()
	api := &fakeAPI{}
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	f, err := ghclient.New(ghclient.Config{APIURL: srv.URL + "/api/v3", AppID: 7, PrivateKey: keyPEM(t), Pauses: pauses, Log: zerolog.Nop(), MinWriteGap: 30 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return api, f
}

func createRun(ctx context.Context, c *github.Client) error {
	_, _, err := c.Checks.CreateCheckRun(ctx, "o", "r", github.CreateCheckRunOptions{Name: "warden", HeadSHA: strings.Repeat("a", 40)})
	return err
}

func TestTokenIsScopedAndSentOnlyAsHeader(t *testing.T) {
	api, f := setup(t, nil)
	inst := f.Installation(99, 1234)
	if err := createRun(context.Background(), inst.Client); err != nil {
		t.Fatal(err)
	}
	if api.count("POST /api/v3/app/installations/99/access_tokens Bearer") != 1 {
		t.Errorf("token not minted with an App JWT: %v", api.requests)
	}
	if ids, _ := api.tokenBody["repository_ids"].([]any); len(ids) != 1 || ids[0].(float64) != 1234 {
		t.Errorf("token not scoped to the repository: %v", api.tokenBody)
	}
	perms, _ := api.tokenBody["permissions"].(map[string]any)
	if perms["contents"] != "read" || perms["checks"] != "write" || perms["administration"] != nil {
		t.Errorf("permissions not minimal: %v", perms)
	}
	if api.count("POST /api/v3/repos/o/r/check-runs token ghs_") != 1 {
		t.Errorf("API call without the installation token: %v", api.requests)
	}
	tok, err := inst.GitToken(context.Background())
	if err != nil || !strings.HasPrefix(tok, "ghs_") || len(tok) == 40 {
		t.Errorf("git token %q %v", tok[:4], err)
	}
}

// Platform §8 row 20: a 429 with remaining 0 is a primary limit; sleep until reset.
func TestTooManyRequestsIsARateLimit(t *testing.T) {
	pauses := &memPauses{m: map[int64]time.Time{}}
	api, f := setup(t, pauses)
	reset := time.Now().Add(90 * time.Second).Unix()
	api.script = append(api.script, status(429, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": fmt.Sprint(reset)}, `{"message":"API rate limit exceeded"}`))
	inst := f.Installation(5, 1)
	err := createRun(context.Background(), inst.Client)
	rl, ok := ghclient.IsRateLimited(err)
	if !ok || rl.Secondary || rl.Until.Unix() < reset {
		t.Fatalf("want a primary pause until the reset, got %v", err)
	}
	if pauses.m[5].Unix() < reset {
		t.Error("pause not persisted")
	}
	before := api.count("POST /api/v3/repos")
	err = createRun(context.Background(), inst.Client)
	if rl, ok := ghclient.IsRateLimited(err); !ok || !rl.Local {
		t.Errorf("a write during the pause should fail locally: %v", err)
	}
	if api.count("POST /api/v3/repos") != before {
		t.Error("a write was sent during the pause")
	}
}

// Platform §8 row 18: Retry-After pauses the whole write lane, across restarts.
func TestRetryAfterPausePersistsAcrossRestarts(t *testing.T) {
	pauses := &memPauses{m: map[int64]time.Time{}}
	api, f := setup(t, pauses)
	api.script = append(api.script, status(403, map[string]string{"Retry-After": "60", "X-RateLimit-Remaining": "4000"}, `{"message":"You have exceeded a secondary rate limit."}`))
	err := createRun(context.Background(), f.Installation(8, 1).Client)
	rl, ok := ghclient.IsRateLimited(err)
	if !ok || !rl.Secondary || time.Until(rl.Until) < 59*time.Second {
		t.Fatalf("got %v", err)
	}
	// A new process (new factory) sharing the store honours the pause.
	f2, _ := ghclient.New(ghclient.Config{APIURL: "http://127.0.0.1:1/api/v3/", AppID: 7, PrivateKey: keyPEM(t), Pauses: pauses, Log: zerolog.Nop()})
	if _, ok := ghclient.IsRateLimited(createRun(context.Background(), f2.Installation(8, 1).Client)); !ok {
		t.Error("restart forgot the pause")
	}
	if _, ok := ghclient.IsRateLimited(createRun(context.Background(), f.Installation(9, 1).Client)); ok {
		t.Error("another installation was paused too")
	}
}

// Platform §8 row 19: no Retry-After, remaining > 0, or a reset already past:
// at least a minute, then exponential; never zero delay.
func TestSecondaryLimitWithoutGuidanceBacksOff(t *testing.T) {
	api, f := setup(t, nil)
	secondary := status(403, map[string]string{"X-RateLimit-Remaining": "4771"}, `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}`)
	inst := f.Installation(3, 1)
	api.script = append(api.script, secondary)
	rl1, _ := ghclient.IsRateLimited(createRun(context.Background(), inst.Client))
	if rl1 == nil || time.Until(rl1.Until) < 59*time.Second {
		t.Fatalf("first: %+v", rl1)
	}
	api2, f2 := setup(t, nil)
	inst2 := f2.Installation(3, 1)
	api2.script = append(api2.script, status(403, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": fmt.Sprint(time.Now().Add(-time.Hour).Unix())}, `{"message":"API rate limit exceeded"}`))
	rl2, _ := ghclient.IsRateLimited(createRun(context.Background(), inst2.Client))
	if rl2 == nil || time.Until(rl2.Until) < 59*time.Second {
		t.Errorf("a reset in the past must not mean zero delay: %+v", rl2)
	}
}

func TestPermissionDeniedIsNotARateLimit(t *testing.T) {
	api, f := setup(t, nil)
	api.script = append(api.script, status(403, nil, `{"message":"Resource not accessible by integration"}`))
	err := createRun(context.Background(), f.Installation(1, 1).Client)
	var ghErr *github.ErrorResponse
	if _, ok := ghclient.IsRateLimited(err); ok || !errors.As(err, &ghErr) || ghErr.Response.StatusCode != 403 || !strings.Contains(ghErr.Message, "not accessible") {
		t.Errorf("got %v", err)
	}
}

// Platform §8 row 16: jittered retry of GETs, at most 5 tries; writes are
// never retried blindly.
func TestServerErrorsRetryOnlyReads(t *testing.T) {
	api, f := setup(t, nil)
	c := f.Installation(1, 1).Client
	api.script = append(api.script, status(502, nil, "bad gateway"), status(503, nil, "unavailable"))
	if _, _, err := c.Repositories.Get(context.Background(), "o", "r"); err != nil {
		t.Fatalf("GET after two 5xx: %v", err)
	}
	if n := api.count("GET /api/v3/repos/o/r"); n != 3 {
		t.Errorf("%d GETs, want 3", n)
	}
	for i := 0; i < 6; i++ {
		api.script = append(api.script, status(502, nil, "bad gateway"))
	}
	if _, resp, err := c.Repositories.Get(context.Background(), "o", "r"); err == nil || resp.StatusCode != 502 {
		t.Errorf("want the 502 after 5 tries, got %v", err)
	}
	if n := api.count("GET /api/v3/repos/o/r"); n != 8 {
		t.Errorf("%d GETs in total, want 3+5", n)
	}
	api.script = []func(http.ResponseWriter){status(502, nil, "bad gateway")}
	if err := createRun(context.Background(), c); err == nil {
		t.Error("a failed write reported success")
	}
	if n := api.count("POST /api/v3/repos/o/r/check-runs"); n != 1 {
		t.Errorf("a write was retried blindly (%d attempts): GitHub may have committed it", n)
	}
}

func TestWritesOfOneInstallationAreSpaced(t *testing.T) {
	api, f := setup(t, nil)
	c := f.Installation(1, 1).Client
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); createRun(context.Background(), c) }()
	}
	wg.Wait()
	api.mu.Lock()
	defer api.mu.Unlock()
	if len(api.writes) != 4 {
		t.Fatalf("%d writes", len(api.writes))
	}
	for i := 1; i < len(api.writes); i++ {
		if gap := api.writes[i].Sub(api.writes[i-1]); gap < 25*time.Millisecond {
			t.Errorf("writes %d and %d only %s apart", i-1, i, gap)
		}
	}
}

func TestCloneURLMustPointAtTheConfiguredGitHub(t *testing.T) {
	dotcom, _ := ghclient.New(ghclient.Config{AppID: 1, PrivateKey: keyPEM(t)})
	ghes, _ := ghclient.New(ghclient.Config{APIURL: "https://ghe.example.invalid/api/v3/", AppID: 1, PrivateKey: keyPEM(t)})
	local, _ := ghclient.New(ghclient.Config{APIURL: "http://127.0.0.1:8080/", AppID: 1, PrivateKey: keyPEM(t)})
	for _, tc := range []struct {
		f     *ghclient.Factory
		clone string
		ok    bool
	}{
		{dotcom, "https://github.com/o/r.git", true},
		{dotcom, "https://GitHub.com/o/r.git", true},
		{dotcom, "https://evil.example.invalid/o/r.git", false},
		{dotcom, "https://github.com.evil.example.invalid/o/r.git", false},
		{dotcom, "http://github.com/o/r.git", false},
		{dotcom, "https://user:pw@github.com/o/r.git", false},
		{dotcom, "file:///etc", false},
		{ghes, "https://ghe.example.invalid/o/r.git", true},
		{ghes, "https://github.com/o/r.git", false},
		{local, "http://127.0.0.1:9999/o/r.git", true},
		{local, "http://localhost:9999/o/r.git", false},
	} {
		if err := tc.f.CloneURLAllowed(tc.clone); (err == nil) != tc.ok {
			t.Errorf("%s with API %s: err=%v, want ok=%v", tc.clone, tc.f.GitHost(), err, tc.ok)
		}
	}
	if dotcom.GraphQLURL() != "https://api.github.com/graphql" || ghes.GraphQLURL() != "https://ghe.example.invalid/api/graphql" || local.GraphQLURL() != "http://127.0.0.1:8080/graphql" {
		t.Errorf("graphql urls: %s %s %s", dotcom.GraphQLURL(), ghes.GraphQLURL(), local.GraphQLURL())
	}
	if dotcom.WebURL() != "https://github.com" || ghes.WebURL() != "https://ghe.example.invalid" || local.WebURL() != "http://127.0.0.1:8080" {
		t.Errorf("web urls: %s %s %s", dotcom.WebURL(), ghes.WebURL(), local.WebURL())
	}
}

func TestConfigErrors(t *testing.T) {
	if _, err := ghclient.New(ghclient.Config{AppID: 1, PrivateKey: []byte("not a key")}); err == nil {
		t.Error("bad key accepted")
	}
	if _, err := ghclient.New(ghclient.Config{PrivateKey: keyPEM(t)}); err == nil {
		t.Error("missing app id accepted")
	}
	if _, err := ghclient.New(ghclient.Config{APIURL: "ftp://x", AppID: 1, PrivateKey: keyPEM(t)}); err == nil {
		t.Error("bad URL accepted")
	}
}

func TestInstallationClientsAreReusedAcrossJobs(t *testing.T) {
	api, f := setup(t, nil)
	a, b := f.Installation(99, 2, 1), f.Installation(99, 1, 2)
	if a != b {
		t.Fatal("the same installation and repositories gave two clients")
	}
	if f.Installation(99, 1) == a || f.Installation(98, 1, 2) == a {
		t.Fatal("a different scope shared a client")
	}
	for i := 0; i < 3; i++ {
		if err := createRun(context.Background(), f.Installation(99, 1, 2).Client); err != nil {
			t.Fatal(err)
		}
	}
	if n := api.count("POST /api/v3/app/installations/99/access_tokens"); n != 1 {
		t.Errorf("%d tokens minted for three jobs, want one", n)
	}
}
