package webhook_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/rs/zerolog"

	"github.com/wardenbot/warden/bot/webhook"
	"github.com/wardenbot/warden/internal/npmcache"
)

const secret = "It's a Secret to Everybody"

type memDeliveries struct {
	mu   sync.Mutex
	seen map[string]bool
	err  error
}

func (m *memDeliveries) First(_ context.Context, id, digest string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err != nil {
		return false, m.err
	}
	first := !m.seen["id:"+id] && !m.seen["body:"+digest]
	m.seen["id:"+id], m.seen["body:"+digest] = true, true
	return first, nil
}

func (m *memDeliveries) Forget(_ context.Context, id, digest string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.seen, "id:"+id)
	delete(m.seen, "body:"+digest)
	return nil
}

type recordingSink struct {
	mu   sync.Mutex
	work []webhook.Work
	err  error
}

func (s *recordingSink) Accept(_ context.Context, w webhook.Work) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	s.work = append(s.work, w)
	return nil
}

func (s *recordingSink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.work)
}

func newHandler(t *testing.T) (*webhook.Handler, *recordingSink, *memDeliveries) {
	t.Helper()
	sink := &recordingSink{}
	dels := &memDeliveries{seen: map[string]bool{}}
	h, err := webhook.NewHandler(secret, sink, dels, zerolog.Nop(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return h, sink, dels
}

func sign(body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

func post(h http.Handler, event, delivery string, body []byte, headers map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(body))
	req.Header.Set("X-GitHub-Event", event)
	req.Header.Set("X-GitHub-Delivery", delivery)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// example is one real delivery from @octokit/webhooks-examples.
type example struct {
	event   string
	action  string
	payload []byte
}

func loadExamples(t *testing.T) []example {
	t.Helper()
	path, err := npmcache.File(context.Background(), "@octokit/webhooks-examples", "7.6.1", "package/api.github.com/index.json")
	if err != nil {
		if npmcache.Required() {
			t.Fatalf("webhook examples unavailable: %v", err)
		}
		t.Skipf("webhook examples unavailable: %v", err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var events []struct {
		Name     string            `json:"name"`
		Examples []json.RawMessage `json:"examples"`
	}
	if err := json.Unmarshal(raw, &events); err != nil {
		t.Fatal(err)
	}
	var out []example
	for _, e := range events {
		for _, ex := range e.Examples {
			var a struct {
				Action string `json:"action"`
			}
			json.Unmarshal(ex, &a)
			out = append(out, example{event: e.Name, action: a.Action, payload: ex})
		}
	}
	return out
}

// hasInstallation selects deliveries to a GitHub App (repository webhooks
// carry no installation and are ignored by warden).
func hasInstallation(b []byte) bool {
	var v struct {
		Installation *struct{ ID int64 } `json:"installation"`
	}
	return json.Unmarshal(b, &v) == nil && v.Installation != nil && v.Installation.ID != 0
}

func find(t *testing.T, exs []example, event, action string, match func([]byte) bool) []byte {
	t.Helper()
	for _, e := range exs {
		if e.event == event && e.action == action && (match == nil || match(e.payload)) {
			return e.payload
		}
	}
	t.Fatalf("no %s.%s example", event, action)
	return nil
}

// Platform §8 row 1: GitHub's documented test vector, and a flipped byte.
func TestSignatureTestVector(t *testing.T) {
	h, sink, _ := newHandler(t)
	body := []byte("Hello, World!")
	want := "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
	if sign(body) != want {
		t.Fatalf("test vector mismatch: %s", sign(body))
	}
	// The signature is right; the body is not an event we know, so it is
	// accepted and ignored.
	if rec := post(h, "ping", "d1", []byte(`{"zen":"Hello, World!"}`), map[string]string{"X-Hub-Signature-256": sign([]byte(`{"zen":"Hello, World!"}`))}); rec.Code != http.StatusOK {
		t.Errorf("valid signature: %d %s", rec.Code, rec.Body)
	}
	flipped := []byte(`{"zen":"Hello, World?"}`)
	if rec := post(h, "ping", "d2", flipped, map[string]string{"X-Hub-Signature-256": sign([]byte(`{"zen":"Hello, World!"}`))}); rec.Code != http.StatusUnauthorized {
		t.Errorf("one byte flipped: %d", rec.Code)
	}
	if sink.count() != 0 {
		t.Error("something was queued")
	}
}

// Platform §8 row 2: only sha256, constant-time, never without a secret.
func TestSignatureVariantsAreRefused(t *testing.T) {
	h, sink, _ := newHandler(t)
	body := []byte(`{"action":"opened"}`)
	sha1Header := "sha1=" + strings.Repeat("0", 40)
	for name, headers := range map[string]map[string]string{
		"missing":        {"X-Hub-Signature-256": ""},
		"sha1 only":      {"X-Hub-Signature-256": "", "X-Hub-Signature": sha1Header},
		"sha512 prefix":  {"X-Hub-Signature-256": "sha512=" + strings.TrimPrefix(sign(body), "sha256=")},
		"bad hex":        {"X-Hub-Signature-256": "sha256=zz" + strings.TrimPrefix(sign(body), "sha256=")[2:]},
		"truncated":      {"X-Hub-Signature-256": sign(body)[:40]},
		"no prefix":      {"X-Hub-Signature-256": strings.TrimPrefix(sign(body), "sha256=")},
		"other secret":   {"X-Hub-Signature-256": "sha256=" + strings.Repeat("ab", 32)},
		"empty body sig": {"X-Hub-Signature-256": sign(nil)},
	} {
		if rec := post(h, "pull_request", "d-"+name, body, headers); rec.Code != http.StatusUnauthorized {
			t.Errorf("%s: got %d, want 401", name, rec.Code)
		}
	}
	if sink.count() != 0 {
		t.Error("an unsigned delivery was queued")
	}
	if _, err := webhook.NewHandler("", sink, &memDeliveries{}, zerolog.Nop(), nil, nil); err == nil {
		t.Error("a handler without a secret was built")
	}
}

// Platform §8 row 3: verification is over the raw bytes.
func TestRawBytesAreVerified(t *testing.T) {
	h, _, _ := newHandler(t)
	for name, body := range map[string][]byte{
		"escape":       []byte(`{"zen":"\u001B[31m red"}`),
		"emoji":        []byte(`{"zen":"🚀 ship it"}`),
		"invalid utf8": append([]byte(`{"zen":"`), 0xff, 0xfe, '"', '}'),
		"spacing":      []byte("{ \"zen\" :\n\t\"x\" }"),
	} {
		if rec := post(h, "ping", "raw-"+name, body, map[string]string{"X-Hub-Signature-256": sign(body)}); rec.Code == http.StatusUnauthorized {
			t.Errorf("%s: a correctly signed body was refused", name)
		}
	}
}

// Platform §8 row 4: a body over GitHub's cap is refused without reading it all.
func TestOversizedBody(t *testing.T) {
	h, sink, _ := newHandler(t)
	body := bytes.Repeat([]byte("a"), 26<<20)
	if rec := post(h, "push", "big", body, map[string]string{"X-Hub-Signature-256": sign(body)}); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("got %d, want 413", rec.Code)
	}
	if sink.count() != 0 {
		t.Error("queued")
	}
}

func TestMalformedPayloadIsABadRequest(t *testing.T) {
	h, sink, _ := newHandler(t)
	body := []byte(`{"action": "opened", "pull_request": [`)
	rec := post(h, "pull_request", "bad", body, map[string]string{"X-Hub-Signature-256": sign(body)})
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "malformed payload") {
		t.Errorf("got %d %s", rec.Code, rec.Body)
	}
	if sink.count() != 0 {
		t.Error("queued")
	}
	body = []byte(`{}`)
	if rec := post(h, "pull_request", "", body, map[string]string{"X-Hub-Signature-256": sign(body)}); rec.Code != http.StatusBadRequest {
		t.Errorf("missing delivery id: %d", rec.Code)
	}
	req := httptest.NewRequest(http.MethodGet, "/webhook", nil)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", rec.Code)
	}
}

// Every real delivery in @octokit/webhooks-examples is accepted or ignored,
// never refused or failed, and routed to the expected kind of work.
func TestEveryRealDeliveryIsHandled(t *testing.T) {
	exs := loadExamples(t)
	h, sink, _ := newHandler(t)
	kinds := map[string]int{}
	for i, ex := range exs {
		rec := post(h, ex.event, fmt.Sprintf("real-%d", i), ex.payload, map[string]string{"X-Hub-Signature-256": sign(ex.payload)})
		if rec.Code != http.StatusOK && rec.Code != http.StatusAccepted {
			t.Errorf("%s.%s: %d %s", ex.event, ex.action, rec.Code, rec.Body)
		}
		if rec.Code == http.StatusAccepted {
			kinds[ex.event+"."+ex.action]++
		}
	}
	if len(exs) < 100 {
		t.Fatalf("only %d examples loaded", len(exs))
	}
	for _, want := range []string{"pull_request.opened", "check_suite.requested", "check_suite.rerequested", "installation.created", "installation.deleted", "installation_repositories.removed"} {
		if kinds[want] == 0 {
			t.Errorf("no %s example was queued (queued: %v)", want, kinds)
		}
	}
	for k := range kinds {
		for _, never := range []string{"push.", "star.", "pull_request.labeled", "pull_request.closed", "issues.", "ping."} {
			if strings.HasPrefix(k, never) {
				t.Errorf("%s was queued", k)
			}
		}
	}
	_ = sink
}

// patch edits a real payload: the examples are deliveries to other apps
// and plain issues, so a field or two is moved to warden's situation.
func patch(t *testing.T, payload []byte, edit func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(payload, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRoutingOfRealPayloads(t *testing.T) {
	exs := loadExamples(t)
	h, sink, _ := newHandler(t)
	n := 0
	deliver := func(event string, payload []byte) (int, *webhook.Work) {
		n++
		before := sink.count()
		rec := post(h, event, fmt.Sprintf("route-%d", n), payload, map[string]string{"X-Hub-Signature-256": sign(payload)})
		if sink.count() == before {
			return rec.Code, nil
		}
		w := sink.work[len(sink.work)-1]
		return rec.Code, &w
	}

	pr := find(t, exs, "pull_request", "opened", hasInstallation)
	code, w := deliver("pull_request", pr)
	var p struct {
		Number      int `json:"number"`
		PullRequest struct {
			Head struct{ SHA string } `json:"head"`
			Base struct{ Ref string } `json:"base"`
		} `json:"pull_request"`
		Repository struct {
			CloneURL string `json:"clone_url"`
		} `json:"repository"`
		Installation struct{ ID int64 } `json:"installation"`
	}
	json.Unmarshal(pr, &p)
	if code != http.StatusAccepted || w == nil || w.Kind != webhook.Scan || w.PR != p.Number || w.HeadSHA != p.PullRequest.Head.SHA ||
		w.BaseRef != p.PullRequest.Base.Ref || w.CloneURL != p.Repository.CloneURL || w.Owner == "" || w.Repo == "" || w.InstallationID != p.Installation.ID {
		t.Errorf("pull_request.opened routed to %+v", w)
	}

	comment := find(t, exs, "issue_comment", "created", nil)
	withCommand := func(m map[string]any) {
		m["comment"].(map[string]any)["body"] = "/warden rescan"
		if m["installation"] == nil {
			m["installation"] = map[string]any{"id": 42}
		}
	}
	if code, w := deliver("issue_comment", patch(t, comment, withCommand)); code != http.StatusOK || w != nil {
		t.Errorf("a command on a plain issue must be ignored: %d %+v", code, w)
	}
	onPR := patch(t, comment, func(m map[string]any) {
		withCommand(m)
		m["issue"].(map[string]any)["pull_request"] = map[string]any{"url": "https://api.github.example.invalid/repos/o/r/pulls/1"}
	})
	if code, w := deliver("issue_comment", onPR); code != http.StatusAccepted || w == nil || w.Kind != webhook.Command || w.CommentBody != "/warden rescan" || w.PR == 0 || w.CommentID == 0 {
		t.Errorf("command on a pull request: %d %+v", code, w)
	}
	chatter := patch(t, onPR, func(m map[string]any) { m["comment"].(map[string]any)["body"] = "LGTM" })
	if code, w := deliver("issue_comment", chatter); code != http.StatusOK || w != nil {
		t.Errorf("a comment without a command was queued: %d", code)
	}
	byBot := patch(t, onPR, func(m map[string]any) {
		m["sender"].(map[string]any)["type"] = "Bot"
		m["sender"].(map[string]any)["login"] = "warden[bot]"
	})
	if code, w := deliver("issue_comment", byBot); code != http.StatusOK || w != nil {
		t.Errorf("a bot's command was queued (loop risk): %d", code)
	}

	rerun := find(t, exs, "check_run", "rerequested", nil)
	if code, w := deliver("check_run", rerun); code != http.StatusOK || w != nil {
		t.Errorf("another app's check run was acted on: %d %+v", code, w)
	}
	mine := patch(t, rerun, func(m map[string]any) { m["check_run"].(map[string]any)["name"] = "warden" })
	if code, w := deliver("check_run", mine); code != http.StatusAccepted || w == nil || w.Kind != webhook.Scan || !w.RequestedRerun || w.HeadSHA == "" {
		t.Errorf("warden's check run rerequested: %d %+v", code, w)
	}
	button := patch(t, find(t, exs, "check_run", "requested_action", nil), func(m map[string]any) { m["check_run"].(map[string]any)["name"] = "warden" })
	if code, w := deliver("check_run", button); code != http.StatusAccepted || w == nil || w.Kind != webhook.Command || w.ActionID == "" {
		t.Errorf("requested_action: %d %+v", code, w)
	}

	labeled := find(t, exs, "pull_request", "labeled", nil)
	if code, w := deliver("pull_request", labeled); code != http.StatusOK || w != nil {
		t.Errorf("pull_request.labeled: %d %+v", code, w)
	}
	retitled := patch(t, pr, func(m map[string]any) {
		m["action"] = "edited"
		m["changes"] = map[string]any{"title": map[string]any{"from": "x"}}
	})
	if code, w := deliver("pull_request", retitled); code != http.StatusOK || w != nil {
		t.Errorf("a title edit started a scan: %d", code)
	}
	rebased := patch(t, pr, func(m map[string]any) {
		m["action"] = "edited"
		m["changes"] = map[string]any{"base": map[string]any{"ref": map[string]any{"from": "develop"}}}
	})
	if code, w := deliver("pull_request", rebased); code != http.StatusAccepted || w == nil || w.Kind != webhook.Scan {
		t.Errorf("a base change must rescan: %d", code)
	}
}

// Platform §8 row 6: the same delivery twice starts one job.
func TestDuplicateDeliveryStartsNothing(t *testing.T) {
	exs := loadExamples(t)
	h, sink, _ := newHandler(t)
	pr := find(t, exs, "pull_request", "opened", hasInstallation)
	for i := 0; i < 3; i++ {
		rec := post(h, "pull_request", "same-id", pr, map[string]string{"X-Hub-Signature-256": sign(pr)})
		if (i == 0 && rec.Code != http.StatusAccepted) || (i > 0 && (rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "duplicate"))) {
			t.Errorf("attempt %d: %d %s", i, rec.Code, rec.Body)
		}
	}
	if sink.count() != 1 {
		t.Errorf("%d jobs for one delivery", sink.count())
	}
}

// Platform §8 rows 5 and 9: 2xx only after durable enqueue, else 503 — and a
// failed delivery is not remembered, so a redelivery is processed.
func TestQueueFailureIs503AndRedeliveryWorks(t *testing.T) {
	exs := loadExamples(t)
	h, sink, dels := newHandler(t)
	pr := find(t, exs, "pull_request", "opened", hasInstallation)
	sink.err = errors.New("database is locked")
	if rec := post(h, "pull_request", "retry-me", pr, map[string]string{"X-Hub-Signature-256": sign(pr)}); rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("got %d, want 503", rec.Code)
	}
	sink.err = nil
	if rec := post(h, "pull_request", "retry-me", pr, map[string]string{"X-Hub-Signature-256": sign(pr)}); rec.Code != http.StatusAccepted {
		t.Errorf("redelivery after recovery: %d", rec.Code)
	}
	dels.err = errors.New("connection refused")
	if rec := post(h, "pull_request", "db-down", pr, map[string]string{"X-Hub-Signature-256": sign(pr)}); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("delivery store down: %d", rec.Code)
	}
}
