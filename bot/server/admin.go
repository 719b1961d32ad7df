package server

import (
	"context"
	"net/http"
	"net/http/pprof"
	"slices"
	"time"

	"github.com/rs/zerolog"
)

// AdminTimeouts: the admin listener serves scrapes, probes and profiles
// (a CPU profile or trace runs for up to a minute).
var AdminTimeouts = Timeouts{ReadHeader: 5 * time.Second, Read: 10 * time.Second, Write: 90 * time.Second, Idle: 120 * time.Second}

// NewAdmin is the internal listener (WARDEN_ADMIN_LISTEN, loopback by
// default): GET /metrics, GET /readyz and the runtime profiles under
// /debug/pprof/. Its address must not be reachable from the internet.
func NewAdmin(addr string, metrics http.Handler, readiness map[string]Probe, log zerolog.Logger) *HTTP {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", health)
	mux.Handle("GET /readyz", readyz(readiness, log))
	if metrics != nil {
		mux.Handle("GET /metrics", metrics)
	}
	// The profiles only: /debug/pprof/cmdline is left out, since flags may
	// carry the webhook secret or the App's key.
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	return newHTTP(addr, mux, log, AdminTimeouts)
}

// readyz checks every probe under one short deadline. The answer names the
// failing probes only; their errors (a database error can carry a host,
// a user or a path) go to the log.
func readyz(readiness map[string]Probe, log zerolog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		var failing []string
		for name, p := range readiness {
			if err := p(ctx); err != nil {
				failing = append(failing, name)
				log.Warn().Err(err).Str("probe", name).Msg("not ready")
			}
		}
		if len(failing) > 0 {
			slices.Sort(failing)
			writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "not ready", "failing": failing})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
}
