package checks

import (
	"time"
)

// CheckError is a check that failed, timed out or panicked. The scan goes on
// without it and the report says so.
type CheckError struct {
	Check string `json:"check"`
	Error string `json:"error"`
}

// Stats describes how much was scanned.
type Stats struct {
	Files      int           `json:"files"`
	Bytes      int64         `json:"bytes"`
	AddedLines int           `json:"added_lines,omitempty"`
	Commits    int           `json:"commits,omitempty"`
	Checks     int           `json:"checks"`
	Duration   time.Duration `json:"duration_ns"`
}

// Report is the outcome of one run.
type Report struct {
	Findings []Finding       // new and pre-existing, sorted by path, line, rule
	Errors   []CheckError    // checks that could not finish
	Notes    []Note          // skipped files, limits hit, missing data
	Rules    map[string]Rule // documentation of the rules that fired
	Ran      []string        // the checks that ran, by name, in order
	FailOn   Severity
	// AcceptUnscanned is the policy that a gap in coverage (Unscanned)
	// does not keep the change from passing; off by default.
	AcceptUnscanned bool
	Base            string // merge-base commit in a diff scan
	Head            string // head commit in a diff scan
	Stats           Stats
}

// IsDiff reports whether the report is of a change rather than a tree.
func (r *Report) IsDiff() bool { return r.Base != "" }

// Blocks reports whether a finding at sev fails a review with threshold failOn.
func Blocks(sev, failOn Severity) bool { return sev >= failOn }

// New returns the findings the change introduced (all of them in a tree scan).
func (r *Report) New() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.New {
			out = append(out, f)
		}
	}
	return out
}

// Blocking returns the new findings at or above the fail_on threshold.
func (r *Report) Blocking() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.New && Blocks(f.Severity, r.FailOn) {
			out = append(out, f)
		}
	}
	return out
}

// Unscanned lists what the review could not check: every check that
// failed, timed out or panicked, and every note marked Unscanned.
func (r *Report) Unscanned() []Note {
	var out []Note
	for _, e := range r.Errors {
		out = append(out, Note{Check: e.Check, Message: "check did not finish: " + e.Error, Unscanned: true})
	}
	for _, n := range r.Notes {
		if n.Unscanned {
			out = append(out, n)
		}
	}
	return out
}

// Passes reports whether the change may go through: no blocking finding,
// and nothing left unchecked unless the policy accepts gaps.
func (r *Report) Passes() bool {
	return len(r.Blocking()) == 0 && (r.AcceptUnscanned || len(r.Unscanned()) == 0)
}

// Preexisting counts findings that were already there before the change.
func (r *Report) Preexisting() int {
	n := 0
	for _, f := range r.Findings {
		if !f.New {
			n++
		}
	}
	return n
}

// CountBySeverity counts findings selected by keep, per severity.
func CountBySeverity(fs []Finding, keep func(*Finding) bool) map[Severity]int {
	out := make(map[Severity]int)
	for i := range fs {
		if keep == nil || keep(&fs[i]) {
			out[fs[i].Severity]++
		}
	}
	return out
}
