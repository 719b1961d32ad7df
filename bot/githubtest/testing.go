package githubtest

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"
)

// Process-wide memos of immutable downloads: GitHub's OpenAPI description
// and webhook examples are large and never change once parsed, so every
// test server in a process shares them.
var (
	processSpec     SpecCache
	processExamples struct {
		once sync.Once
		data []byte
		err  error
	}
)

// StartTB starts a Server for a test, validating against GitHub's OpenAPI
// description (fetched through npm into CacheDir on first use) and closing
// it at cleanup. Without the description it logs and runs unvalidated,
// except under CI (env CI set) where the test fails.
func StartTB(tb testing.TB, opts Options) *Server {
	tb.Helper()
	if opts.Spec == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		spec, err := processSpec.Get(ctx, CacheDir())
		cancel()
		if err != nil {
			if os.Getenv("CI") != "" {
				tb.Fatalf("githubtest: GitHub's OpenAPI description is required under CI: %v", err)
			}
			tb.Logf("githubtest: running WITHOUT OpenAPI validation: %v", err)
		}
		opts.Spec = spec
	}
	s, err := Start(opts)
	if err != nil {
		tb.Fatalf("githubtest: start: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("githubtest: close: %v", err)
		}
	})
	return s
}

// RequireSpec stops a test whose point is strictness when requests are not
// validated: it fails under CI (env CI set) and skips elsewhere (offline).
func RequireSpec(tb testing.TB, s *Server) {
	tb.Helper()
	if s.SpecLoaded() {
		return
	}
	const msg = "githubtest: GitHub's OpenAPI description is not loaded (npm unavailable?); strictness cannot be checked"
	if os.Getenv("CI") != "" {
		tb.Fatal(msg)
	}
	tb.Skip(msg)
}

// AssertNoViolations fails the test for every request GitHub would have
// rejected.
func AssertNoViolations(tb testing.TB, s *Server) {
	tb.Helper()
	for _, v := range s.Violations() {
		tb.Errorf("githubtest: %s violation: %s %s: %s", v.Kind, v.Method, v.Path, v.Message)
	}
}

// PayloadsTB returns payload builders from GitHub's real example deliveries
// (fetched through npm); without them it falls back to go-github types,
// except under CI where the test fails.
func PayloadsTB(tb testing.TB, s *Server) *Payloads {
	tb.Helper()
	processExamples.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		processExamples.data, processExamples.err = FetchWebhookExamples(ctx, CacheDir())
	})
	if processExamples.err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("githubtest: webhook examples are required under CI: %v", processExamples.err)
		}
		tb.Logf("githubtest: webhook examples unavailable, using the go-github fallback: %v", processExamples.err)
	}
	p, err := s.NewPayloads(processExamples.data)
	if err != nil {
		tb.Fatalf("githubtest: %v", err)
	}
	return p
}

// WorldTB builds a scenario or fails the test.
func WorldTB(tb testing.TB, s *Server, spec WorldSpec) *World {
	tb.Helper()
	w, err := NewWorld(s, spec)
	if err != nil {
		tb.Fatalf("githubtest: world: %v", err)
	}
	return w
}
