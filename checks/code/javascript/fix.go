package javascript

import (
	"strconv"
	"strings"

	"github.com/wardenbot/warden/checks/code/engine"
	"github.com/wardenbot/warden/checks/code/ir"
	"github.com/wardenbot/warden/checks/code/rulekit"
)

// Fix proposes a mechanical fix for a JavaScript taint finding: a
// parameterised query for mysql/mysql2 ("?") or pg ("$1") when the query is
// built inline and passed alone.
func Fix(f *ir.File, h *engine.Hit) *engine.Edit {
	if h.Rule != "sql-injection" || h.Call == nil || h.Arg == nil || h.Call.Pos.Line != h.Call.Pos.EndLine {
		return nil
	}
	if len(h.Call.Args) != 1 || h.Call.Args[0] != h.Arg || h.Call.X.Kind != ir.Attr || h.Call.X.Name != "query" {
		return nil
	}
	var ph func(int) string
	for _, imp := range f.Imports {
		switch strings.SplitN(imp, ".", 2)[0] {
		case "mysql", "mysql2", "mysql2/promise":
			ph = func(int) string { return "?" }
		case "pg":
			ph = func(i int) string { return "$" + strconv.Itoa(i) }
		}
	}
	if ph == nil {
		return nil
	}
	parts, ok := rulekit.SplitString(h.Arg, nil)
	if !ok {
		return nil
	}
	q, args, ok := rulekit.Parameterize(parts, ph)
	if !ok {
		return nil
	}
	vals := make([]string, len(args))
	for i, a := range args {
		vals[i] = f.Text(a.Pos)
	}
	return &engine.Edit{Pos: h.Arg.Pos, Text: jsQuote(q) + ", [" + strings.Join(vals, ", ") + "]"}
}

// jsQuote writes a single-quoted JavaScript string.
func jsQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`)
	return "'" + r.Replace(s) + "'"
}
