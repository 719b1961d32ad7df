package server

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

func serveTest(t *testing.T, webhook http.Handler, probes map[string]Probe, to Timeouts) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := NewHTTPWithTimeouts("", webhook, http.NotFoundHandler(), probes, zerolog.Nop(), to)
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
	base := serveTest(t, hook, nil, Timeouts{ReadHeader: time.Second, Read: 400 * time.Millisecond, Write: time.Second, Idle: time.Second})

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

func TestHealthAndReadiness(t *testing.T) {
	dbDown := errors.New("connection refused")
	var probeErr error
	base := serveTest(t, http.NotFoundHandler(), map[string]Probe{
		"database": func(context.Context) error { return probeErr },
	}, DefaultTimeouts)
	get := func(path string) (int, string) {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("healthz %d", code)
	}
	if code, _ := get("/readyz"); code != 200 {
		t.Errorf("readyz %d", code)
	}
	probeErr = dbDown
	if code, body := get("/readyz"); code != 503 || !strings.Contains(body, "connection refused") {
		t.Errorf("readyz with the database down: %d %s", code, body)
	}
	if code, _ := get("/webhook"); code != http.StatusMethodNotAllowed {
		t.Errorf("GET /webhook: %d", code)
	}
}
