package webhook_test

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/wardenbot/warden/bot/webhook"
	"github.com/wardenbot/warden/internal/slowpost"
)

// labelRecorder is an Observer that remembers every label it was given.
type labelRecorder struct {
	mu       sync.Mutex
	events   map[string]int
	outcomes map[string]int
}

func newLabelRecorder() *labelRecorder {
	return &labelRecorder{events: map[string]int{}, outcomes: map[string]int{}}
}

func (l *labelRecorder) observe(event, outcome string, _ time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events[event]++
	l.outcomes[outcome]++
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func randomName(n int) string {
	b := make([]byte, n/2)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Anyone can POST to /webhook: 2,000 unsigned requests with random event
// names make no label but "unverified", and no name reaches a log line.
// Signed deliveries of events warden does not handle are "other", and
// their names are not logged or echoed either.
func TestUnsignedEventsWithRandomNames(t *testing.T) {
	labels := newLabelRecorder()
	var logs lockedBuffer
	sink := &recordingSink{}
	h, err := webhook.NewHandler(secret, sink, &memDeliveries{seen: map[string]bool{}}, zerolog.New(&logs), labels.observe, nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for i := range 2000 {
		name := randomName(8 + i%200)
		names = append(names, name)
		rec := post(h, name, "d-"+randomName(8), []byte(`{"action":"opened"}`), nil)
		if rec.Code != http.StatusUnauthorized {
			t.Fatalf("unsigned request %d answered %d", i, rec.Code)
		}
	}
	body := []byte(`{"action":"created","installation":{"id":1}}`)
	for range 50 {
		name := randomName(40)
		names = append(names, name)
		rec := post(h, name, "d-"+randomName(8), body, map[string]string{"X-Hub-Signature-256": sign(body)})
		if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), name) {
			t.Fatalf("signed unknown event: %d %s", rec.Code, rec.Body)
		}
	}
	if sink.count() != 0 {
		t.Errorf("%d jobs queued", sink.count())
	}
	want := map[string]int{webhook.LabelUnverified: 2000, webhook.LabelOther: 50}
	if fmt.Sprint(labels.events) != fmt.Sprint(want) {
		t.Errorf("event labels %v, want %v", labels.events, want)
	}
	for _, l := range slices.Collect(func(yield func(string) bool) {
		for k := range labels.events {
			if !yield(k) {
				return
			}
		}
	}) {
		if !slices.Contains(webhook.EventLabels(), l) {
			t.Errorf("label %q is not one of EventLabels", l)
		}
	}
	out := logs.String()
	for _, name := range names {
		if strings.Contains(out, name) {
			t.Fatalf("the random event name %q reached the log", name)
		}
	}
	// Refusals are sampled: a flood does not become a flood of log lines.
	if n := strings.Count(out, `"outcome":"bad_signature"`); n == 0 || n > 100 {
		t.Errorf("%d log lines for 2,000 refusals", n)
	}
}

// Headers logged before the signature is checked are clipped and stripped
// of control characters.
func TestRefusalLogClipsHeaders(t *testing.T) {
	var logs lockedBuffer
	h, err := webhook.NewHandler(secret, &recordingSink{}, &memDeliveries{seen: map[string]bool{}}, zerolog.New(&logs), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("A", 10<<10)
	req := httptest.NewRequest(http.MethodPost, "/webhook", strings.NewReader("{}"))
	req.Header.Set("X-GitHub-Delivery", long)
	req.Header.Set("User-Agent", "evil\x1b[31m"+long)
	h.ServeHTTP(httptest.NewRecorder(), req)
	out := logs.String()
	if len(out) > 1000 || strings.Contains(out, "\x1b") || strings.Contains(out, `\u001b`) {
		t.Errorf("refusal log line not clipped (%d bytes): %.300s", len(out), out)
	}
	if !strings.Contains(out, `"delivery":"AAAA`) {
		t.Errorf("refusal log lacks the clipped delivery id: %.300s", out)
	}
}

// The delivery id is not signed: a replayed body cannot bring a delivery
// id of its choosing into the logs or the database.
func TestMalformedDeliveryIDIsRefused(t *testing.T) {
	exs := loadExamples(t)
	h, sink, _ := newHandler(t)
	pr := find(t, exs, "pull_request", "opened", hasInstallation)
	for _, id := range []string{strings.Repeat("a", 101), "id with spaces", "id\nforged-line", "../../x", "ünïcode"} {
		if rec := post(h, "pull_request", id, pr, map[string]string{"X-Hub-Signature-256": sign(pr)}); rec.Code != http.StatusBadRequest {
			t.Errorf("delivery id %q: %d", id, rec.Code)
		}
	}
	if sink.count() != 0 {
		t.Errorf("%d jobs queued", sink.count())
	}
	if rec := post(h, "pull_request", "72d3162e-cc78-11e3-81ab-4c9367dc0958", pr, map[string]string{"X-Hub-Signature-256": sign(pr)}); rec.Code != http.StatusAccepted {
		t.Errorf("a GitHub delivery id: %d", rec.Code)
	}
}

// A captured signed body replayed under a fresh X-GitHub-Delivery id is a
// duplicate: answered 2xx, no job. A different body is not.
func TestReplayedBodyWithFreshDeliveryID(t *testing.T) {
	exs := loadExamples(t)
	h, sink, _ := newHandler(t)
	pr := find(t, exs, "pull_request", "opened", hasInstallation)
	if rec := post(h, "pull_request", "original", pr, map[string]string{"X-Hub-Signature-256": sign(pr)}); rec.Code != http.StatusAccepted {
		t.Fatalf("original delivery: %d %s", rec.Code, rec.Body)
	}
	for i := range 3 {
		rec := post(h, "pull_request", fmt.Sprintf("replay-%d", i), pr, map[string]string{"X-Hub-Signature-256": sign(pr)})
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "duplicate") {
			t.Errorf("replay %d: %d %s", i, rec.Code, rec.Body)
		}
	}
	other := patch(t, pr, func(m map[string]any) { m["action"] = "synchronize" })
	if rec := post(h, "pull_request", "next-push", other, map[string]string{"X-Hub-Signature-256": sign(other)}); rec.Code != http.StatusAccepted {
		t.Errorf("a different body: %d", rec.Code)
	}
	if sink.count() != 2 {
		t.Errorf("%d jobs, want 2", sink.count())
	}
}

// Ten thousand slow unsigned uploads cannot each hold 25 MB: bodies share
// one budget, reserved as bytes arrive; a request that finds no room waits
// briefly and gets 503, and a real delivery is answered (not hung) during
// the flood and accepted once it ends.
func TestSlowBodiesFlood(t *testing.T) {
	const budget = 1 << 20
	sink := &recordingSink{}
	labels := newLabelRecorder()
	h, err := webhook.NewHandler(secret, sink, &memDeliveries{seen: map[string]bool{}}, zerolog.Nop(), labels.observe,
		webhook.NewBodyGate(budget, 200*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	const attackers = 300
	stop := make(chan struct{})
	statuses := make(chan string, attackers)
	var wg sync.WaitGroup
	for range attackers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses <- slowpost.Upload(addr, 300<<10, stop)
		}()
	}
	// Let the flood take the budget, then try a real delivery.
	time.Sleep(time.Second)
	body := []byte(`{"action":"opened","installation":{"id":1},"repository":{"id":1,"name":"r","owner":{"login":"o"}},"pull_request":{"number":1,"state":"open","head":{"sha":"` + strings.Repeat("a", 40) + `"}}}`)
	start := time.Now()
	code := deliverSigned(t, srv.URL, "during-flood", body)
	if took := time.Since(start); took > 3*time.Second || (code != http.StatusServiceUnavailable && code != http.StatusAccepted) {
		t.Errorf("a delivery during the flood: %d after %s", code, took)
	}

	runtime.GC()
	var during runtime.MemStats
	runtime.ReadMemStats(&during)
	grown := int64(during.HeapInuse) - int64(before.HeapInuse)
	t.Logf("heap in use grew by %d KiB during a flood of %d slow 300 KiB uploads (budget %d KiB)", grown>>10, attackers, budget>>10)
	if grown > 24<<20 {
		t.Errorf("heap grew by %d MiB during the flood; the budget is %d MiB", grown>>20, budget>>20)
	}

	close(stop)
	wg.Wait()
	close(statuses)
	counts := map[string]int{}
	for s := range statuses {
		counts[s]++
	}
	t.Logf("attackers: %v", counts)
	if counts["HTTP/1.1 503"] < attackers/2 {
		t.Errorf("only %d of %d slow uploads were refused with 503: %v", counts["HTTP/1.1 503"], attackers, counts)
	}
	deadline := time.Now().Add(5 * time.Second)
	for deliverSigned(t, srv.URL, "after-flood", body) != http.StatusAccepted {
		if time.Now().After(deadline) {
			t.Fatal("deliveries are still refused after the flood ended")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if labels.outcomes["busy"] == 0 {
		t.Errorf("no delivery was recorded as busy: %v", labels.outcomes)
	}
}

func deliverSigned(t *testing.T, url, id string, body []byte) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("X-GitHub-Event", "pull_request")
	req.Header.Set("X-GitHub-Delivery", id)
	req.Header.Set("X-Hub-Signature-256", sign(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// Bodies of many sizes pass the gate whole (the signature over them still
// verifies) while they share its budget.
func TestBodyGateKeepsBodiesWhole(t *testing.T) {
	h, err := webhook.NewHandler(secret, &recordingSink{}, &memDeliveries{seen: map[string]bool{}}, zerolog.Nop(), nil,
		webhook.NewBodyGate(48<<20, 5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			size := (i%5)*700<<10 + 17
			body := []byte(`{"pad":"` + strings.Repeat("p", size) + `"}`)
			rec := post(h, "ping", fmt.Sprintf("d-%d", i), body, map[string]string{"X-Hub-Signature-256": sign(body)})
			if rec.Code != http.StatusOK {
				t.Errorf("body of %d bytes: %d %s", len(body), rec.Code, rec.Body)
			}
		}()
	}
	wg.Wait()
}

// Large bodies that together need more than the budget each hold part of
// it and wait for more: the wait breaks the standoff, so every request is
// answered promptly and some get through.
func TestBodyGateContentionEnds(t *testing.T) {
	h, err := webhook.NewHandler(secret, &recordingSink{}, &memDeliveries{seen: map[string]bool{}}, zerolog.Nop(), nil,
		webhook.NewBodyGate(4<<20, 300*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	var ok, busy atomic.Int32
	var wg sync.WaitGroup
	start := time.Now()
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := []byte(`{"pad":"` + strings.Repeat("p", 2<<20) + `"}`)
			switch rec := post(h, "ping", fmt.Sprintf("d-%d", i), body, map[string]string{"X-Hub-Signature-256": sign(body)}); rec.Code {
			case http.StatusOK:
				ok.Add(1)
			case http.StatusServiceUnavailable:
				busy.Add(1)
			default:
				t.Errorf("%d %s", rec.Code, rec.Body)
			}
		}()
	}
	wg.Wait()
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("16 competing 2 MiB bodies took %s to be answered", took)
	}
	if ok.Load() == 0 || busy.Load() == 0 {
		t.Errorf("%d accepted, %d refused: want both under contention", ok.Load(), busy.Load())
	}
}
