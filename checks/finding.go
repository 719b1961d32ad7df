// Package checks holds warden's finding model, the runner that executes
// checks against a target, and the diff semantics that decide which findings
// a change introduces. It knows nothing of GitHub.
package checks

import (
	"context"
	"fmt"
	"strings"
)

// Severity orders findings; the zero value is invalid so a forgotten
// severity is caught by Validate rather than silently treated as info.
type Severity int

const (
	SeverityInfo Severity = iota + 1
	SeverityLow
	SeverityMedium
	SeverityHigh
	SeverityCritical
)

var severityNames = map[Severity]string{
	SeverityInfo:     "info",
	SeverityLow:      "low",
	SeverityMedium:   "medium",
	SeverityHigh:     "high",
	SeverityCritical: "critical",
}

// Severities lists every severity from the most to the least severe.
var Severities = []Severity{SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow, SeverityInfo}

func (s Severity) String() string {
	if n, ok := severityNames[s]; ok {
		return n
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity accepts the lower-case names used in config and output.
func ParseSeverity(s string) (Severity, error) {
	for k, v := range severityNames {
		if v == strings.ToLower(strings.TrimSpace(s)) {
			return k, nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want critical, high, medium, low or info)", s)
}

func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Category is one of warden's check families.
type Category string

const (
	CategorySecrets      Category = "secrets"
	CategoryDependencies Category = "dependencies"
	CategoryCode         Category = "code"
	CategoryWorkflows    Category = "workflows"
	CategoryIaC          Category = "iac"
	CategoryCompliance   Category = "compliance"
)

// Categories lists every category in display order.
var Categories = []Category{CategorySecrets, CategoryDependencies, CategoryCode, CategoryWorkflows, CategoryIaC, CategoryCompliance}

// Title is the category's name for people ("Secret", "Dependency").
func (c Category) Title() string {
	switch c {
	case CategorySecrets:
		return "Secret"
	case CategoryDependencies:
		return "Dependency"
	case CategoryCode:
		return "Code"
	case CategoryWorkflows:
		return "Workflow"
	case CategoryIaC:
		return "Infrastructure"
	case CategoryCompliance:
		return "Compliance"
	}
	return string(c)
}

// Fix is a mechanical replacement for lines StartLine..EndLine of the
// finding's file (1-based, inclusive). Replacement holds the new lines
// without a trailing newline; it becomes a ```suggestion block in a review.
type Fix struct {
	StartLine   int    `json:"start_line"`
	EndLine     int    `json:"end_line"`
	Replacement string `json:"replacement"`
	Description string `json:"description,omitempty"`
}

// Finding is one problem at one place. Checks fill the descriptive fields;
// the runner fills Fingerprint, New and Snippet (except for secrets, whose
// check supplies a masked snippet itself).
type Finding struct {
	RuleID      string   `json:"rule_id"`
	Category    Category `json:"category"`
	Severity    Severity `json:"severity"`
	Path        string   `json:"path"` // slash-separated, relative to the repository root
	StartLine   int      `json:"start_line"`
	EndLine     int      `json:"end_line"`
	StartColumn int      `json:"start_column,omitempty"`
	EndColumn   int      `json:"end_column,omitempty"`
	Message     string   `json:"message"`
	Remediation string   `json:"remediation,omitempty"`
	References  []string `json:"references,omitempty"`
	Fix         *Fix     `json:"fix,omitempty"`

	// Key is the normalised matched content that identifies this finding
	// apart from its line number (for secrets: a hash of the secret, never
	// the secret). It feeds the fingerprint and is not shown.
	Key string `json:"-"`

	// Commit is the commit that introduced the finding when the check
	// established it from history (a secret added by a commit of the PR).
	Commit string `json:"commit,omitempty"`

	// Introduced is set by a check that itself established that the change
	// under review introduced this finding (a secret in one of the PR's
	// commits, a package version the PR adds), even when the line is not
	// among the lines the final diff adds.
	Introduced bool `json:"-"`

	// Baseline is set by a check that itself established that the finding
	// predates the change (a package version already in the base), even if
	// its line was touched — a reordered manifest introduces nothing.
	Baseline bool `json:"-"`

	// Snippet is the source line(s) shown under the finding in text output.
	Snippet string `json:"snippet,omitempty"`

	Fingerprint string `json:"fingerprint"`
	// New is true when the change under review introduced the finding (always
	// true in a full-tree scan).
	New bool `json:"new"`
}

// ID is the short identifier shown to people: W- and 8 hex digits.
func (f *Finding) ID() string { return ShortID(f.Fingerprint) }

// ShortID turns a fingerprint into its W-xxxxxxxx display form.
func ShortID(fingerprint string) string {
	if len(fingerprint) < 8 {
		return "W-" + fingerprint
	}
	return "W-" + fingerprint[:8]
}

// Validate reports a finding a check built incorrectly, so a bug in one
// rule surfaces as a check error instead of a malformed comment.
func (f *Finding) Validate() error {
	switch {
	case f.RuleID == "":
		return fmt.Errorf("finding without rule id at %s:%d", f.Path, f.StartLine)
	case f.Path == "":
		return fmt.Errorf("finding %s without path", f.RuleID)
	case f.StartLine < 1:
		return fmt.Errorf("finding %s at %s has start line %d", f.RuleID, f.Path, f.StartLine)
	case f.Severity < SeverityInfo || f.Severity > SeverityCritical:
		return fmt.Errorf("finding %s at %s:%d has no severity", f.RuleID, f.Path, f.StartLine)
	case f.Message == "":
		return fmt.Errorf("finding %s at %s:%d has no message", f.RuleID, f.Path, f.StartLine)
	}
	return nil
}

// Rule documents one rule: what `/warden explain`, SARIF rules[] and the
// generated docs show.
type Rule struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"` // short description, one line
	Category    Category `json:"category"`
	Severity    Severity `json:"severity"` // default severity
	Description string   `json:"description,omitempty"`
	Remediation string   `json:"remediation,omitempty"`
	HelpURI     string   `json:"help_uri,omitempty"`
	References  []string `json:"references,omitempty"`
}

// Check is one family of rules. Run must honour ctx and must not retain t.
type Check interface {
	Name() string
	Category() Category
	Run(ctx context.Context, t *Target) ([]Finding, error)
}

// RuleDocumenter is implemented by checks that can document their rules.
type RuleDocumenter interface {
	Rules() []Rule
}
