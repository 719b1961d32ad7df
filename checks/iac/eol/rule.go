package eol

import (
	"time"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/iac/internal/rule"
)

// RuleID is the rule every end-of-life finding uses, whatever file it is in.
const RuleID = "iac/eol-runtime"

var rules = rule.NewSet(checks.Rule{
	ID: RuleID, Title: "End-of-life runtime or base image", Severity: checks.SeverityMedium,
	Description: "A base image, runtime version or toolchain is past its end of life: its maintainers no longer publish security fixes, so every vulnerability found from now on stays open. " +
		"Covers Dockerfile FROM lines, Kubernetes container images, AWS Lambda runtimes in Terraform, the go/toolchain lines of go.mod and the *-version inputs of actions/setup-* steps. " +
		"Medium (low for a go.mod `go` line, which states the minimum language version rather than the toolchain that builds). Dates come from the table shipped with warden (checks/iac/eol/eol.json).",
	Remediation: "Move to a supported release of the same product (the message names the date support ended) and rebuild.",
	References:  []string{"https://cwe.mitre.org/data/definitions/1104.html", "https://endoflife.date"},
})

// Rules documents the end-of-life rule.
func Rules() []checks.Rule { return rules.Rules() }

// Finding reports that what is at path:line ("base image python:2.7") uses
// an end-of-life release.
func Finding(path string, line int, what string, r Release, sev checks.Severity) checks.Finding {
	return rules.Finding(RuleID, rule.At{Path: path, Line: line, Key: what + "|" + r.Product + "|" + r.Cycle, Severity: sev},
		"%s uses %s, which reached end of life on %s and no longer receives security fixes.", what, r, r.EOL.Format("2006-01-02"))
}

// FirstEOL returns the first of rels that is past its end of life at now.
func FirstEOL(rels []Release, now time.Time) (Release, bool) {
	for _, r := range rels {
		if r.IsEOL(now) {
			return r, true
		}
	}
	return Release{}, false
}
