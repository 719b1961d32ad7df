package githubtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/golang-jwt/jwt/v4"
	"github.com/google/go-github/v60/github"
)

// appJWT signs claims with key, as a GitHub App would.
func appJWT(t *testing.T, key *rsa.PrivateKey, claims jwt.MapClaims) string {
	t.Helper()
	signed, err := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

func appCall(t *testing.T, s *Server, bearer, method, path string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, s.APIURL()+strings.TrimPrefix(path, "/"), nil)
	req.Header.Set("Authorization", "Bearer "+bearer)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = decodeJSON(resp.Body, &out)
	return resp.StatusCode, out
}

// appCallBody sends an App-authenticated request with a JSON body.
func appCallBody(t *testing.T, s *Server, method, path string, body any) (int, map[string]any) {
	t.Helper()
	now := time.Now()
	jwtStr := appJWT(t, s.app.key, jwt.MapClaims{"iat": now.Add(-30 * time.Second).Unix(), "exp": now.Add(time.Minute).Unix(), "iss": strconv.FormatInt(s.app.id, 10)})
	data, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, s.APIURL()+strings.TrimPrefix(path, "/"), bytes.NewReader(data))
	req.Header.Set("Authorization", "Bearer "+jwtStr)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = decodeJSON(resp.Body, &out)
	return resp.StatusCode, out
}

func TestAppJWTRules(t *testing.T) {
	s, w := newWorld(t, WorldSpec{})
	key := s.app.key
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	now := time.Now()
	iss := strconv.FormatInt(w.App.ID, 10)
	cases := []struct {
		name   string
		key    *rsa.PrivateKey
		claims jwt.MapClaims
		status int
		msg    string
	}{
		{"valid like ghinstallation", key, jwt.MapClaims{"iat": now.Add(-30 * time.Second).Unix(), "exp": now.Add(90 * time.Second).Unix(), "iss": iss}, 200, ""},
		{"exp more than 10 minutes after iat", key, jwt.MapClaims{"iat": now.Unix(), "exp": now.Add(11 * time.Minute).Unix(), "iss": iss}, 401, "too far in the future"},
		{"expired", key, jwt.MapClaims{"iat": now.Add(-5 * time.Minute).Unix(), "exp": now.Add(-time.Minute).Unix(), "iss": iss}, 401, "Expiration time"},
		{"issued in the future", key, jwt.MapClaims{"iat": now.Add(5 * time.Minute).Unix(), "exp": now.Add(6 * time.Minute).Unix(), "iss": iss}, 401, "Issued at"},
		{"fractional iat", key, jwt.MapClaims{"iat": float64(now.Unix()) + 0.5, "exp": now.Add(time.Minute).Unix(), "iss": iss}, 401, "Issued at"},
		{"other app", key, jwt.MapClaims{"iat": now.Unix(), "exp": now.Add(time.Minute).Unix(), "iss": "999"}, 401, "Issuer"},
		{"wrong key", other, jwt.MapClaims{"iat": now.Unix(), "exp": now.Add(time.Minute).Unix(), "iss": iss}, 401, "could not be decoded"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := appCall(t, s, appJWT(t, tc.key, tc.claims), "GET", "/app")
			if status != tc.status || !strings.Contains(errorText(body), tc.msg) {
				t.Fatalf("status %d body %s, want %d containing %q", status, errorText(body), tc.status, tc.msg)
			}
		})
	}
	// An installation token is not an App credential.
	if status, _ := rawCall(t, s, mintToken(t, s, w), "GET", "/app", nil); status != 401 {
		t.Fatalf("installation token on /app: %d, want 401", status)
	}
}

// A host clock off by a small amount still works with ghinstallation; off by
// five minutes it fails like GitHub.
func TestClockSkew(t *testing.T) {
	for _, tc := range []struct {
		offset time.Duration
		ok     bool
	}{{20 * time.Second, true}, {-60 * time.Second, true}, {5 * time.Minute, false}, {-5 * time.Minute, false}} {
		t.Run(tc.offset.String(), func(t *testing.T) {
			s, w := newWorld(t, WorldSpec{})
			s.SetClockOffset(-tc.offset) // the host is ahead when the server is behind
			_, err := ghinstallationToken(s, w)
			if (err == nil) != tc.ok {
				t.Fatalf("host clock %v: err %v, want ok=%v", tc.offset, err, tc.ok)
			}
		})
	}
}

func ghinstallationToken(s *Server, w *World) (string, error) {
	itr, err := ghinstallation.New(http.DefaultTransport, w.App.ID, w.Installation.ID, s.PrivateKeyPEM())
	if err != nil {
		return "", err
	}
	itr.BaseURL = strings.TrimSuffix(s.APIURL(), "/")
	return itr.Token(context.Background())
}

