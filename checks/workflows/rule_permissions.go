package workflows

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/rhysd/actionlint"
	"github.com/wardenbot/warden/checks"
)

// permissionsRule finds workflows whose GITHUB_TOKEN is broader than it
// needs to be: no permissions: at all (the repository default, read-write
// on older repositories and organisations), write-all, write scopes under
// triggers that outsiders control, and all secrets handed to a third-party
// reusable workflow.
type permissionsRule struct{}

func (permissionsRule) Doc() checks.Rule {
	return checks.Rule{
		ID:       "workflows/permissions",
		Title:    "GITHUB_TOKEN permissions broader than needed",
		Category: checks.CategoryWorkflows,
		Severity: checks.SeverityMedium,
		Description: "Without a `permissions:` block the workflow's GITHUB_TOKEN gets the repository's default permissions, which " +
			"are read-write on repositories created before February 2023 and in many organisations. Any step that is " +
			"compromised (a script injection, a hijacked action) can then push code, cut releases or approve pull requests. " +
			"Flagged: no `permissions:` at workflow level or on some job (medium for workflows triggered by pull_request_target, " +
			"workflow_run, issue_comment, issues or discussion events, low otherwise); `write-all` (high under those triggers, " +
			"medium otherwise); write scopes in workflows triggered by pull_request_target, workflow_run or issue_comment " +
			"(medium); `secrets: inherit` passed to a reusable workflow outside the trusted owners (high).",
		Remediation: "Declare `permissions:` at the top of the workflow with the least that works (usually `contents: read`), " +
			"and grant write scopes only on the jobs that need them. Pass a reusable workflow only the secrets it needs, by name.",
		HelpURI:    refPermissions,
		References: []string{cwe250, refPermissions, refTokenPerms, refReusableSecrets},
	}
}

func (r permissionsRule) Check(_ context.Context, s *scan, f *file) []checks.Finding {
	if f.Kind != kindWorkflow || f.Workflow == nil {
		return nil
	}
	var out []checks.Finding
	out = append(out, r.missing(f)...)
	out = append(out, r.writeAll(f)...)
	out = append(out, r.writeScopes(f)...)
	out = append(out, r.inheritSecrets(s, f)...)
	return out
}

// missing reports reliance on the default token permissions.
func (permissionsRule) missing(f *file) []checks.Finding {
	w := f.Workflow
	if w.Permissions != nil || len(f.Triggers) == 0 || (len(f.Triggers) == 1 && f.Triggers["workflow_call"]) {
		return nil // a called workflow's token is set by its caller
	}
	sev, why := checks.SeverityLow, ""
	if t := f.firstTrigger(privilegedTriggers); t != "" {
		sev, why = checks.SeverityMedium, ", and it runs on "+t+" events that outsiders can trigger"
	}
	jobs := f.sortedJobs()
	var without []*actionlint.Job
	for _, j := range jobs {
		// A job calling a reusable workflow counts too: the called
		// workflow can only lower the token the caller hands it.
		if j.Permissions == nil {
			without = append(without, j)
		}
	}
	if len(without) == 0 {
		return nil
	}
	if len(without) < len(jobs) {
		var out []checks.Finding
		for _, j := range without {
			p := posOf(j.ID.Pos)
			out = append(out, checks.Finding{
				Severity:  sev,
				StartLine: p.Line,
				Message:   fmt.Sprintf("Job %q has no permissions: block and the workflow sets none, so it gets the repository's default token permissions%s.", jobID(j), why),
				Key:       "missing job permissions: " + jobID(j),
			})
		}
		return out
	}
	line := jobsKeyLine(f)
	if line == 0 {
		line = 1
	}
	fd := checks.Finding{
		Severity:  sev,
		StartLine: line,
		Message:   "This workflow sets no permissions:, so every job gets the repository's default token permissions (read-write on many repositories)" + why + ".",
		Key:       "missing workflow permissions",
	}
	if line > 1 && !needsWrite(f) {
		fd.Fix = &checks.Fix{
			StartLine:   line,
			EndLine:     line,
			Replacement: "permissions:\n  contents: read\n\n" + f.line(line),
			Description: "Give the token read-only access to the repository contents",
		}
	}
	return []checks.Finding{fd}
}

