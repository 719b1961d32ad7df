// Package config reads warden's repository configuration,
// `.github/warden.yml`: typed and strict, so a typo is an error with a line
// number instead of a silently ignored setting.
package config

import (
	"github.com/wardenbot/warden/checks"
)

// Path is where a repository keeps its configuration.
const Path = ".github/warden.yml"

// Config is a repository's effective configuration.
type Config struct {
	// FailOn is the lowest severity of a new finding that fails the review.
	FailOn checks.Severity `yaml:"fail_on"`
	Checks Checks          `yaml:"checks"`
	Paths  Paths           `yaml:"paths"`
	// Comments bounds how much warden writes into a pull request.
	Comments Comments `yaml:"comments"`
	// SecurityTeam is an "org/team-slug" whose members may ignore findings
	// and approve sensitive changes.
	SecurityTeam string     `yaml:"security_team"`
	Approvals    []Approval `yaml:"approvals"`
	// IgnoreBy says who may ignore a finding, by kind of finding.
	IgnoreBy     IgnoreBy `yaml:"ignore_by"`
	Licenses     Licenses `yaml:"licenses"`
	PullRequests PRs      `yaml:"pull_requests"`
	// OnUnscanned is the conclusion of a review that could not check all
	// of the change (a check failed or timed out, a file was over a limit,
	// vulnerability data was unavailable): "failure", the default,
	// "action_required" or "neutral". GitHub counts neutral as passing, so
	// only a repository that chooses it lets such a change through.
	OnUnscanned string `yaml:"on_unscanned"`

	// Locked lists keys (dotted: "fail_on", "checks.secrets") that a
	// repository may not change. Organisation defaults only.
	Locked []string `yaml:"locked"`
	// ConfigApproval is who must approve a change to warden's own
	// configuration (ConfigPaths): "security_team" by default, a team,
	// "write", "admin", or "none". Organisation defaults only.
	ConfigApproval string `yaml:"config_approval"`
}

// IgnoreBy says who may `/warden ignore` a finding: "security_team",
// "write", "admin" or an "org/team-slug" for each kind.
type IgnoreBy struct {
	Secrets  string `yaml:"secrets"`  // every secret, whatever its severity
	Critical string `yaml:"critical"` // other critical findings
	Default  string `yaml:"default"`  // everything else
}

// Conclusions a review that could not check everything may end with.
const (
	UnscannedFailure        = "failure"
	UnscannedActionRequired = "action_required"
	UnscannedNeutral        = "neutral"
)

// AcceptsUnscanned reports whether gaps in coverage let a change pass.
func (c *Config) AcceptsUnscanned() bool { return c.OnUnscanned == UnscannedNeutral }

// Checks switches categories on and off and carries their settings.
type Checks struct {
	Secrets      SecretsCheck   `yaml:"secrets"`
	Dependencies Toggle         `yaml:"dependencies"`
	Code         Toggle         `yaml:"code"`
	Workflows    WorkflowsCheck `yaml:"workflows"`
	IaC          Toggle         `yaml:"iac"`
	Compliance   Toggle         `yaml:"compliance"`
}

// Toggle is a category with nothing to configure but whether it runs.
type Toggle struct {
	Enabled bool `yaml:"enabled"`
}

// SecretsCheck configures secret detection.
type SecretsCheck struct {
	Enabled   bool      `yaml:"enabled"`
	Allowlist Allowlist `yaml:"allowlist"`
}

// Allowlist silences known-safe secret matches.
type Allowlist struct {
	Paths        []string `yaml:"paths"`        // globs
	Regexes      []string `yaml:"regexes"`      // matched against the secret
	Fingerprints []string `yaml:"fingerprints"` // W-ids or full fingerprints
}

// WorkflowsCheck configures the GitHub Actions check.
type WorkflowsCheck struct {
	Enabled bool `yaml:"enabled"`
	// TrustedOwners may be referenced by tag instead of a commit sha.
	TrustedOwners []string `yaml:"trusted_owners"`
}

// Paths selects what is scanned.
type Paths struct {
	Ignore []string `yaml:"ignore"`
}

// Comments bounds inline review comments.
type Comments struct {
	MaxPerScan int `yaml:"max_per_scan"`
}

// Approval requires a sign-off when a change touches Paths.
type Approval struct {
	Paths []string `yaml:"paths"`
	// By is "security_team" or an "org/team-slug".
	By string `yaml:"by"`
	// AllowAuthor lets the pull request's author approve their own change.
	AllowAuthor bool `yaml:"allow_author"`
}

// Licenses is the dependency licence policy (SPDX ids or expressions).
type Licenses struct {
	Deny          []string `yaml:"deny"`
	Allow         []string `yaml:"allow"`
	ReportUnknown bool     `yaml:"report_unknown"`
}

// PRs says which pull requests are reviewed.
type PRs struct {
	ScanDrafts bool `yaml:"scan_drafts"`
}

// Default is the configuration of a repository without a file.
func Default() *Config {
	return &Config{
		FailOn: checks.SeverityHigh,
		Checks: Checks{
			Secrets:      SecretsCheck{Enabled: true},
			Dependencies: Toggle{Enabled: true},
			Code:         Toggle{Enabled: true},
			Workflows:    WorkflowsCheck{Enabled: true, TrustedOwners: []string{"actions", "github"}},
			IaC:          Toggle{Enabled: true},
			Compliance:   Toggle{Enabled: true},
		},
		Comments:       Comments{MaxPerScan: 25},
		IgnoreBy:       IgnoreBy{Secrets: BySecurityTeam, Critical: BySecurityTeam, Default: ByWrite},
		OnUnscanned:    UnscannedFailure,
		ConfigApproval: BySecurityTeam,
	}
}

// Enabled reports whether a category's check runs.
func (c *Config) Enabled(cat checks.Category) bool {
	switch cat {
	case checks.CategorySecrets:
		return c.Checks.Secrets.Enabled
	case checks.CategoryDependencies:
		return c.Checks.Dependencies.Enabled
	case checks.CategoryCode:
		return c.Checks.Code.Enabled
	case checks.CategoryWorkflows:
		return c.Checks.Workflows.Enabled
	case checks.CategoryIaC:
		return c.Checks.IaC.Enabled
	case checks.CategoryCompliance:
		return c.Checks.Compliance.Enabled
	}
	return false
}
