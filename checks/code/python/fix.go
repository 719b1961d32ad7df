package python

import (
	"strconv"
	"strings"

	"github.com/wardenbot/warden/checks/code/engine"
	"github.com/wardenbot/warden/checks/code/ir"
	"github.com/wardenbot/warden/checks/code/rulekit"
)

// Fix proposes a mechanical fix for a Python taint finding: a DB-API
// parameterised query when the driver's placeholder style is known.
func Fix(f *ir.File, h *engine.Hit) *engine.Edit {
	if h.Rule != "sql-injection" || h.Call == nil || h.Arg == nil || h.Call.Pos.Line != h.Call.Pos.EndLine {
		return nil
	}
	if len(h.Call.Args) != 1 || h.Call.Args[0] != h.Arg {
		return nil
	}
	var ph string
	for _, imp := range f.Imports {
		switch strings.SplitN(imp, ".", 2)[0] {
		case "sqlite3":
			ph = "?"
		case "psycopg2", "psycopg", "pymysql", "MySQLdb", "mysql":
			ph = "%s"
		}
	}
	if ph == "" {
		return nil
	}
	parts, ok := rulekit.SplitString(h.Arg, percentFormat)
	if !ok {
		return nil
	}
	q, args, ok := rulekit.Parameterize(parts, func(int) string { return ph })
	if !ok {
		return nil
	}
	vals := make([]string, len(args))
	for i, a := range args {
		vals[i] = f.Text(a.Pos)
	}
	tuple := "(" + strings.Join(vals, ", ") + ",)"
	if len(vals) > 1 {
		tuple = "(" + strings.Join(vals, ", ") + ")"
	}
	// strconv.Quote's escapes (\n, \", \u…) mean the same in Python.
	return &engine.Edit{Pos: h.Arg.Pos, Text: strconv.Quote(q) + ", " + tuple}
}

// percentFormat recognises "…%s…" % value and "…{}…".format(value).
func percentFormat(e *ir.Expr) (string, []*ir.Expr, bool) {
	if e.Kind == ir.Binary && e.Name == "%" {
		fs, ok := ir.StringValue(e.Args[0])
		if !ok {
			return "", nil, false
		}
		v := e.Args[1]
		for v.Kind == ir.Unary && v.Name == "()" {
			v = v.X
		}
		if v.Kind == ir.Collection && v.Name == "" {
			return fs, v.Args, true
		}
		return fs, []*ir.Expr{v}, true
	}
	if e.Kind == ir.Call && e.X != nil && e.X.Kind == ir.Attr && e.X.Name == "format" {
		fs, ok := ir.StringValue(e.X.X)
		if !ok || strings.Count(fs, "{}") != len(e.Args) {
			return "", nil, false
		}
		return strings.ReplaceAll(strings.ReplaceAll(fs, "%", "%%"), "{}", "%s"), e.Args, true
	}
	return "", nil, false
}
