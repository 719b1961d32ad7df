package workflows

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/rhysd/actionlint"

	"github.com/wardenbot/warden/checks/internal/limit"
)

// Bounds on one ${{ }} expression. actionlint's parser and the walks
// below recurse once per bracket and per operator, and a Go stack
// overflow kills the process, so an expression past them is not parsed.
// Real expressions nest a handful of levels in well under a kilobyte.
const (
	maxExprNesting = 64
	maxExprBytes   = 32 << 10
)

// expr is one ${{ }} expression found in a string value.
type expr struct {
	Raw    string // "${{ ... }}" as written
	Inner  string // the text between the braces, trimmed
	Offset int    // byte offset of "${{" in the value
	Node   actionlint.ExprNode
	// Over is set, and Node nil, when the expression was too deep or too
	// long to parse.
	Over *limit.Exceeded
}

// exprs returns the expressions of s and records on f the first that was
// too costly to parse, for the file's note.
func (f *file) exprs(s *actionlint.String) []expr {
	out := findExprs(s.Value)
	for _, e := range out {
		if e.Over != nil && f.exprOver == nil {
			over := *e.Over
			over.Path, over.Line, over.Partial = f.Path, posOf(s.Pos).Line, true
			f.exprOver = &over
		}
	}
	return out
}

// findExprs returns the ${{ }} expressions of a value in order. An
// expression without a closing "}}" ends the search; one that does not
// parse is kept with a nil Node.
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
		if e.Over = exprCost(inner); e.Over == nil {
			if n, err := actionlint.NewExprParser().Parse(actionlint.NewExprLexer(inner + "}}")); err == nil {
				e.Node = n
			}
		}
		out = append(out, e)
		off = end
	}
	return out
}

// exprCost refuses an expression too long or too deeply bracketed to
// parse safely. Unmatched closers do not lower the count, so they cannot
// hide the nesting after them.
func exprCost(inner string) *limit.Exceeded {
	depth, inString := 0, false
	for i := 0; i < len(inner) && i <= maxExprBytes; i++ {
		switch c := inner[i]; {
		case c == '\'':
			inString = !inString
		case inString:
		case c == '(' || c == '[':
			if depth++; depth > maxExprNesting {
				return &limit.Exceeded{What: fmt.Sprintf("a ${{ }} expression nested deeper than %d levels", maxExprNesting)}
			}
		case (c == ')' || c == ']') && depth > 0:
			depth--
		}
	}
	if len(inner) > maxExprBytes {
		return &limit.Exceeded{What: fmt.Sprintf("a ${{ }} expression longer than %d KiB", maxExprBytes>>10)}
	}
	return nil
}

// paths lists the context paths the expression reads. One too costly to
// parse is read as text instead: every dotted name in it counts, so an
// untrusted context wrapped in a thousand parentheses is still found.
func (e expr) paths() [][]string {
	if e.Node != nil || e.Over == nil {
		return valuePaths(e.Node)
	}
	var out [][]string
	for _, name := range dottedName.FindAllString(e.Inner, -1) {
		out = append(out, strings.Split(strings.ToLower(name), "."))
	}
	return out
}

var dottedName = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_-]*(?:\.(?:[A-Za-z_][A-Za-z0-9_-]*|\*))+`)

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
	return appendValuePaths(nil, node)
}

// appendValuePaths appends to out rather than concatenating results, so a
// long chain of || costs linear time, not quadratic.
func appendValuePaths(out [][]string, node actionlint.ExprNode) [][]string {
	if node == nil {
		return out
	}
	if p, ok := contextPath(node); ok {
		return append(out, p)
	}
	switch n := node.(type) {
	case *actionlint.LogicalOpNode:
		return appendValuePaths(appendValuePaths(out, n.Left), n.Right)
	case *actionlint.IndexAccessNode:
		// A computed lookup into a non-context value, e.g.
		// fromJSON(x)[0]: the operand's data flows through.
		return appendValuePaths(out, n.Operand)
	case *actionlint.ObjectDerefNode:
		return appendValuePaths(out, n.Receiver)
	case *actionlint.ArrayDerefNode:
		return appendValuePaths(out, n.Receiver)
	case *actionlint.FuncCallNode:
		switch strings.ToLower(n.Callee) {
		case "format", "join", "tojson", "fromjson":
			for _, a := range n.Args {
				out = appendValuePaths(out, a)
			}
		}
	}
	return out
}