func TestInstallationTokens(t *testing.T) {
	s, w := newWorld(t, WorldSpec{})
	other, err := s.CreateRepository(RepoSpec{Owner: w.Repo.Owner, Name: "other"})
	if err != nil {
		t.Fatal(err)
	}
	repoPath := "/repos/" + w.Repo.FullName()

	t.Run("variable length, not 40 characters", func(t *testing.T) {
		lengths := map[int]bool{}
		for i := 0; i < 8; i++ {
			tok := mintToken(t, s, w)
			if len(tok) == 40 || !strings.HasPrefix(tok, "ghs_") {
				t.Fatalf("token %q has the classic shape", tok)
			}
			lengths[len(tok)] = true
		}
		if len(lengths) < 2 {
			t.Fatalf("8 tokens all had one length: %v", lengths)
		}
	})
	t.Run("expired token is 401", func(t *testing.T) {
		tok := mintToken(t, s, w)
		if status, _ := rawCall(t, s, tok, "GET", repoPath, nil); status != 200 {
			t.Fatalf("fresh token: %d", status)
		}
		s.SetClockOffset(61 * time.Minute)
		defer s.SetClockOffset(0)
		if status, body := rawCall(t, s, tok, "GET", repoPath, nil); status != 401 || body["message"] != "Bad credentials" {
			t.Fatalf("expired token: %d %v", status, body)
		}
	})
	t.Run("repository_ids narrowing hides other repos as 404", func(t *testing.T) {
		itr, _ := ghinstallation.New(http.DefaultTransport, w.App.ID, w.Installation.ID, s.PrivateKeyPEM())
		itr.BaseURL = strings.TrimSuffix(s.APIURL(), "/")
		itr.InstallationTokenOptions = &github.InstallationTokenOptions{RepositoryIDs: []int64{w.Repo.ID}, Permissions: &github.InstallationPermissions{Contents: ptr("read"), Checks: ptr("write")}}
		tok, err := itr.Token(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if status, _ := rawCall(t, s, tok, "GET", repoPath, nil); status != 200 {
			t.Fatalf("scoped repo: %d", status)
		}
		if status, _ := rawCall(t, s, tok, "GET", "/repos/"+other.FullName(), nil); status != 404 {
			t.Fatalf("repo outside the token: %d, want 404", status)
		}
		// pull_requests was not requested, so reviews are forbidden.
		status, body := rawCall(t, s, tok, "POST", repoPath+"/pulls/1/reviews", map[string]any{"event": "COMMENT", "body": "x"})
		if status != 403 || body["message"] != "Resource not accessible by integration" {
			t.Fatalf("narrowed permissions: %d %v", status, body)
		}
	})
	t.Run("asking for more than granted is 422", func(t *testing.T) {
		itr, _ := ghinstallation.New(http.DefaultTransport, w.App.ID, w.Installation.ID, s.PrivateKeyPEM())
		itr.BaseURL = strings.TrimSuffix(s.APIURL(), "/")
		itr.InstallationTokenOptions = &github.InstallationTokenOptions{Permissions: &github.InstallationPermissions{Administration: ptr("write")}}
		if _, err := itr.Token(context.Background()); err == nil || !strings.Contains(err.Error(), "422") {
			t.Fatalf("want 422, got %v", err)
		}
	})
	t.Run("suspended installation is 403", func(t *testing.T) {
		tok := mintToken(t, s, w)
		if err := s.SuspendInstallation(w.Installation.ID, true); err != nil {
			t.Fatal(err)
		}
		defer func() { _ = s.SuspendInstallation(w.Installation.ID, false) }()
		if _, err := ghinstallationToken(s, w); err == nil || !strings.Contains(err.Error(), "403") {
			t.Fatalf("minting while suspended: %v, want 403", err)
		}
		if status, _ := rawCall(t, s, tok, "GET", repoPath, nil); status != 403 {
			t.Fatalf("using a token while suspended: %d, want 403", status)
		}
	})
	t.Run("deleted installation is 404 and its tokens die", func(t *testing.T) {
		tok := mintToken(t, s, w)
		if err := s.DeleteInstallation(w.Installation.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := ghinstallationToken(s, w); err == nil || !strings.Contains(err.Error(), "404") {
			t.Fatalf("minting after uninstall: %v, want 404", err)
		}
		if status, _ := rawCall(t, s, tok, "GET", repoPath, nil); status != 401 {
			t.Fatalf("old token after uninstall: %d, want 401", status)
		}
	})
	t.Run("no credentials is 401", func(t *testing.T) {
		if status, _ := rawCall(t, s, "", "GET", repoPath, nil); status != 401 {
			t.Fatalf("anonymous: %d", status)
		}
	})
}

func TestTokenTTLConfigurable(t *testing.T) {
	s, w := newWorld(t, WorldSpec{})
	s.SetTokenTTL(90 * time.Second)
	_, itr := installationClient(t, s, w)
	tok, err := itr.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	exp, _, _ := itr.Expiry()
	if d := time.Until(exp); d > 95*time.Second || d < 80*time.Second {
		t.Fatalf("expires_at in %v, want about 90s", d)
	}
	s.SetClockOffset(2 * time.Minute)
	if status, _ := rawCall(t, s, tok, "GET", "/repos/"+w.Repo.FullName(), nil); status != 401 {
		t.Fatalf("token past its 90s: %d, want 401", status)
	}
}
