// Package server assembles `warden serve`: the HTTP endpoints (webhook,
// health, metrics) around the queue that does the work.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/rs/zerolog"
)

// Probe reports whether a dependency is usable; nil means ready.
type Probe func(ctx context.Context) error

// HTTP is one of warden's listeners, with timeouts that protect it from
// slow or endless requests.
type HTTP struct {
	srv *http.Server
	log zerolog.Logger
}

// Timeouts bound how long one client may hold a connection.
type Timeouts struct {
	ReadHeader, Read, Write, Idle time.Duration
}

// DefaultTimeouts: a delivery is at most 25 MB, and a client that trickles
// it slower than this is cut off instead of holding a connection.
var DefaultTimeouts = Timeouts{ReadHeader: 5 * time.Second, Read: 30 * time.Second, Write: 30 * time.Second, Idle: 120 * time.Second}

// NewPublic is the listener the internet reaches: POST /webhook for GitHub
// and GET /healthz for a load balancer, nothing else. Metrics, readiness
// and profiles say too much about the service (and its tenants) to be
// public: they are on the admin listener.
func NewPublic(addr string, webhook http.Handler, log zerolog.Logger, to Timeouts) *HTTP {
	mux := http.NewServeMux()
	mux.Handle("POST /webhook", webhook)
	mux.HandleFunc("/webhook", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
	})
	mux.HandleFunc("GET /healthz", health)
	return newHTTP(addr, mux, log, to)
}

func health(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func newHTTP(addr string, h http.Handler, log zerolog.Logger, to Timeouts) *HTTP {
	return &HTTP{log: log, srv: &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: to.ReadHeader,
		ReadTimeout:       to.Read,
		WriteTimeout:      to.Write,
		IdleTimeout:       to.Idle,
		MaxHeaderBytes:    64 << 10,
	}}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// Serve listens until ctx ends, then drains in-flight requests.
func (h *HTTP) Serve(ctx context.Context, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- h.srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := h.srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
