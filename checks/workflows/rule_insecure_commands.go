package workflows

import (
	"context"
	"fmt"
	"strings"

	"github.com/rhysd/actionlint"
	"github.com/wardenbot/warden/checks"
)

// insecureCommands finds ACTIONS_ALLOW_UNSECURE_COMMANDS, which re-enables
// the set-env and add-path workflow commands that GitHub disabled because
// any text printed to the log (a PR title, a file) could set environment
// variables such as LD_PRELOAD or NODE_OPTIONS for later steps.
type insecureCommands struct{}

func (insecureCommands) Doc() checks.Rule {
	return checks.Rule{
		ID:       "workflows/insecure-commands",
		Title:    "Deprecated set-env/add-path commands re-enabled",
		Category: checks.CategoryWorkflows,
		Severity: checks.SeverityHigh,
		Description: "`ACTIONS_ALLOW_UNSECURE_COMMANDS: true` turns the `::set-env` and `::add-path` log commands back on. They were " +
			"disabled in 2020 (CVE-2020-15228) because any untrusted text that reaches the log, such as an issue title or " +
			"the output of a test, can then set variables like NODE_OPTIONS or PATH for the following steps and run code.",
		Remediation: "Remove the variable and write to the `$GITHUB_ENV` and `$GITHUB_PATH` files instead.",
		HelpURI:     refUnsecureCmds,
		References:  []string{"https://github.com/advisories/GHSA-mfwh-5m23-j46w", refUnsecureCmds, cwe94},
	}
}

func (insecureCommands) Check(_ context.Context, _ *scan, f *file) []checks.Finding {
	if f.Workflow == nil {
		return nil
	}
	var out []checks.Finding
	check := func(env *actionlint.Env, scope string) {
		if env == nil {
			return
		}
		for _, v := range env.Vars {
			if v == nil || v.Name == nil || v.Value == nil || !strings.EqualFold(v.Name.Value, "ACTIONS_ALLOW_UNSECURE_COMMANDS") {
				continue
			}
			// The runner parses the value with .NET's bool.TryParse: only
			// "true" (any case) enables the commands; "1" or "yes" do not.
			// An expression may evaluate to "true", so it is reported too.
			if val := strings.ToLower(strings.TrimSpace(v.Value.Value)); val != "true" && !strings.Contains(val, "${{") {
				continue
			}
			p := posOf(v.Name.Pos)
			out = append(out, checks.Finding{
				StartLine:   p.Line,
				StartColumn: p.Col,
				EndColumn:   p.Col + len(v.Name.Value) - 1,
				Message:     fmt.Sprintf("ACTIONS_ALLOW_UNSECURE_COMMANDS re-enables the set-env and add-path log commands for %s, letting any text printed to the log set variables such as NODE_OPTIONS.", scope),
				Key:         "unsecure commands: " + scope,
			})
		}
	}
	check(f.Workflow.Env, "the whole workflow")
	for _, j := range f.sortedJobs() {
		check(j.Env, fmt.Sprintf("job %q", jobID(j)))
		for i, st := range j.Steps {
			if st != nil {
				check(st.Env, fmt.Sprintf("%s of job %q", stepLabel(st, i), jobID(j)))
			}
		}
	}
	return out
}
