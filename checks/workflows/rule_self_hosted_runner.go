package workflows

import (
	"context"
	"fmt"
	"strings"

	"github.com/wardenbot/warden/checks"
)

// selfHostedRunner finds jobs on self-hosted runners in workflows that run
// for pull requests. On a public repository anyone can open a pull request,
// and a persistent self-hosted machine keeps whatever their code leaves
// behind.
type selfHostedRunner struct{}

func (selfHostedRunner) Doc() checks.Rule {
	return checks.Rule{
		ID:       "workflows/self-hosted-runner",
		Title:    "Self-hosted runner used for pull requests",
		Category: checks.CategoryWorkflows,
		Severity: checks.SeverityLow,
		Description: "A job triggered by pull request events runs on a `self-hosted` runner. GitHub recommends self-hosted " +
			"runners only for private repositories: a pull request from a fork can run code on the machine, persist on it, " +
			"and reach the network it sits in. Low, because it matters only for public repositories and non-ephemeral runners.",
		Remediation: "Use GitHub-hosted runners for pull request workflows, or ephemeral, isolated self-hosted runners and " +
			"require approval for workflows from outside contributors.",
		HelpURI:    refSelfHosted,
		References: []string{refSelfHosted},
	}
}

func (selfHostedRunner) Check(_ context.Context, _ *scan, f *file) []checks.Finding {
	trigger := f.firstTrigger(pullRequestTriggers)
	if trigger == "" {
		return nil
	}
	var out []checks.Finding
	for _, j := range f.sortedJobs() {
		if j.RunsOn == nil {
			continue
		}
		for _, l := range j.RunsOn.Labels {
			if l == nil || !strings.EqualFold(strings.TrimSpace(l.Value), "self-hosted") {
				continue
			}
			p := posOf(l.Pos)
			out = append(out, checks.Finding{
				StartLine:   p.Line,
				StartColumn: p.Col,
				EndColumn:   p.Col + len(l.Value) - 1,
				Message:     fmt.Sprintf("Job %q runs on a self-hosted runner in a workflow triggered by %s, so a pull request's code can run on that machine.", jobID(j), trigger),
				Key:         "self-hosted: " + jobID(j),
			})
		}
	}
	return out
}