var jobsKey = regexp.MustCompile(`^jobs\s*:\s*(#.*)?$`)

// jobsKeyLine finds the top-level "jobs:" line, where permissions can be
// inserted above.
func jobsKeyLine(f *file) int {
	for i, l := range f.Lines {
		if jobsKey.MatchString(strings.TrimRight(l, " \t")) {
			return i + 1
		}
	}
	return 0
}

// writeCommand spots scripts that write to the repository or its issues,
// in which case contents: read would break the workflow.
var writeCommand = regexp.MustCompile(`\bgit\s+push\b|\bgh\s+(release|pr\s+(comment|merge|edit|create|close|review)|issue|label|api|workflow\s+run|run\s+(rerun|cancel))\b|\bcurl\b[^\n]*-X\s*(POST|PATCH|PUT|DELETE)`)

// writingActions need more than contents: read for their usual purpose.
var writingActions = []string{
	"actions/github-script", "actions/create-release", "actions/upload-release-asset", "actions/labeler",
	"actions/stale", "actions/first-interaction", "actions/deploy-pages", "actions/attest-build-provenance",
	"softprops/action-gh-release", "peter-evans/create-pull-request", "peter-evans/create-or-update-comment",
	"stefanzweifel/git-auto-commit-action", "ad-m/github-push-action", "marocchino/sticky-pull-request-comment",
	"thollander/actions-comment-pull-request", "googleapis/release-please-action", "google-github-actions/release-please-action",
	"changesets/action", "ncipollo/release-action", "github/codeql-action", "peaceiris/actions-gh-pages",
	"JamesIves/github-pages-deploy-action", "release-drafter/release-drafter", "dependabot/fetch-metadata",
	"amannn/action-semantic-pull-request", "pascalgn/automerge-action", "aws-actions/configure-aws-credentials",
	"google-github-actions/auth", "azure/login", "sigstore/cosign-installer", "docker/login-action",
}

// needsWrite guesses whether any job writes with the token or needs an
// OIDC id-token, so that the read-only fix is only offered when it will
// not break the workflow.
func needsWrite(f *file) bool {
	for _, j := range f.sortedJobs() {
		if j.WorkflowCall != nil {
			return true
		}
		for _, st := range j.Steps {
			if st == nil {
				continue
			}
			if r, ok := stepRun(st); ok && writeCommand.MatchString(r.Run.Value) {
				return true
			}
			if _, ref, ok := stepAction(st); ok && ref.Kind == usesRepo {
				for _, a := range writingActions {
					if ref.Name() == strings.ToLower(a) {
						return true
					}
				}
			}
		}
	}
	return false
}

func (permissionsRule) writeAll(f *file) []checks.Finding {
	sev, why := checks.SeverityMedium, ""
	if t := f.firstTrigger(privilegedTriggers); t != "" {
		sev, why = checks.SeverityHigh, " in a workflow that runs on "+t
	}
	var out []checks.Finding
	check := func(p *actionlint.Permissions, scope string) {
		if p == nil || p.All == nil || !strings.EqualFold(strings.TrimSpace(p.All.Value), "write-all") {
			return
		}
		pos := posOf(p.All.Pos)
		out = append(out, checks.Finding{
			Severity:    sev,
			StartLine:   pos.Line,
			StartColumn: pos.Col,
			EndColumn:   pos.Col + len(p.All.Value) - 1,
			Message:     fmt.Sprintf("`permissions: write-all` on %s grants the token every write scope%s.", scope, why),
			Key:         "write-all: " + scope,
		})
	}
	check(f.Workflow.Permissions, "the workflow")
	for _, j := range f.sortedJobs() {
		check(j.Permissions, fmt.Sprintf("job %q", jobID(j)))
	}
	return out
}

