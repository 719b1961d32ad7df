package workflows

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/rhysd/actionlint"
	"github.com/wardenbot/warden/checks"
)

// persistCredentials finds actions/checkout steps that leave the token in
// .git/config (the default) in jobs where that file can leak: the job
// uploads the working tree as an artifact, or runs the pull request's code.
type persistCredentials struct{}

func (persistCredentials) Doc() checks.Rule {
	return checks.Rule{
		ID:       "workflows/persist-credentials",
		Title:    "Checkout keeps the token on disk where it can leak",
		Category: checks.CategoryWorkflows,
		Severity: checks.SeverityMedium,
		Description: "actions/checkout writes the job's GITHUB_TOKEN into `.git/config` unless `persist-credentials: false` is set. " +
			"When the same job uploads the checked-out directory as an artifact, the token ships inside it and anyone who can " +
			"download the artifact (everyone, on a public repository) can use it while the run lasts (\"ArtiPACKED\"); " +
			"when the job runs the pull request's code, that code can read the token from disk. Medium for artifact uploads, " +
			"high when untrusted code runs.",
		Remediation: "Add `persist-credentials: false` under the checkout step's `with:`, and pass a token explicitly to the " +
			"steps that need to push.",
		HelpURI:    refCheckout,
		References: []string{cwe522, refCheckout, "https://unit42.paloaltonetworks.com/github-repo-artifacts-leak-tokens/"},
	}
}

func (r persistCredentials) Check(_ context.Context, _ *scan, f *file) []checks.Finding {
	untrusted := map[*actionlint.Job]pwnSite{}
	for _, site := range untrustedCheckouts(f) {
		untrusted[site.Job] = site
	}
	var out []checks.Finding
	for _, j := range f.sortedJobs() {
		site, runsUntrusted := untrusted[j]
		upload := broadArtifactUpload(j)
		if !runsUntrusted && upload == nil {
			continue
		}
		for i, st := range j.Steps {
			if st == nil {
				continue
			}
			a, ref, ok := stepAction(st)
			if !ok || !ref.isAction("actions/checkout") {
				continue
			}
			in := input(a, "persist-credentials")
			if in != nil && !strings.EqualFold(strings.TrimSpace(in.Value.Value), "true") {
				continue // false, or an expression we cannot judge
			}
			why, sev := "", checks.SeverityMedium
			switch {
			case runsUntrusted && site.Exec != nil:
				why, sev = fmt.Sprintf("the job then runs the pull request's code (%s), which can read it", site.ExecWhat), checks.SeverityHigh
			case runsUntrusted:
				why, sev = "the job checks out the pull request's code next to it", checks.SeverityHigh
			default:
				why = fmt.Sprintf("the job uploads %q as an artifact, which then contains it", upload.Value.Value)
			}
			p := posOf(a.Uses.Pos)
			fd := checks.Finding{
				Severity:  sev,
				StartLine: p.Line,
				Message:   fmt.Sprintf("actions/checkout in job %q keeps the GITHUB_TOKEN in .git/config and %s.", jobID(j), why),
				Key:       jobID(j) + "/" + stepKey(st, i) + ": " + ref.Raw,
				Fix:       persistFix(f, st, a, in),
			}
			if in != nil {
				fd.StartLine = posOf(in.Value.Pos).Line
			}
			out = append(out, fd)
		}
	}
	return out
}

// broadArtifactUpload returns the path: input of an upload-artifact step
// that can include .git (the workspace root or a wildcard), or nil.
func broadArtifactUpload(j *actionlint.Job) *actionlint.Input {
	for _, st := range j.Steps {
		if st == nil {
			continue
		}
		a, ref, ok := stepAction(st)
		if !ok || !ref.isAction("actions/upload-artifact") {
			continue
		}
		in := input(a, "path")
		if in == nil {
			continue
		}
		for _, p := range strings.Split(in.Value.Value, "\n") {
			if coversWorkspaceRoot(strings.TrimSpace(p)) {
				return in
			}
		}
	}
	return nil
}

var workspaceExpr = regexp.MustCompile(`\$\{\{\s*github\.workspace\s*\}\}|\$GITHUB_WORKSPACE|\$\{GITHUB_WORKSPACE\}`)

// coversWorkspaceRoot reports whether an upload path includes the root of
// the workspace, where actions/checkout puts .git by default.
func coversWorkspaceRoot(p string) bool {
	p = workspaceExpr.ReplaceAllString(p, ".")
	p = strings.TrimSuffix(strings.TrimPrefix(p, "./"), "/")
	switch p {
	case "", ".", "*", "**", "**/*", "./*", ".git", ".git/config", "./.git":
		return true
	}
	return strings.HasPrefix(p, ".git/")
}

// persistFix sets persist-credentials: false: flips an explicit true, adds
// the input to a block-style with:, or adds a with: below uses:.
func persistFix(f *file, st *actionlint.Step, a *actionlint.ExecAction, in *actionlint.Input) *checks.Fix {
	ed := newEdits(f)
	if in != nil {
		p := posOf(in.Value.Pos)
		text := f.line(p.Line)
		if p.Col-1+len(in.Value.Value) > len(text) || text[p.Col-1:p.Col-1+len(in.Value.Value)] != in.Value.Value {
			return nil
		}
		ed.replace(p.Line, p.Col, len(in.Value.Value), "false")
		return ed.fix("Do not persist the token in .git/config")
	}
	if a.Inputs != nil {
		if len(a.Inputs) == 0 {
			return nil // an empty with: we would have to replace
		}
		last, col := 0, 0
		for _, i := range a.Inputs {
			if i == nil || i.Name == nil || i.Value == nil || strings.Contains(i.Value.Value, "\n") {
				return nil
			}
			p := posOf(i.Name.Pos)
			if (col != 0 && p.Col != col) || strings.TrimSpace(f.line(p.Line)[:min(p.Col-1, len(f.line(p.Line)))]) != "" {
				return nil
			}
			col = p.Col
			last = max(last, p.Line, posOf(i.Value.Pos).Line)
		}
		ed.insertAfter(last, strings.Repeat(" ", col-1)+"persist-credentials: false")
		return ed.fix("Do not persist the token in .git/config")
	}
	line, col, ok := stepAnchorKey(f, st)
	if !ok {
		return nil
	}
	text := f.line(line)
	if rest := text[col-1:]; strings.Contains(rest, "#") || strings.Contains(rest, "{") {
		return nil
	}
	indent := strings.Repeat(" ", col-1)
	ed.insertAfter(line, indent+"with:\n"+indent+"  persist-credentials: false")
	return ed.fix("Do not persist the token in .git/config")
}
