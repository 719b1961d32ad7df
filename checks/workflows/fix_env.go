package workflows

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/rhysd/actionlint"
	"github.com/wardenbot/warden/checks"
)

// envFix builds the suggestion that moves a step's tainted expressions into
// its env: and references them as variables. It returns nil whenever the
// step's shape makes the rewrite less than certain: a quoted YAML scalar,
// a non-POSIX shell, a heredoc, a command substitution or an interpreter's
// -c/-e code string on the line, an expression YAML did not keep verbatim.
func envFix(f *file, j *actionlint.Job, st *actionlint.Step, sk sink, tainted []taintedExpr) *checks.Fix {
	if sk.Value.Quoted {
		return nil
	}
	if sk.Kind == sinkShell {
		r, isRun := stepRun(st)
		if !isRun || !posixShell(f, j, r) || strings.Contains(sk.Value.Value, "<<") {
			return nil
		}
	}
	for _, te := range tainted {
		if !te.Exact {
			return nil
		}
	}
	existing := visibleEnv(f.Workflow, j, st)
	byExpr := map[string]string{}
	var newVars []string // "NAME: ${{ expr }}"
	ed := newEdits(f)
	for _, te := range tainted {
		name := te.ViaEnv
		if name == "" {
			name = byExpr[te.Expr.Inner]
		}
		if name == "" {
			name = uniqueEnvName(envNameFor(te.Source), te.Expr.Raw, existing)
			byExpr[te.Expr.Inner] = name
			if existing[strings.ToLower(name)] != te.Expr.Raw {
				newVars = append(newVars, name+": "+te.Expr.Raw)
				existing[strings.ToLower(name)] = te.Expr.Raw
			}
		}
		var ok bool
		switch sk.Kind {
		case sinkShell:
			ok = shellSubstitution(ed, f, sk, te, name)
		case sinkJavaScript:
			ok = jsSubstitution(ed, f, sk, te, name)
		}
		if !ok {
			return nil
		}
	}
	if len(newVars) > 0 && !insertEnvVars(ed, f, st, sk, newVars) {
		return nil
	}
	return ed.fix("Pass the untrusted value through an environment variable")
}

// posixShell reports whether the run step's shell is bash or sh, where
// "$NAME" is the right way to read a variable.
func posixShell(f *file, j *actionlint.Job, r *actionlint.ExecRun) bool {
	sh := strings.Fields(stepShell(f.Workflow, j, r))
	if len(sh) == 0 {
		return f.Kind == kindWorkflow && !runsOnWindows(j)
	}
	return sh[0] == "bash" || sh[0] == "sh"
}

// visibleEnv maps lower-cased env names visible to the step to their values.
func visibleEnv(w *actionlint.Workflow, j *actionlint.Job, st *actionlint.Step) map[string]string {
	out := map[string]string{}
	for _, env := range []*actionlint.Env{w.Env, j.Env, st.Env} {
		if env == nil {
			continue
		}
		for _, v := range env.Vars {
			if v != nil && v.Name != nil && v.Value != nil {
				out[strings.ToLower(v.Name.Value)] = v.Value.Value
			}
		}
	}
	return out
}

var nonEnvChars = regexp.MustCompile(`[^A-Z0-9_]+`)

// envNameFor derives a readable variable name from a context path:
// github.event.pull_request.head.ref → PR_HEAD_REF.
func envNameFor(source string) string {
	var segs []string
	for i, s := range strings.Split(source, ".") {
		if (i == 0 && s == "github") || (i == 1 && s == "event") || s == "*" {
			continue
		}
		if s == "pull_request" {
			s = "pr"
		}
		segs = append(segs, s)
	}
	if len(segs) > 3 {
		segs = segs[len(segs)-3:]
	}
	name := nonEnvChars.ReplaceAllString(strings.ToUpper(strings.Join(segs, "_")), "_")
	if name == "" || (name[0] >= '0' && name[0] <= '9') {
		name = "UNTRUSTED_" + name
	}
	return name
}

// uniqueEnvName returns base, or base_2, base_3… so as not to shadow a
// variable that already holds something else.
func uniqueEnvName(base, value string, existing map[string]string) string {
	name := base
	for n := 2; ; n++ {
		v, taken := existing[strings.ToLower(name)]
		if !taken || v == value {
			return name
		}
		name = fmt.Sprintf("%s_%d", base, n)
	}
}

var interpreterCode = regexp.MustCompile(`\b(eval|python[0-9.]*|node|ruby|perl|php|pwsh|powershell)\b|\b(ba|z)?sh\s+-c\b|\$\(|` + "`")

// shellSubstitution replaces one expression with a quoted variable
// reference that fits the shell quoting around it.
func shellSubstitution(ed *edits, f *file, sk sink, te taintedExpr, name string) bool {
	before := sk.Value.Value[:te.Expr.Offset]
	lineStart := strings.LastIndexByte(before, '\n') + 1
	if interpreterCode.MatchString(before[lineStart:]) {
		return false
	}
	state := shellQuoteState(before)
	end := te.Expr.Offset + len(te.Expr.Raw)
	if (state == '"' || state == '\'') && strings.HasSuffix(before, string(rune(state))) &&
		end < len(sk.Value.Value) && int(sk.Value.Value[end]) == state && te.Pos.Col > 1 {
		// The expression is the whole quoted word: replace the quotes too.
		ed.replace(te.Pos.Line, te.Pos.Col-1, len(te.Expr.Raw)+2, `"$`+name+`"`)
		return true
	}
	var ref string
	switch state {
	case 0:
		ref = `"$` + name + `"`
	case '"':
		ref = "${" + name + "}"
	case '\'':
		ref = `'"$` + name + `"'`
	default:
		return false
	}
	if startsPlainScalar(f, sk.Value, te.Pos) && (ref[0] == '"' || ref[0] == '\'') {
		return false // a leading quote would turn the YAML scalar into a quoted one
	}
	ed.replace(te.Pos.Line, te.Pos.Col, len(te.Expr.Raw), ref)
	return true
}