// writeScopes reports individual write grants under triggers outsiders
// control, where a compromised step's token is a foothold in the repo.
func (permissionsRule) writeScopes(f *file) []checks.Finding {
	trigger := f.firstTrigger([]string{"pull_request_target", "workflow_run", "issue_comment"})
	if trigger == "" {
		return sharedWriteScopes(f)
	}
	var out []checks.Finding
	check := func(p *actionlint.Permissions, scope string) {
		if p == nil || p.Scopes == nil {
			return
		}
		names := make([]string, 0, len(p.Scopes))
		for n := range p.Scopes {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			sc := p.Scopes[n]
			if sc == nil || sc.Value == nil || !strings.EqualFold(strings.TrimSpace(sc.Value.Value), "write") {
				continue
			}
			pos := posOf(sc.Name.Pos)
			out = append(out, checks.Finding{
				StartLine:   pos.Line,
				StartColumn: pos.Col,
				Message:     fmt.Sprintf("`%s: write` on %s is granted in a workflow that runs on %s, which outsiders can trigger; a compromised step could use it.", sc.Name.Value, scope, trigger),
				Remediation: "Keep write scopes out of workflows outsiders can trigger where possible; otherwise grant them only on the job that needs them and make sure that job runs no code or input from the pull request.",
				Key:         "write scope: " + scope + ": " + n,
			})
		}
	}
	check(f.Workflow.Permissions, "the workflow")
	for _, j := range f.sortedJobs() {
		check(j.Permissions, fmt.Sprintf("job %q", jobID(j)))
	}
	return out
}

// sharedWriteScopes reports write scopes granted at the workflow level of
// a workflow with several jobs: every job that sets no permissions of its
// own gets them, though usually only one needs them. Low severity.
func sharedWriteScopes(f *file) []checks.Finding {
	p := f.Workflow.Permissions
	if p == nil || p.Scopes == nil {
		return nil
	}
	jobs := f.sortedJobs()
	inherit := 0
	for _, j := range jobs {
		if j.Permissions == nil {
			inherit++
		}
	}
	if len(jobs) < 2 || inherit == 0 {
		return nil
	}
	names := make([]string, 0, len(p.Scopes))
	for n := range p.Scopes {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []checks.Finding
	for _, n := range names {
		sc := p.Scopes[n]
		if sc == nil || sc.Name == nil || sc.Value == nil || !strings.EqualFold(strings.TrimSpace(sc.Value.Value), "write") {
			continue
		}
		pos := posOf(sc.Name.Pos)
		out = append(out, checks.Finding{
			Severity:    checks.SeverityLow,
			StartLine:   pos.Line,
			StartColumn: pos.Col,
			Message:     fmt.Sprintf("`%s: write` is granted at the workflow level, so %d of its %d jobs get it whether or not they need it.", sc.Name.Value, inherit, len(jobs)),
			Remediation: "Set `permissions:` to read-only (or `{}`) at the workflow level and grant the write scope only on the job that needs it.",
			Key:         "shared write scope: " + n,
		})
	}
	return out
}

var secretsInherit = regexp.MustCompile(`^\s*secrets\s*:\s*inherit\b`)

// inheritSecrets reports `secrets: inherit` into reusable workflows owned
// by someone untrusted.
func (permissionsRule) inheritSecrets(s *scan, f *file) []checks.Finding {
	var out []checks.Finding
	jobs := f.sortedJobs()
	for i, j := range jobs {
		if j.WorkflowCall == nil || !j.WorkflowCall.InheritSecrets || j.WorkflowCall.Uses == nil {
			continue
		}
		ref, ok := parseUses(j.WorkflowCall.Uses.Value)
		if !ok || ref.Kind != usesRepo || s.check.trusted[ref.Owner] {
			continue
		}
		end := len(f.Lines)
		if i+1 < len(jobs) {
			end = posOf(jobs[i+1].Pos).Line - 1
		}
		line := posOf(j.WorkflowCall.Uses.Pos).Line
		for l := posOf(j.Pos).Line; l <= end; l++ {
			if secretsInherit.MatchString(f.line(l)) {
				line = l
				break
			}
		}
		out = append(out, checks.Finding{
			Severity:    checks.SeverityHigh,
			StartLine:   line,
			Message:     fmt.Sprintf("Job %q passes every secret of this repository to the third-party reusable workflow `%s` with `secrets: inherit`.", jobID(j), ref.Raw),
			Remediation: "List only the secrets the called workflow needs under `secrets:`, and pin it by commit sha.",
			Key:         "secrets inherit: " + jobID(j) + ": " + ref.Name(),
		})
	}
	return out
}
