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

// HTTP serves warden's endpoints with timeouts that protect it from slow or
// endless request bodies.
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

// NewHTTP mounts the handlers. readiness probes are checked by /readyz,
// together with a short deadline.
func NewHTTP(addr string, webhook, metrics http.Handler, readiness map[string]Probe, log zerolog.Logger) *HTTP {
	return NewHTTPWithTimeouts(addr, webhook, metrics, readiness, log, DefaultTimeouts)
}

// NewHTTPWithTimeouts is NewHTTP with explicit timeouts.
func NewHTTPWithTimeouts(addr string, webhook, metrics http.Handler, readiness map[string]Probe, log zerolog.Logger, to Timeouts) *HTTP {
	mux := http.NewServeMux()
	mux.Handle("POST /webhook", webhook)
	mux.HandleFunc("/webhook", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		failures := map[string]string{}
		for name, p := range readiness {
			if err := p(ctx); err != nil {
				failures[name] = err.Error()
			}
		}
		if len(failures) > 0 {
			writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "not ready", "failures": failures})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
	if metrics != nil {
		mux.Handle("GET /metrics", metrics)
	}
	return &HTTP{log: log, srv: &http.Server{
		Addr:              addr,
		Handler:           mux,
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