// shellQuoteState returns the quote open at the end of script (0 for none,
// '"' or '\”) and -1 inside a comment, following POSIX shell rules for
// backslashes.
func shellQuoteState(script string) int {
	state := 0
	for i := 0; i < len(script); i++ {
		c := script[i]
		switch state {
		case '\'':
			if c == '\'' {
				state = 0
			}
		case '"':
			switch c {
			case '\\':
				i++
			case '"':
				state = 0
			}
		case -1:
			if c == '\n' {
				state = 0
			}
		default:
			switch {
			case c == '\\':
				i++
			case c == '"' || c == '\'':
				state = int(c)
			case c == '#' && (i == 0 || script[i-1] == ' ' || script[i-1] == '\t' || script[i-1] == '\n'):
				state = -1
			}
		}
	}
	return state
}

// startsPlainScalar reports whether p is the first character of a plain
// (unquoted, non-block) scalar.
func startsPlainScalar(f *file, v *actionlint.String, p position) bool {
	start := posOf(v.Pos)
	return !isBlockScalar(f, v) && start == p
}

func isBlockScalar(f *file, v *actionlint.String) bool {
	p := posOf(v.Pos)
	l := f.line(p.Line)
	return p.Col >= 1 && p.Col <= len(l) && (l[p.Col-1] == '|' || l[p.Col-1] == '>')
}

// jsSubstitution replaces an expression in github-script code with
// process.env.NAME when it is a whole string literal or sits in a template
// literal; anything else needs a person.
func jsSubstitution(ed *edits, f *file, sk sink, te taintedExpr, name string) bool {
	v := sk.Value.Value
	start, end := te.Expr.Offset, te.Expr.Offset+len(te.Expr.Raw)
	if start > 0 && end < len(v) {
		q := v[start-1]
		if (q == '"' || q == '\'' || q == '`') && v[end] == q && te.Pos.Col > 1 {
			ed.replace(te.Pos.Line, te.Pos.Col-1, len(te.Expr.Raw)+2, "process.env."+name)
			return true
		}
	}
	if strings.Count(v[:start], "`")%2 == 1 {
		ed.replace(te.Pos.Line, te.Pos.Col, len(te.Expr.Raw), "${process.env."+name+"}")
		return true
	}
	return false
}

// insertEnvVars adds variables to the step's env:, creating the mapping
// when the step has none.
func insertEnvVars(ed *edits, f *file, st *actionlint.Step, sk sink, vars []string) bool {
	if st.Env != nil {
		return appendToEnv(ed, f, st.Env, vars)
	}
	line, col, ok := stepAnchorKey(f, st)
	if !ok {
		return false
	}
	text := f.line(line)
	keyIndent := strings.Repeat(" ", col-1)
	var block []string
	for _, v := range vars {
		block = append(block, keyIndent+"  "+v)
	}
	prefix := text[:col-1]
	if strings.TrimSpace(prefix) == "" {
		ed.insertBefore(line, keyIndent+"env:\n"+strings.Join(block, "\n"))
		return true
	}
	if strings.TrimSpace(prefix) != "-" {
		return false
	}
	// "- run: …": the new env: key takes the sequence dash.
	ed.rewriteLine(line, func(s string) string {
		return prefix + "env:\n" + strings.Join(block, "\n") + "\n" + keyIndent + s[col-1:]
	})
	return true
}

// appendToEnv adds variables after the last entry of a block-style env.
func appendToEnv(ed *edits, f *file, env *actionlint.Env, vars []string) bool {
	if env.Expression != nil || len(env.Vars) == 0 {
		return false
	}
	last, col := 0, 0
	for _, v := range env.Vars {
		if v == nil || v.Name == nil || v.Value == nil || strings.Contains(v.Value.Value, "\n") {
			return false
		}
		p := posOf(v.Name.Pos)
		if col != 0 && p.Col != col {
			return false
		}
		col = p.Col
		if strings.TrimSpace(f.line(p.Line)[:min(col-1, len(f.line(p.Line)))]) != "" {
			return false // flow style or shared line
		}
		last = max(last, p.Line, posOf(v.Value.Pos).Line)
	}
	indent := strings.Repeat(" ", col-1)
	var block []string
	for _, v := range vars {
		block = append(block, indent+v)
	}
	ed.insertAfter(last, strings.Join(block, "\n"))
	return true
}

// stepAnchorKey finds the line and column of the step's run: or uses: key.
func stepAnchorKey(f *file, st *actionlint.Step) (int, int, bool) {
	if r, ok := stepRun(st); ok && r.RunPos != nil {
		return r.RunPos.Line, r.RunPos.Col, true
	}
	if a, ok := st.Exec.(*actionlint.ExecAction); ok && a.Uses != nil && a.Uses.Pos != nil {
		p := posOf(a.Uses.Pos)
		text := f.line(p.Line)
		i := strings.LastIndex(text[:min(max(p.Col-1, 0), len(text))], "uses")
		if i < 0 {
			return 0, 0, false
		}
		return p.Line, i + 1, true
	}
	return 0, 0, false
}
