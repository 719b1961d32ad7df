package golang

import (
	"strconv"
	"strings"

	"github.com/wardenbot/warden/checks/code/engine"
	"github.com/wardenbot/warden/checks/code/ir"
	"github.com/wardenbot/warden/checks/code/rulekit"
)

// Fix proposes a mechanical fix for a Go taint finding: a parameterised
// query for SQL built inline, or exec.Command without a shell.
func Fix(f *ir.File, h *engine.Hit) *engine.Edit {
	if h.Call == nil || h.Arg == nil || h.Call.Pos.Line != h.Call.Pos.EndLine {
		return nil
	}
	switch h.Rule {
	case "sql-injection":
		return fixSQL(f, h)
	case "command-injection":
		return fixShell(f, h)
	}
	return nil
}

// sprintf recognises fmt.Sprintf calls with a constant format.
func sprintf(f *ir.File) func(e *ir.Expr) (string, []*ir.Expr, bool) {
	return func(e *ir.Expr) (string, []*ir.Expr, bool) {
		if e.Kind != ir.Call || f.Callee(e) != "fmt.Sprintf" || len(e.Args) == 0 {
			return "", nil, false
		}
		fs, ok := ir.StringValue(e.Args[0])
		return fs, e.Args[1:], ok
	}
}

func fixSQL(f *ir.File, h *engine.Hit) *engine.Edit {
	// Only a query argument that is the last argument: extra arguments
	// would already be parameters and need renumbering.
	if h.Call.Args[len(h.Call.Args)-1] != h.Arg {
		return nil
	}
	parts, ok := rulekit.SplitString(h.Arg, sprintf(f))
	if !ok {
		return nil
	}
	ph := func(int) string { return "?" }
	for _, p := range f.Imports {
		if strings.Contains(p, "lib/pq") || strings.Contains(p, "jackc/pgx") {
			ph = func(i int) string { return "$" + strconv.Itoa(i) }
		}
	}
	q, args, ok := rulekit.Parameterize(parts, ph)
	if !ok {
		return nil
	}
	text := strconv.Quote(q)
	for _, a := range args {
		text += ", " + f.Text(a.Pos)
	}
	return &engine.Edit{Pos: h.Arg.Pos, Text: text}
}

// fixShell turns exec.Command("sh", "-c", "prog arg " + x) into
// exec.Command("prog", "arg", x) when the script is plain words followed
// by the value: no shell syntax, so dropping the shell changes nothing
// but the injection.
func fixShell(f *ir.File, h *engine.Hit) *engine.Edit {
	args := h.Call.Args
	var script int = -1
	for i, a := range args {
		if a == h.Arg {
			script = i
		}
	}
	if script < 2 || script != len(args)-1 {
		return nil
	}
	if v, _ := ir.StringValue(args[script-1]); v != "-c" {
		return nil
	}
	parts, ok := rulekit.SplitString(h.Arg, nil)
	if !ok || len(parts) != 2 || parts[0].Expr != nil || parts[1].Expr == nil {
		return nil
	}
	words := strings.Fields(parts[0].Lit)
	if len(words) == 0 || strings.ContainsAny(parts[0].Lit, "|&;<>()$`\\\"'*?[]#~=%{}") || !strings.HasSuffix(parts[0].Lit, " ") {
		return nil
	}
	var b strings.Builder
	if script-2 > 0 { // CommandContext: keep ctx
		b.WriteString(f.Text(args[0].Pos) + ", ")
	}
	for _, w := range words {
		b.WriteString(strconv.Quote(w) + ", ")
	}
	b.WriteString(f.Text(parts[1].Expr.Pos))
	first := args[0].Pos
	return &engine.Edit{Pos: ir.Pos{Line: first.Line, Col: first.Col, EndLine: h.Arg.Pos.EndLine, EndCol: h.Arg.Pos.EndCol, Start: first.Start, End: h.Arg.Pos.End}, Text: b.String()}
}
