package server

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

func serveTest(t *testing.T, webhook http.Handler, to Timeouts) string {
	t.Helper()
	return serveHTTP(t, NewPublic("", webhook, zerolog.Nop(), to))
}

func serveHTTP(t *testing.T, h *HTTP) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

// §8 row 4: a slow drip or an endless body is cut off by the read timeout,
// and other deliveries are still answered meanwhile.
func TestRow4SlowAndEndlessBodiesAreCutOff(t *testing.T) {
	read := make(chan error, 4)
	hook := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := io.Copy(io.Discard, r.Body)
		read <- err
		w.WriteHeader(http.StatusAccepted)
	})
	base := serveTest(t, hook, Timeouts{ReadHeader: time.Second, Read: 400 * time.Millisecond, Write: time.Second, Idle: time.Second})

	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "POST /webhook HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
	start := time.Now()
	go func() {
		for i := 0; i < 100; i++ { // an endless trickle
			if _, err := io.WriteString(conn, "1\r\na\r\n"); err != nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	// Another delivery is answered while the trickle goes on.
	resp, err := http.Post(base+"/webhook", "application/json", strings.NewReader("{}"))
	if err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("a normal delivery during the trickle: %v %v", resp, err)
	}
	resp.Body.Close()
	<-read // the normal delivery
	select {
	case err := <-read:
		if err == nil {
			t.Error("the endless body was read to the end")
		}
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("cut off after %s", took)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the trickling client held its connection past the read timeout")
	}
}

// The public listener answers /webhook and /healthz only: metrics,
// readiness and profiles are on the admin listener, and /readyz says which
// probe fails without the probe's error (it is logged instead).
func TestHealthAndReadiness(t *testing.T) {
	dbDown := errors.New(`dial tcp 10.1.2.3:5432: password authentication failed for user "warden"`)
	var probeErr error
	var logs lockedLog
	public := serveTest(t, http.NotFoundHandler(), DefaultTimeouts)
	metrics := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "warden_up 1\n") })
	admin := serveHTTP(t, NewAdmin("", metrics, map[string]Probe{
		"database": func(context.Context) error { return probeErr },
	}, zerolog.New(&logs)))
	get := func(base, path string) (int, string) {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, tc := range []struct {
		base, path string
		want       int
	}{
		{public, "/healthz", 200},
		{public, "/webhook", http.StatusMethodNotAllowed},
		{public, "/metrics", 404},
		{public, "/readyz", 404},
		{public, "/debug/pprof/", 404},
		{public, "/debug/pprof/cmdline", 404},
		{admin, "/healthz", 200},
		{admin, "/readyz", 200},
		{admin, "/metrics", 200},
		{admin, "/debug/pprof/", 200},
		{admin, "/debug/pprof/goroutine?debug=1", 200},
		{admin, "/debug/pprof/cmdline", 404}, // flags may hold the webhook secret
		{admin, "/webhook", 404},
	} {
		if code, body := get(tc.base, tc.path); code != tc.want {
			t.Errorf("%s on the %s listener: %d, want %d (%.100s)", tc.path, map[bool]string{true: "public", false: "admin"}[tc.base == public], code, tc.want, body)
		}
	}
	probeErr = dbDown
	code, body := get(admin, "/readyz")
	if code != 503 || !strings.Contains(body, `"database"`) {
		t.Errorf("readyz with the database down: %d %s", code, body)
	}
	for _, leak := range []string{"10.1.2.3", "password", "warden\""} {
		if strings.Contains(body, leak) {
			t.Errorf("readyz answer carries the database error (%q): %s", leak, body)
		}
	}
	if !strings.Contains(logs.String(), "password authentication failed") {
		t.Errorf("the probe's error was not logged: %s", logs.String())
	}
}

type lockedLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
