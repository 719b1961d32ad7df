package publish

import (
	"github.com/wardenbot/warden/checks"
)

// Input is everything the plans are built from. Report is required unless
// the scan was superseded or the configuration was unusable; the zero value
// of every other field means "not known" and renders as such.
type Input struct {
	Report *checks.Report
	// Diff is the pull request's diff; its hunks decide where a review
	// comment can anchor. With no diff every finding goes to the review body.
	Diff *checks.Diff
	// FailOn is the lowest blocking severity; 0 means Report.FailOn, then high.
	FailOn checks.Severity
	// Ignored are the findings people ignored on this pull request, by full
	// fingerprint. Ignored findings never block and are never commented on.
	Ignored map[string]Suppression
	// Approval is the sign-off a change to sensitive paths needs.
	Approval Approval

	HeadSHA    string // the scanned commit; Report.Head when empty
	BaseBranch string // "main": names the "Already on main" row
	// Link builds links to lines at HeadSHA (see BlobLinks); nil: no links.
	Link    LinkFunc
	Config  ConfigSource
	Version string // warden's version, "v0.3.0"

	// ConfigError is why the repository's configuration could not be used;
	// the check run fails and says so.
	ConfigError string
	// SupersededBy is a newer head commit: this scan's results are void and
	// the check run is cancelled.
	SupersededBy string
	// NotReviewed says why nothing of the head was reviewed (a draft, a
	// limit, a crashed scan); Report is then nil.
	NotReviewed *NotReviewed
	// OnUnscanned is the conclusion when part of the change could not be
	// checked (the repository's on_unscanned); "" means failure.
	OnUnscanned string

	// MaxAnnotations caps annotations per run; 0 means DefaultMaxAnnotations.
	MaxAnnotations int
}

// Suppression is why and by whom a finding was ignored.
type Suppression struct {
	Reason string
	By     string // GitHub login, without "@"
}

// Approval is the state of the sign-off required when a change touches
// paths the configuration lists under `approvals`.
type Approval struct {
	Required   bool     // the change touches such paths
	Paths      []string // the touched paths that need it
	By         string   // who may approve: "org/team" slug
	ApprovedBy string   // login of the approver; "" while missing
	// Rules is the state of each rule the change falls under, when the
	// reviewer knows them; each rule has its own approver.
	Rules []RuleApproval
}

// RuleApproval is one approval rule a change falls under.
type RuleApproval struct {
	Name       string   // "approvals: auth/**", "warden configuration"
	Paths      []string // the touched paths under the rule
	By         string   // who approves: "org/team", "write" or "admin"
	ApprovedBy string   // login of the approver; "" while missing
}

// Missing reports whether an approval is required and not given.
func (a Approval) Missing() bool { return a.Required && a.ApprovedBy == "" }

// ConfigSource says where the configuration came from.
type ConfigSource struct {
	Path string // ".github/warden.yml"; "" means built-in defaults
	SHA  string // the base commit it was read at
}

func (in *Input) failOn() checks.Severity {
	switch {
	case in.FailOn != 0:
		return in.FailOn
	case in.Report != nil && in.Report.FailOn != 0:
		return in.Report.FailOn
	}
	return checks.SeverityHigh
}

func (in *Input) headSHA() string {
	if in.HeadSHA == "" && in.Report != nil {
		return in.Report.Head
	}
	return in.HeadSHA
}

func (in *Input) maxAnnotations() int {
	if in.MaxAnnotations > 0 {
		return in.MaxAnnotations
	}
	return DefaultMaxAnnotations
}

// link is the address of f's lines at the head, or "" when there is none:
// no link builder, or a file the change deleted.
func (in *Input) link(f *checks.Finding) string {
	if in.Link == nil {
		return ""
	}
	if fc := in.Diff.File(f.Path); fc != nil && fc.Status == checks.StatusDeleted {
		return ""
	}
	return in.Link(f.Path, f.StartLine, endLine(f))
}

func (in *Input) ruleTitle(id string) string {
	if in.Report == nil {
		return ""
	}
	return in.Report.Rules[id].Title
}

func endLine(f *checks.Finding) int {
	if f.EndLine < f.StartLine {
		return f.StartLine
	}
	return f.EndLine
}
