package workflows

import (
	"context"
	"fmt"

	"github.com/wardenbot/warden/checks"
)

// pwnRequest finds workflows that run with the base repository's
// privileges (pull_request_target, workflow_run, issue_comment) yet check
// out the pull request's code and then build or run it: the PR author's
// code runs with write tokens and secrets.
type pwnRequest struct{}

func (pwnRequest) Doc() checks.Rule {
	return checks.Rule{
		ID:       "workflows/pwn-request",
		Title:    "Privileged workflow checks out and runs pull request code",
		Category: checks.CategoryWorkflows,
		Severity: checks.SeverityCritical,
		Description: "Workflows triggered by `pull_request_target`, `workflow_run` or `issue_comment` run in the base repository " +
			"with its secrets and a token that can write, even for pull requests from forks. Checking out the pull request's " +
			"head or merge commit (`ref: ${{ github.event.pull_request.head.sha }}`, `refs/pull/N/merge`, `gh pr checkout`) " +
			"and then running a build, tests, an install script or a local action executes the PR author's code with those " +
			"privileges (a \"pwn request\"). Critical; high when the job needs a deployment environment, which can require approval.",
		Remediation: "Run untrusted code only in `pull_request` workflows, which get a read-only token and no secrets. If privileged " +
			"follow-up work is needed (commenting, labelling), pass results as an artifact to a separate `workflow_run` workflow " +
			"that never executes the PR's code, or gate the job on an environment with required reviewers.",
		HelpURI:    refPwnRequests,
		References: []string{cwe94, refPwnRequests, refHardening},
	}
}

func (pwnRequest) Check(_ context.Context, _ *scan, f *file) []checks.Finding {
	var out []checks.Finding
	trigger := f.firstTrigger(untrustedCodeTriggers)
	for _, site := range untrustedCheckouts(f) {
		if site.Exec == nil {
			continue
		}
		sev := checks.SeverityCritical
		if site.Job.Environment != nil {
			sev = checks.SeverityHigh // an environment can require a reviewer's approval
		}
		execAt := posOf(site.Exec.Pos)
		out = append(out, checks.Finding{
			Severity:  sev,
			StartLine: site.CheckoutAt.Line,
			Message: fmt.Sprintf("Job %q runs on %s, checks out the pull request's code at line %d (%s) and runs it at line %d with %s, giving the PR author the workflow's token and secrets.",
				jobID(site.Job), trigger, site.CheckoutAt.Line, site.CheckoutWhat, execAt.Line, site.ExecWhat),
			Key: jobID(site.Job) + ": " + site.CheckoutWhat + " -> " + stepKey(site.Exec, site.ExecIdx),
		})
	}
	return out
}
