// Package rule holds the documentation of warden's IaC rules and builds
// findings from it, so every finding of a rule carries the same severity,
// remediation and references as its documentation.
package rule

import (
	"fmt"
	"sort"

	"github.com/wardenbot/warden/checks"
)

// HelpBase is where the rule documentation is published; a rule's HelpURI is
// HelpBase + its ID.
const HelpBase = "https://github.com/wardenbot/warden/blob/main/docs/rules/"

// Set is a family of rules indexed by ID.
type Set struct {
	byID map[string]checks.Rule
}

// NewSet indexes rules and fills their Category and HelpURI. It panics on a
// duplicate or incomplete rule: rule tables are compiled-in constants, so
// this is a programming error caught by the package's tests.
func NewSet(rules ...checks.Rule) *Set {
	s := &Set{byID: make(map[string]checks.Rule, len(rules))}
	for _, r := range rules {
		if _, dup := s.byID[r.ID]; dup {
			panic("duplicate rule " + r.ID)
		}
		if r.Title == "" || r.Description == "" || r.Remediation == "" || r.Severity == 0 {
			panic("incomplete rule " + r.ID)
		}
		r.Category = checks.CategoryIaC
		if r.HelpURI == "" {
			r.HelpURI = HelpBase + r.ID + ".md"
		}
		s.byID[r.ID] = r
	}
	return s
}

// Rules lists the set sorted by ID.
func (s *Set) Rules() []checks.Rule {
	out := make([]checks.Rule, 0, len(s.byID))
	for _, r := range s.byID {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Get returns the rule with id.
func (s *Set) Get(id string) (checks.Rule, bool) {
	r, ok := s.byID[id]
	return r, ok
}

// At is where a finding sits and what identifies it apart from its line.
type At struct {
	Path     string
	Line     int
	EndLine  int    // defaults to Line
	Key      string // normalised matched content for the fingerprint
	Severity checks.Severity
	Fix      *checks.Fix
}

// Finding builds a finding of rule id at a place with a message specific to
// this occurrence. An unknown id panics for the same reason as NewSet.
func (s *Set) Finding(id string, at At, format string, args ...any) checks.Finding {
	r, ok := s.byID[id]
	if !ok {
		panic("unknown rule " + id)
	}
	sev := r.Severity
	if at.Severity != 0 {
		sev = at.Severity
	}
	end := at.EndLine
	if end < at.Line {
		end = at.Line
	}
	return checks.Finding{
		RuleID:      r.ID,
		Category:    checks.CategoryIaC,
		Severity:    sev,
		Path:        at.Path,
		StartLine:   at.Line,
		EndLine:     end,
		Message:     fmt.Sprintf(format, args...),
		Remediation: r.Remediation,
		References:  r.References,
		Fix:         at.Fix,
		Key:         at.Key,
	}
}
