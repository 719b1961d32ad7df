package engine

import (
	"strings"

	"github.com/wardenbot/warden/checks/code/ir"
)

// validated returns the names a condition checks against an allow-list, a
// prefix or a pattern, and whether they are valid when the condition holds
// (false for `if not ok(x): return`).
func (a *analyzer) validated(cond *ir.Expr) ([]string, bool) {
	positive := true
	for cond != nil && cond.Kind == ir.Unary && (cond.Name == "!" || cond.Name == "not" || cond.Name == "()") {
		if cond.Name != "()" {
			positive = !positive
		}
		cond = cond.X
	}
	if cond == nil {
		return nil, positive
	}
	var names []string
	add := func(e *ir.Expr) {
		if d := ir.Dotted(e); d != "" && e.Kind != ir.Call {
			names = append(names, d)
		}
	}
	switch cond.Kind {
	case ir.Index:
		// allowed[k] as a condition: k is a key of an allow-list (a Go
		// map of bools, a JavaScript object).
		if len(cond.Args) == 1 {
			add(cond.Args[0])
		}
	case ir.Binary:
		switch cond.Name {
		case "in":
			add(cond.Args[0])
		case "not in":
			add(cond.Args[0])
			positive = !positive
		case "==", "===":
			if ir.Constant(cond.Args[1]) {
				add(cond.Args[0])
			} else if ir.Constant(cond.Args[0]) {
				add(cond.Args[1])
			}
		case "!=", "!==":
			if ir.Constant(cond.Args[1]) {
				add(cond.Args[0])
				positive = !positive
			}
		case "&&", "and", "||", "or":
			// A conjunction validates what either side validates when it
			// holds; a disjunction of negations (x != a || …) only when
			// the whole is false. Keep it simple: take the left side.
			n, p := a.validated(cond.Args[0])
			if len(n) == 0 {
				n, p = a.validated(cond.Args[1])
			}
			return n, p
		}
	case ir.Call:
		name := a.f.Callee(cond)
		if !a.validators[lastSegment(name)] {
			return nil, positive
		}
		// The validated value is the first argument of a function
		// (strings.HasPrefix(p, base)), or the receiver of a method
		// (p.startswith(base)), or the argument of a collection's
		// membership method (allowed.includes(x)).
		// A deny-list test (strings.Contains(p, ".."), strings.HasPrefix(a,
		// "-") for an option) holds for bad input.
		for _, arg := range cond.Args {
			if v, ok := ir.StringValue(arg); ok && (strings.Contains(v, "..") || v == "-") {
				positive = !positive
				break
			}
		}
		switch m := lastSegment(name); m {
		case "includes", "has", "contains", "Contains", "__contains__", "MatchString", "match", "fullmatch", "test", "search", "Match", "IsMatch":
			for _, arg := range cond.Args {
				add(arg)
			}
			if cond.X.Kind == ir.Attr && m != "test" && m != "MatchString" && m != "Match" {
				add(cond.X.X)
			}
		default:
			if len(cond.Args) > 0 {
				add(ir.Positional(cond, 0))
			}
			if cond.X.Kind == ir.Attr {
				add(cond.X.X)
			}
		}
	}
	return names, positive
}
