package githubtest

import (
	"strings"
	"time"
)

// RequestRecord is one logged REST request (git and GraphQL are logged too,
// with Route "git" or "graphql").
type RequestRecord struct {
	Method         string
	Path           string // relative to the API base path, e.g. /repos/o/r/check-runs
	Route          string // matched template, e.g. /repos/{owner}/{repo}/check-runs
	Query          string
	Body           []byte
	Status         int
	InstallationID int64
	Fault          bool // a scripted fault applied to this request
	Time           time.Time
	Duration       time.Duration
}

// Violation kinds.
const (
	ViolationRoute  = "route"  // a path GitHub does not have (or outside the base path)
	ViolationSchema = "schema" // parameters or body outside GitHub's OpenAPI description
	ViolationRule   = "rule"   // a 422 from one of GitHub's rules (limits, diff anchors...)
)

// Violation is something GitHub would have rejected.
type Violation struct {
	Kind    string
	Method  string
	Path    string
	Message string
}

func (s *Server) record(r RequestRecord) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, r)
}

func (s *Server) recordViolation(v Violation) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.violations = append(s.violations, v)
}

// Requests returns a copy of the request log, in completion order.
func (s *Server) Requests() []RequestRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]RequestRecord(nil), s.log...)
}

// RequestsTo returns logged requests with method (empty: any) whose route
// template or concrete path equals target, e.g.
// RequestsTo("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews").
func (s *Server) RequestsTo(method, target string) []RequestRecord {
	var out []RequestRecord
	for _, r := range s.Requests() {
		if method != "" && !strings.EqualFold(method, r.Method) {
			continue
		}
		if r.Route == target || r.Path == target {
			out = append(out, r)
		}
	}
	return out
}

// Violations returns everything GitHub would have rejected so far; an
// end-to-end test should fail when it is not empty.
func (s *Server) Violations() []Violation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Violation(nil), s.violations...)
}

// ResetLog clears the request log and the violations.
func (s *Server) ResetLog() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log, s.violations = nil, nil
}
