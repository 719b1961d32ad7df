package rulekit

import (
	"strings"

	"github.com/wardenbot/warden/checks/code/ir"
)

// Part is one piece of a string built by concatenation or formatting: a
// constant text or an expression.
type Part struct {
	Lit  string
	Expr *ir.Expr
}

// SplitString breaks a built string into literal and expression parts:
// a + b chains, f-strings and template literals, and printf-style
// formatting whose verbs are all %s, %d or %v. format, when non-nil,
// recognises a language's formatting call and returns its format string
// and arguments.
func SplitString(e *ir.Expr, format func(*ir.Expr) (string, []*ir.Expr, bool)) ([]Part, bool) {
	var parts []Part
	var walk func(e *ir.Expr, depth int) bool
	walk = func(e *ir.Expr, depth int) bool {
		if e == nil || depth > 32 {
			return false
		}
		switch e.Kind {
		case ir.StrLit:
			parts = append(parts, Part{Lit: e.Value})
			return true
		case ir.Binary:
			if e.Name != "+" {
				return false
			}
			return walk(e.Args[0], depth+1) && walk(e.Args[1], depth+1)
		case ir.Format:
			for _, a := range e.Args {
				if a.Kind == ir.StrLit {
					parts = append(parts, Part{Lit: a.Value})
				} else {
					parts = append(parts, Part{Expr: a})
				}
			}
			return true
		case ir.Unary:
			if e.Name == "()" {
				return walk(e.X, depth+1)
			}
		}
		if format != nil {
			if fs, args, ok := format(e); ok {
				return splitPrintf(fs, args, &parts)
			}
		}
		parts = append(parts, Part{Expr: e})
		return true
	}
	if !walk(e, 0) {
		return nil, false
	}
	return parts, true
}

// splitPrintf expands a printf format with simple verbs into parts.
func splitPrintf(fs string, args []*ir.Expr, parts *[]Part) bool {
	var lit strings.Builder
	n := 0
	for i := 0; i < len(fs); i++ {
		if fs[i] != '%' {
			lit.WriteByte(fs[i])
			continue
		}
		if i+1 >= len(fs) {
			return false
		}
		switch fs[i+1] {
		case '%':
			lit.WriteByte('%')
		case 's', 'd', 'v', 'q':
			if n >= len(args) {
				return false
			}
			*parts = append(*parts, Part{Lit: lit.String()}, Part{Expr: args[n]})
			lit.Reset()
			n++
		default:
			return false
		}
		i++
	}
	*parts = append(*parts, Part{Lit: lit.String()})
	return n == len(args)
}

// valueContext says whether SQL text ends where a value (not an
// identifier or keyword) is expected, so a placeholder may stand there.
func valueContext(sql string) bool {
	s := strings.ToLower(strings.TrimRight(sql, " \t\n"))
	for _, suf := range []string{"=", "<", ">", "(", ",", " in", " like", " values", " limit", " offset", " between", " and"} {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

// Parameterize rewrites the parts of a SQL string into a query with
// placeholders and the list of values, when each value sits where a SQL
// value goes (optionally inside quotes '…'). ok is false when any value is
// an identifier, a fragment of a literal (LIKE '%x%') or otherwise not
// mechanically replaceable.
func Parameterize(parts []Part, placeholder func(i int) string) (string, []*ir.Expr, bool) {
	var q strings.Builder
	var args []*ir.Expr
	for i := 0; i < len(parts); i++ {
		p := parts[i]
		if p.Expr == nil {
			q.WriteString(p.Lit)
			continue
		}
		before := q.String()
		quoted := strings.HasSuffix(before, "'") || strings.HasSuffix(before, "\"")
		if quoted {
			before = before[:len(before)-1]
			next := ""
			if i+1 < len(parts) && parts[i+1].Expr == nil {
				next = parts[i+1].Lit
			}
			if next == "" || (next[0] != '\'' && next[0] != '"') {
				return "", nil, false
			}
			parts[i+1].Lit = next[1:]
		}
		if !valueContext(before) {
			return "", nil, false
		}
		q.Reset()
		q.WriteString(before)
		q.WriteString(placeholder(len(args) + 1))
		args = append(args, p.Expr)
	}
	if len(args) == 0 {
		return "", nil, false
	}
	return q.String(), args, true
}
