package config

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"

	"github.com/wardenbot/warden/checks"
)

// Who may act, as written in the configuration (`approvals[].by`,
// `ignore_by`, `config_approval`).
const (
	// BySecurityTeam is the configured security_team; a repository
	// without one falls back to its admins, never to everyone.
	BySecurityTeam = "security_team"
	// ByWrite is write access to the repository (admin, maintain, write),
	// or membership of the security team.
	ByWrite = "write"
	// ByAdmin is admin access to the repository, or membership of the
	// security team.
	ByAdmin = "admin"
	// ByNobody turns the approval of configuration changes off
	// (`config_approval: none`, organisation defaults only).
	ByNobody = "none"
)

// Who is a resolved approver: the members of a team, or the people with
// at least a permission level on the repository (and the security team).
type Who struct {
	Team  string // "org/team-slug"; empty when Level decides
	Level string // ByWrite or ByAdmin when Team is empty
}

// String names the approver for people and for stored approvals: the team
// ("acme/security") or the level ("write", "admin").
func (w Who) String() string {
	if w.Team != "" {
		return w.Team
	}
	return w.Level
}

// Resolve turns a configured approver into Who. An empty value means write
// access, as does anything unknown that validation would have refused.
func (c *Config) Resolve(by string) Who {
	switch by {
	case BySecurityTeam:
		if c.SecurityTeam != "" {
			return Who{Team: c.SecurityTeam}
		}
		return Who{Level: ByAdmin}
	case ByAdmin:
		return Who{Level: ByAdmin}
	case "", ByWrite:
		return Who{Level: ByWrite}
	}
	return Who{Team: by}
}

// IgnoreWho is who may ignore a finding of a rule and severity: every
// secret follows ignore_by.secrets, other critical findings
// ignore_by.critical, the rest ignore_by.default. key names the setting
// that decided ("ignore_by.secrets"), for replies.
func (c *Config) IgnoreWho(ruleID, severity string) (who Who, key string) {
	category, _, _ := strings.Cut(ruleID, "/")
	switch {
	case checks.Category(category) == checks.CategorySecrets:
		return c.Resolve(c.IgnoreBy.Secrets), "ignore_by.secrets"
	case strings.EqualFold(severity, checks.SeverityCritical.String()):
		return c.Resolve(c.IgnoreBy.Critical), "ignore_by.critical"
	}
	return c.Resolve(c.IgnoreBy.Default), "ignore_by.default"
}

// ConfigPaths are warden's own configuration in a repository: changing
// them changes what warden checks from the next base on, so by default
// such a change needs the security team's approval (config_approval).
var ConfigPaths = []string{Path, ".github/warden/**"}

// ApprovalRule is one rule a change may need a sign-off under: an entry of
// `approvals`, or the implicit rule over ConfigPaths.
type ApprovalRule struct {
	Paths       []string
	By          string // as configured: "security_team", "org/team"; "" = write access
	Who         Who
	AllowAuthor bool
	// Implicit marks the rule warden adds for its own configuration.
	Implicit bool
}

// Name describes the rule in replies and the check run.
func (r ApprovalRule) Name() string {
	if r.Implicit {
		return "warden configuration"
	}
	return "approvals: " + strings.Join(r.Paths, ", ")
}

// ApprovalRules are the configured rules, then the implicit one for
// warden's configuration unless config_approval is "none".
func (c *Config) ApprovalRules() []ApprovalRule {
	var out []ApprovalRule
	for _, a := range c.Approvals {
		out = append(out, ApprovalRule{Paths: a.Paths, By: a.By, Who: c.Resolve(a.By), AllowAuthor: a.AllowAuthor})
	}
	if by := c.ConfigApproval; by != ByNobody {
		if by == "" {
			by = BySecurityTeam
		}
		out = append(out, ApprovalRule{Paths: ConfigPaths, By: by, Who: c.Resolve(by), Implicit: true})
	}
	return out
}

// TouchedRule is a rule a change falls under, with the changed files it
// covers.
type TouchedRule struct {
	ApprovalRule
	Touched []string // changed paths under the rule (new path), sorted
	// Digest identifies the rule and the files it covers: an approval is
	// given for exactly this, so a change of the rule (its paths, its
	// approver, allow_author) or of the files under it needs a new one.
	Digest string
}

// TouchedRules lists the rules whose paths the change touches, by new or
// old path (a rename out of a protected directory still needs sign-off).
func TouchedRules(c *Config, files []checks.FileChange) []TouchedRule {
	var out []TouchedRule
	for _, rule := range c.ApprovalRules() {
		m, err := checks.NewPathMatcher(rule.Paths)
		seen := map[string]bool{}
		var touched []string
		for _, f := range files {
			// A pattern that does not compile (validation refuses them)
			// covers every file: a broken rule must not waive sign-off.
			if err != nil || m.Match(f.Path) || (f.OldPath != "" && m.Match(f.OldPath)) {
				if !seen[f.Path] {
					seen[f.Path] = true
					touched = append(touched, f.Path)
				}
			}
		}
		if len(touched) == 0 {
			continue
		}
		slices.Sort(touched)
		out = append(out, TouchedRule{ApprovalRule: rule, Touched: touched, Digest: ruleDigest(rule, touched)})
	}
	return out
}

// TouchedPaths is every path under some touched rule, sorted.
func TouchedPaths(rules []TouchedRule) []string {
	var out []string
	for _, r := range rules {
		out = append(out, r.Touched...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func ruleDigest(r ApprovalRule, touched []string) string {
	h := sha256.New()
	for _, part := range []string{"warden-approval-v2", strings.Join(r.Paths, "\x1f"), r.Who.String(),
		strconv.FormatBool(r.AllowAuthor), strconv.FormatBool(r.Implicit), strings.Join(touched, "\n")} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
