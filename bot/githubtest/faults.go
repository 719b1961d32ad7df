package githubtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// FaultAction is what a fault does to the connection.
type FaultAction int

const (
	// Respond answers with Status/Headers/Body (after Delay). With Status 0
	// the request is only delayed and then served normally.
	Respond FaultAction = iota
	// Hang never answers: the request blocks until the client gives up (or
	// Delay passes, if set), then the connection is closed.
	Hang
	// CloseConnection drops the TCP connection without a response.
	CloseConnection
)

// Fault scripts a failure on matching REST requests.
type Fault struct {
	// Method matches the HTTP method; empty matches any.
	Method string
	// Path matches the path below the API base path: either a route
	// template ("/repos/{owner}/{repo}/check-runs") or a concrete path, in
	// which "*" matches one segment and a trailing "**" the rest.
	Path string
	// Times is how many matching requests the fault applies to; 0 means
	// every one until ClearFaults.
	Times   int
	Status  int
	Headers map[string]string
	// Body is sent as is when []byte or string, else marshalled to JSON;
	// nil means a GitHub error body with the status text.
	Body  any
	Delay time.Duration
	// AfterCommit runs the real request first (its effects stay), then
	// applies the fault instead of the real answer: a write that succeeded
	// but whose response the client never saw.
	AfterCommit bool
	Action      FaultAction
}

type faultEntry struct {
	Fault
	remaining int // -1: unlimited
}

// Inject adds a fault; faults are tried in the order they were added.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	remaining := f.Times
	if remaining == 0 {
		remaining = -1
	}
	s.faults = append(s.faults, &faultEntry{Fault: f, remaining: remaining})
}

// ClearFaults removes every scripted fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// takeFault returns the first fault matching the request and uses one of
// its applications.
func (s *Server) takeFault(method, path, template string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.faults {
		if f.remaining == 0 {
			continue
		}
		if f.Method != "" && !strings.EqualFold(f.Method, method) {
			continue
		}
		if f.Path != template && !pathPatternMatch(f.Path, path) {
			continue
		}
		if f.remaining > 0 {
			f.remaining--
		}
		fault := f.Fault
		return &fault
	}
	return nil
}

func pathPatternMatch(pattern, path string) bool {
	if pattern == "" || pattern == "**" || pattern == "/**" {
		return true
	}
	ps, xs := splitPath(pattern), splitPath(path)
	for i, p := range ps {
		if p == "**" {
			return true
		}
		if i >= len(xs) {
			return false
		}
		if p != "*" && p != xs[i] {
			return false
		}
	}
	return len(ps) == len(xs)
}

// applyFault carries out a fault. It reports the status logged and whether
// the response is finished; a delay-only fault (Status 0, Respond) is not.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, f *Fault) (int, bool) {
	if f.Delay > 0 && f.Action != Hang {
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
			return 0, true
		case <-s.closing:
			return 0, true
		}
	}
	switch f.Action {
	case Hang:
		var timeout <-chan time.Time
		if f.Delay > 0 {
			timeout = time.After(f.Delay)
		}
		select {
		case <-r.Context().Done():
		case <-s.closing:
		case <-timeout:
		}
		closeConnection(w)
		return 0, true
	case CloseConnection:
		closeConnection(w)
		return 0, true
	}
	if f.Status == 0 {
		return 0, false
	}
	for k, v := range f.Headers {
		w.Header().Set(k, v)
	}
	switch body := f.Body.(type) {
	case nil:
		writeJSON(w, f.Status, &apiError{Message: http.StatusText(f.Status), DocumentationURL: docsREST})
	case []byte:
		w.WriteHeader(f.Status)
		_, _ = w.Write(body)
	case string:
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte(body))
	default:
		data, err := json.Marshal(body)
		if err != nil {
			data = []byte(fmt.Sprintf(`{"message":%q}`, err.Error()))
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(f.Status)
		_, _ = w.Write(data)
	}
	return f.Status, true
}

func closeConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	// Without hijacking (HTTP/2, recorders) abort the handler; net/http
	// then resets the stream.
	panic(http.ErrAbortHandler)
}

// SecondaryRateLimit is GitHub's secondary-limit 403 with Retry-After.
func SecondaryRateLimit(method, path string, retryAfter time.Duration, times int) Fault {
	e := secondaryLimitError(retryAfter)
	headers := map[string]string{"X-RateLimit-Remaining": "4771"}
	if retryAfter > 0 {
		headers["Retry-After"] = strconv.Itoa(int(retryAfter / time.Second))
	}
	return Fault{Method: method, Path: path, Times: times, Status: e.Status, Headers: headers, Body: e}
}

// PrimaryRateLimit is an exhausted primary limit answered with status (403
// or 429), remaining 0 and the given reset.
func PrimaryRateLimit(method, path string, status int, reset time.Time, times int) Fault {
	return Fault{Method: method, Path: path, Times: times, Status: status,
		Headers: map[string]string{
			"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "0", "X-RateLimit-Used": "5000",
			"X-RateLimit-Reset": strconv.FormatInt(reset.Unix(), 10), "X-RateLimit-Resource": "core",
		},
		Body: &apiError{Message: "API rate limit exceeded for installation.", DocumentationURL: docsPrimaryRateLimit},
	}
}

// ServerError answers status (500, 502, 503...) the next times requests.
func ServerError(method, path string, status, times int) Fault {
	return Fault{Method: method, Path: path, Times: times, Status: status}
}

// TimeoutAfterCommit applies the write, then never answers (until the
// client's deadline), so the client cannot know it succeeded.
func TimeoutAfterCommit(method, path string, times int) Fault {
	return Fault{Method: method, Path: path, Times: times, AfterCommit: true, Action: Hang}
}

// NoCommitFound is the 422 GitHub answers for a head_sha it cannot see yet.
// HideCommit does the same keyed on the sha.
func NoCommitFound(times int) Fault {
	return Fault{Method: "POST", Path: "/repos/{owner}/{repo}/check-runs", Times: times, Status: http.StatusUnprocessableEntity,
		Body: &apiError{Message: "No commit found for SHA: unknown", DocumentationURL: "https://docs.github.com/rest/checks/runs#create-a-check-run"}}
}
