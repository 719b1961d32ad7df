package publish_test

import (
	"fmt"
	"time"

	"github.com/wardenbot/warden/bot/publish"
	"github.com/wardenbot/warden/checks"
)

const (
	baseSHA = "2a362d3c0ffee0000000000000000000000000aa"
	headSHA = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432"
)

func finding(rule string, cat checks.Category, sev checks.Severity, path string, line int, msg string, isNew bool) checks.Finding {
	return checks.Finding{
		RuleID: rule, Category: cat, Severity: sev, Path: path, StartLine: line, EndLine: line,
		Message: msg, Fingerprint: checks.Fingerprint(rule, path, fmt.Sprint(line, msg)), New: isNew,
	}
}

// uxFindings are ux.md's example: 1 critical, 1 high and 2 low new
// findings; 3 high, 5 medium and 12 low already on main; 1 high ignored.
func uxFindings() []checks.Finding {
	aws := finding("secrets/aws-access-key", checks.CategorySecrets, checks.SeverityHigh, "internal/cloud/aws.go", 7,
		"An AWS access key ID (`AKIA…`, 20 chars) and its secret key are committed in `internal/cloud/aws.go` (added in a1b2c3d).\nAnyone with read access to this repository — or its forks and CI logs — can use them.", true)
	aws.Remediation = "revoke the key in AWS IAM now (deleting the line does not un-leak it), then load credentials from the environment or a secret manager."
	aws.Fix = &checks.Fix{StartLine: 7, EndLine: 7, Replacement: "\tawsAccessKeyID     = os.Getenv(\"AWS_ACCESS_KEY_ID\")"}
	osv := finding("dependencies/osv", checks.CategoryDependencies, checks.SeverityCritical, "web/package-lock.json", 12,
		"lodash 4.17.15 → 4.17.21 fixes GHSA-p6mc-m468-83gw, GHSA-35jh-r3h4-6jhm", true)
	osv.Remediation = "upgrade lodash to 4.17.21."
	osv.References = []string{"https://osv.dev/vulnerability/GHSA-p6mc-m468-83gw", "https://osv.dev/vulnerability/GHSA-35jh-r3h4-6jhm"}
	fs := []checks.Finding{aws, osv,
		finding("iac/dockerfile-latest-tag", checks.CategoryIaC, checks.SeverityLow, "Dockerfile", 1, "Base image `node:latest` is not pinned to a version.", true),
		finding("code/weak-hash", checks.CategoryCode, checks.SeverityLow, "internal/auth/token.go", 30, "MD5 used for a cache key.", true),
		finding("code/sql-injection", checks.CategoryCode, checks.SeverityHigh, "internal/db/users.go", 44, "Query text ignored by a person.", true),
	}
	sevs := []checks.Severity{checks.SeverityHigh, checks.SeverityHigh, checks.SeverityHigh}
	for range 5 {
		sevs = append(sevs, checks.SeverityMedium)
	}
	for range 12 {
		sevs = append(sevs, checks.SeverityLow)
	}
	for i, sev := range sevs {
		fs = append(fs, finding("code/old-problem", checks.CategoryCode, sev, "legacy/old.go", 100+i, fmt.Sprintf("old problem %d", i), false))
	}
	return fs
}

func uxDiff() *checks.Diff {
	return checks.NewDiff(baseSHA, headSHA, []checks.FileChange{
		{Path: "internal/cloud/aws.go", Status: checks.StatusModified, Added: checks.Lines{{Start: 7, End: 7}}, Hunks: checks.Lines{{Start: 4, End: 10}}},
		{Path: "web/package-lock.json", Status: checks.StatusModified, Added: checks.Lines{{Start: 12, End: 12}}, Hunks: checks.Lines{{Start: 9, End: 15}}},
		{Path: "Dockerfile", Status: checks.StatusAdded, Added: checks.Lines{{Start: 1, End: 20}}, Hunks: checks.Lines{{Start: 1, End: 20}}},
		{Path: "internal/auth/token.go", Status: checks.StatusModified, Added: checks.Lines{{Start: 30, End: 30}}, Hunks: checks.Lines{{Start: 27, End: 33}}},
		{Path: "internal/db/users.go", Status: checks.StatusModified, Added: checks.Lines{{Start: 44, End: 44}}, Hunks: checks.Lines{{Start: 41, End: 47}}},
	}, nil)
}

func report(fs []checks.Finding) *checks.Report {
	return &checks.Report{
		Findings: fs,
		Rules: map[string]checks.Rule{
			"secrets/aws-access-key": {ID: "secrets/aws-access-key", Title: "AWS access key"},
			"dependencies/osv":       {ID: "dependencies/osv", Title: "Vulnerable dependency"},
		},
		FailOn: checks.SeverityHigh,
		Base:   baseSHA,
		Head:   headSHA,
		Stats:  checks.Stats{Files: 9, AddedLines: 214, Commits: 3, Checks: 5, Duration: 1800 * time.Millisecond},
		Ran:    []string{"secrets", "dependencies", "code", "workflows", "iac"},
	}
}

// uxInput is the blocking scan of ux.md, with one high finding ignored.
func uxInput() publish.Input {
	fs := uxFindings()
	return publish.Input{
		Report:     report(fs),
		Diff:       uxDiff(),
		Ignored:    map[string]publish.Suppression{fs[4].Fingerprint: {Reason: "false-positive: test fixture", By: "alice"}},
		HeadSHA:    headSHA,
		BaseBranch: "main",
		Link:       publish.BlobLinks("https://github.com", "acme", "shop", headSHA),
		Config:     publish.ConfigSource{Path: ".github/warden.yml", SHA: baseSHA},
		Version:    "v0.3.0",
	}
}

func cleanInput() publish.Input {
	in := uxInput()
	in.Report = report(nil)
	in.Ignored = nil
	return in
}
