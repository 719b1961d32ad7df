package workflows

import (
	"strings"

	"github.com/rhysd/actionlint"
)

// expr is one ${{ }} expression found in a string value.
type expr struct {
	Raw    string // "${{ ... }}" as written
	Inner  string // the text between the braces, trimmed
	Offset int    // byte offset of "${{" in the value
	Node   actionlint.ExprNode
}

// findExprs returns the ${{ }} expressions of a value in order. An
// expression without a closing "}}" ends the search; one that does not
// parse is kept with a nil Node so callers can still fall back to text.
func findExprs(value string) []expr {
	var out []expr
	for off := 0; off < len(value); {
		i := strings.Index(value[off:], "${{")
		if i < 0 {
			break
		}
		start := off + i
		end := exprEnd(value, start+3)
		if end < 0 {
			break
		}
		inner := value[start+3 : end-2]
		e := expr{Raw: value[start:end], Inner: strings.TrimSpace(inner), Offset: start}
		if n, err := actionlint.NewExprParser().Parse(actionlint.NewExprLexer(inner + "}}")); err == nil {
			e.Node = n
		}
		out = append(out, e)
		off = end
	}
	return out
}

// exprEnd returns the offset just past the "}}" closing an expression
// whose body starts at from, skipping '...' string literals (where ”
// escapes a quote), or -1.
func exprEnd(s string, from int) int {
	inString := false
	for i := from; i < len(s); i++ {
		switch {
		case s[i] == '\'':
			inString = !inString // '' toggles twice, so escapes need no case
		case !inString && s[i] == '}' && i+1 < len(s) && s[i+1] == '}':
			return i + 2
		}
	}
	return -1
}

// contextPath renders a property access chain (github.event.issue.title,
// github.event.commits[0].message) as lower-case segments, with "*" for an
// object filter (.*) and "#" for a computed index, which only stands for an
// array element, never for a named property. ok is false when node is not such a chain.
func contextPath(node actionlint.ExprNode) ([]string, bool) {
	switch n := node.(type) {
	case *actionlint.VariableNode:
		return []string{strings.ToLower(n.Name)}, true
	case *actionlint.ObjectDerefNode:
		p, ok := contextPath(n.Receiver)
		return append(p, strings.ToLower(n.Property)), ok
	case *actionlint.ArrayDerefNode:
		p, ok := contextPath(n.Receiver)
		return append(p, "*"), ok
	case *actionlint.IndexAccessNode:
		p, ok := contextPath(n.Operand)
		if s, isStr := n.Index.(*actionlint.StringNode); isStr {
			return append(p, strings.ToLower(s.Value)), ok
		}
		return append(p, "#"), ok
	}
	return nil, false
}

// valuePaths lists the context paths whose values can flow into the
// expression's result. Comparisons, negations and predicate functions
// yield booleans or numbers, so what they read cannot be injected.
func valuePaths(node actionlint.ExprNode) [][]string {
	if node == nil {
		return nil
	}
	if p, ok := contextPath(node); ok {
		return [][]string{p}
	}
	switch n := node.(type) {
	case *actionlint.LogicalOpNode:
		return append(valuePaths(n.Left), valuePaths(n.Right)...)
	case *actionlint.IndexAccessNode:
		// A computed lookup into a non-context value, e.g.
		// fromJSON(x)[0]: the operand's data flows through.
		return valuePaths(n.Operand)
	case *actionlint.ObjectDerefNode:
		return valuePaths(n.Receiver)
	case *actionlint.ArrayDerefNode:
		return valuePaths(n.Receiver)
	case *actionlint.FuncCallNode:
		switch strings.ToLower(n.Callee) {
		case "format", "join", "tojson", "fromjson":
			var out [][]string
			for _, a := range n.Args {
				out = append(out, valuePaths(a)...)
			}
			return out
		}
	}
	return nil
}
