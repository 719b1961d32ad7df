package workflows

import (
	"regexp"
	"strings"

	"github.com/rhysd/actionlint"
)

// untrustedRefExpr matches expressions that name the pull request's own
// code (its head, its merge ref, the workflow_run's head) rather than the
// base branch that pull_request_target and workflow_run check out by
// default.
var untrustedRefExpr = regexp.MustCompile(`(?i)` + untrustedRefPattern)

const untrustedRefPattern = `github\.event\.pull_request\.(head\.(sha|ref)|merge_commit_sha|number|head\.repo\.full_name)|github\.head_ref|github\.event\.number|github\.event\.issue\.number|github\.event\.workflow_run\.(head_sha|head_branch|head_commit\.id|pull_requests|head_repository\.full_name)|refs/pull/`

// untrustedFetchCmd matches shell commands that fetch or check out a pull
// request's code.
var untrustedFetchCmd = regexp.MustCompile(`\bgh\s+pr\s+checkout\b|\bhub\s+pr\s+checkout\b|\bgit\s+(fetch|pull)\b[^\n]*\bpull/|\bgit\s+(checkout|switch|fetch|pull|reset)\b[^\n]*\$\{\{[^}]*(` + untrustedRefPattern + `)`)

// checkoutOfUntrustedCode reports whether a step checks out or fetches the
// pull request's code, and where (the ref: input or the run line).
func checkoutOfUntrustedCode(f *file, st *actionlint.Step) (position, string, bool) {
	if a, ref, ok := stepAction(st); ok && ref.isAction("actions/checkout") {
		for _, name := range []string{"ref", "repository"} {
			if in := input(a, name); in != nil && untrustedRefExpr.MatchString(in.Value.Value) {
				return posOf(in.Value.Pos), name + ": " + in.Value.Value, true
			}
		}
		return position{}, "", false
	}
	if r, ok := stepRun(st); ok {
		if loc := untrustedFetchCmd.FindStringIndex(r.Run.Value); loc != nil {
			cmd := firstLine(r.Run.Value[loc[0]:])
			sc := f.scan(r.Run)
			p, _ := sc.find(strings.TrimSpace(cmd), posOf(r.Run.Pos))
			return p, cmd, true
		}
	}
	return position{}, "", false
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// buildCommand matches commands that execute code from the working tree:
// package-manager installs and scripts, build tools, test runners, and
// scripts invoked by path.
var buildCommand = regexp.MustCompile(`(?m)\b(npm|pnpm|yarn|bun)\s+(install|ci|i|run|run-script|test|build|exec|start|pack|publish)\b|\b(npm|yarn|pnpm)\s*$|\bnpx\s|\bmake\b|\bpip[0-9.]*\s+install\b|\bpython[0-9.]*\s+(-m\s+\S+|\S+\.py)|\bpytest\b|\btox\b|\bnox\b|\bpoetry\s+(install|run|build)|\buv\s+(run|sync|pip\s+install)|\bnode\s+\S|\bgo\s+(build|test|run|generate|install|vet)\b|\bcargo\s+(build|test|run|install|check|clippy)|\bmvn\b|\bmvnw\b|\bgradle\b|\bgradlew\b|\bbundle\s+(install|exec)|\brake\b|\bcomposer\s+(install|update|run)|\bdocker\s+(build|compose|buildx)|\bdocker-compose\b|\bdotnet\s+(build|test|run|restore|pack|publish)|\bcmake\b|\bbazel\b|\bpre-commit\b|\b(ba)?sh\s+\S+\.sh\b|(^|[\s;&|(])\./[\w./-]+|\bsource\s+\S+\.sh|\bscripts?/[\w./-]+\.(sh|py|js|ts|rb|pl)\b|\bswift\s+(build|test)|\bmix\s+(test|compile|deps)|\bant\b|\bsbt\b|\bcabal\b|\bstack\s+(build|test)|\bflutter\s+(test|build|pub)|\bdeno\s+(run|task|test)`)

// codeRunningActions are actions that build or execute the checked-out
// tree.
var codeRunningActions = []string{
	"docker/build-push-action",
	"docker/bake-action",
	"github/codeql-action",
	"gradle/gradle-build-action",
	"gradle/actions",
	"goreleaser/goreleaser-action",
	"pre-commit/action",
	"cypress-io/github-action",
	"borales/actions-yarn",
	"bahmutov/npm-install",
	"coverallsapp/github-action",
	"golangci/golangci-lint-action",
	"py-actions/py-dependency-install",
	"ruby/setup-ruby",
	"pnpm/action-setup",
	"nick-fields/retry",
	"nick-invision/retry",
	"mathiasvr/command-output",
	"addnab/docker-run-action",
}

// runsCheckedOutCode reports whether a step executes code from the working
// tree, and a short description of how.
func runsCheckedOutCode(st *actionlint.Step) (string, bool) {
	if r, ok := stepRun(st); ok {
		if loc := buildCommand.FindStringIndex(r.Run.Value); loc != nil {
			return "`" + firstLine(r.Run.Value[loc[0]:]) + "`", true
		}
		return "", false
	}
	a, ref, ok := stepAction(st)
	if !ok {
		return "", false
	}
	switch {
	case ref.Kind == usesLocal:
		return "the local action `" + ref.Raw + "`", true
	case ref.Kind == usesRepo:
		for _, name := range codeRunningActions {
			if ref.Name() == name {
				if name == "ruby/setup-ruby" && !inputTrue(a, "bundler-cache") {
					return "", false
				}
				return "`" + ref.Raw + "`", true
			}
		}
	}
	return "", false
}

func inputTrue(a *actionlint.ExecAction, name string) bool {
	in := input(a, name)
	return in != nil && strings.EqualFold(strings.TrimSpace(in.Value.Value), "true")
}

// untrustedCodeTriggers are the triggers under which checking out the pull
// request's code hands it the base repository's privileges.
var untrustedCodeTriggers = []string{"pull_request_target", "workflow_run", "issue_comment"}

// pwnSite is a checkout of untrusted code followed by its execution.
type pwnSite struct {
	Job          *actionlint.Job
	Checkout     *actionlint.Step
	CheckoutAt   position
	CheckoutWhat string
	CheckoutIdx  int
	Exec         *actionlint.Step // nil when nothing runs the code
	ExecIdx      int
	ExecWhat     string
}

// untrustedCheckouts finds, per job, the first step that checks out the
// pull request's code under a privileged trigger, and the first later step
// that runs it.
func untrustedCheckouts(f *file) []pwnSite {
	if f.firstTrigger(untrustedCodeTriggers) == "" {
		return nil
	}
	var out []pwnSite
	for _, j := range f.sortedJobs() {
		for i, st := range j.Steps {
			if st == nil {
				continue
			}
			p, what, ok := checkoutOfUntrustedCode(f, st)
			if !ok {
				continue
			}
			site := pwnSite{Job: j, Checkout: st, CheckoutAt: p, CheckoutWhat: what, CheckoutIdx: i}
			if execWhat, ok := runsCheckedOutCode(st); ok && st.Exec.Kind() == actionlint.ExecKindRun {
				site.Exec, site.ExecIdx, site.ExecWhat = st, i, execWhat
			}
			for k := i + 1; site.Exec == nil && k < len(j.Steps); k++ {
				if j.Steps[k] == nil {
					continue
				}
				if execWhat, ok := runsCheckedOutCode(j.Steps[k]); ok {
					site.Exec, site.ExecIdx, site.ExecWhat = j.Steps[k], k, execWhat
				}
			}
			out = append(out, site)
			break
		}
	}
	return out
}
