package githubtest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v60/github"
)

// newWorld starts a validated server with a default scenario.
func newWorld(t *testing.T, spec WorldSpec) (*Server, *World) {
	t.Helper()
	s := StartTB(t, Options{})
	if spec.HeadFiles == nil {
		spec.BaseFiles = map[string]string{"app.go": lines(1, 20)}
		spec.HeadFiles = map[string]string{"app.go": strings.Replace(lines(1, 20), "line 10\n", "line 10 changed\n", 1)}
	}
	return s, WorldTB(t, s, spec)
}

// lines renders "line N\n" for N in [from, to].
func lines(from, to int) string {
	var b strings.Builder
	for i := from; i <= to; i++ {
		b.WriteString("line " + itoa(i) + "\n")
	}
	return b.String()
}

func itoa(i int) string { return strconv.Itoa(i) }

// installationClient is warden's way in: ghinstallation + go-github against
// the fake's base URL.
func installationClient(t *testing.T, s *Server, w *World) (*github.Client, *ghinstallation.Transport) {
	t.Helper()
	itr, err := ghinstallation.New(http.DefaultTransport, w.App.ID, w.Installation.ID, s.PrivateKeyPEM())
	if err != nil {
		t.Fatalf("ghinstallation: %v", err)
	}
	itr.BaseURL = strings.TrimSuffix(s.APIURL(), "/")
	client, err := github.NewClient(&http.Client{Transport: itr, Timeout: 10 * time.Second}).WithEnterpriseURLs(s.APIURL(), s.APIURL())
	if err != nil {
		t.Fatalf("go-github: %v", err)
	}
	return client, itr
}

// mintToken mints an installation token through the API.
func mintToken(t *testing.T, s *Server, w *World) string {
	t.Helper()
	_, itr := installationClient(t, s, w)
	tok, err := itr.Token(context.Background())
	if err != nil {
		t.Fatalf("mint token: %v", err)
	}
	return tok
}

// rawCall sends one REST request with a token and decodes the answer.
func rawCall(t *testing.T, s *Server, tok, method, path string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, s.APIURL()+strings.TrimPrefix(path, "/"), rd)
	if err != nil {
		t.Fatal(err)
	}
	if tok != "" {
		req.Header.Set("Authorization", "token "+tok)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(data, &out)
	return resp.StatusCode, out
}

// errorText flattens a GitHub error body for assertions.
func errorText(body map[string]any) string {
	data, _ := json.Marshal(body)
	return string(data)
}

func ptr[T any](v T) *T { return &v }

func decodeJSON(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }

func getenvCI() bool { return os.Getenv("CI") != "" }
