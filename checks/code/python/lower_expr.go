package python

import (
	"regexp"
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/wardenbot/warden/checks/code/ir"
	"github.com/wardenbot/warden/checks/code/tsparse"
)

func (l *lowerer) expr(n *sitter.Node) *ir.Expr {
	if n == nil {
		return nil
	}
	l.depth++
	defer func() { l.depth-- }()
	p := tsparse.Pos(n)
	if l.depth > maxDepth {
		l.f.Truncate(p)
		return &ir.Expr{Kind: ir.Unknown, Pos: p}
	}
	switch n.Kind() {
	case "identifier":
		return &ir.Expr{Kind: ir.Name, Name: l.text(n), Pos: p}
	case "true":
		return &ir.Expr{Kind: ir.BoolLit, Value: "true", Pos: p}
	case "false":
		return &ir.Expr{Kind: ir.BoolLit, Value: "false", Pos: p}
	case "none":
		return &ir.Expr{Kind: ir.NullLit, Pos: p}
	case "integer", "float":
		return &ir.Expr{Kind: ir.NumLit, Value: l.text(n), Pos: p}
	case "string":
		return l.str(n)
	case "concatenated_string":
		e := &ir.Expr{Kind: ir.Format, Pos: p}
		for _, c := range tsparse.Named(n) {
			s := l.str(c)
			if s.Kind == ir.Format {
				e.Args = append(e.Args, s.Args...)
			} else {
				e.Args = append(e.Args, s)
			}
		}
		return collapse(e)
	case "attribute":
		return &ir.Expr{Kind: ir.Attr, Name: l.text(l.field(n, "attribute")), X: l.expr(l.field(n, "object")), Pos: p}
	case "call":
		c := &ir.Expr{Kind: ir.Call, X: l.expr(l.field(n, "function")), Pos: p}
		args := l.field(n, "arguments")
		if args != nil && args.Kind() == "generator_expression" {
			c.Args = []*ir.Expr{l.expr(args)}
			return c
		}
		for _, a := range tsparse.Named(args) {
			switch a.Kind() {
			case "keyword_argument":
				c.Args = append(c.Args, &ir.Expr{Kind: ir.KeyValue, Name: l.text(l.field(a, "name")), X: l.expr(l.field(a, "value")), Pos: tsparse.Pos(a)})
			case "comment":
			default:
				c.Args = append(c.Args, l.expr(a))
			}
		}
		return getattrConst(c)
	case "subscript":
		e := &ir.Expr{Kind: ir.Index, X: l.expr(l.field(n, "value")), Pos: p}
		for i := uint(0); i < n.NamedChildCount(); i++ {
			if n.FieldNameForNamedChild(uint32(i)) == "subscript" {
				e.Args = append(e.Args, l.expr(n.NamedChild(i)))
			}
		}
		return e
	case "binary_operator":
		return &ir.Expr{Kind: ir.Binary, Name: l.text(l.field(n, "operator")), Args: []*ir.Expr{l.expr(l.field(n, "left")), l.expr(l.field(n, "right"))}, Pos: p}
	case "boolean_operator":
		return &ir.Expr{Kind: ir.Binary, Name: l.text(l.field(n, "operator")), Args: []*ir.Expr{l.expr(l.field(n, "left")), l.expr(l.field(n, "right"))}, Pos: p}
	case "comparison_operator":
		return l.comparison(n)
	case "not_operator":
		return &ir.Expr{Kind: ir.Unary, Name: "not", X: l.expr(l.field(n, "argument")), Pos: p}
	case "unary_operator":
		return &ir.Expr{Kind: ir.Unary, Name: l.text(l.field(n, "operator")), X: l.expr(l.field(n, "argument")), Pos: p}
	case "parenthesized_expression", "await", "list_splat", "dictionary_splat", "starred_expression", "expression_statement":
		if c := n.NamedChild(0); c != nil {
			return &ir.Expr{Kind: ir.Unary, Name: "()", X: l.expr(c), Pos: p}
		}
	case "list", "tuple", "set", "expression_list", "pattern_list", "tuple_pattern", "list_pattern":
		e := &ir.Expr{Kind: ir.Collection, Pos: p}
		for _, c := range tsparse.Named(n) {
			e.Args = append(e.Args, l.expr(c))
		}
		return e
	case "dictionary":
		e := &ir.Expr{Kind: ir.Collection, Name: "dict", Pos: p}
		for _, c := range tsparse.Named(n) {
			if c.Kind() == "pair" {
				kv := &ir.Expr{Kind: ir.KeyValue, X: l.expr(l.field(c, "value")), Pos: tsparse.Pos(c)}
				kv.Key = l.expr(l.field(c, "key"))
				if s, ok := ir.StringValue(kv.Key); ok {
					kv.Name = s
				}
				e.Args = append(e.Args, kv)
			} else {
				e.Args = append(e.Args, l.expr(c))
			}
		}
		return e
	case "list_comprehension", "set_comprehension", "generator_expression", "dictionary_comprehension":
		// The element expression with the iterated values standing in for
		// the loop variables: a comprehension over tainted data is tainted.
		e := &ir.Expr{Kind: ir.Collection, Pos: p}
		for _, c := range tsparse.Named(n) {
			switch c.Kind() {
			case "for_in_clause":
				e.Args = append(e.Args, l.expr(l.field(c, "right")))
			case "if_clause":
			case "pair":
				e.Args = append(e.Args, l.expr(l.field(c, "value")))
			default:
				e.Args = append(e.Args, l.expr(c))
			}
		}
		return e
	case "conditional_expression":
		kids := tsparse.Named(n)
		if len(kids) == 3 {
			return &ir.Expr{Kind: ir.Cond, Args: []*ir.Expr{l.expr(kids[1]), l.expr(kids[0]), l.expr(kids[2])}, Pos: p}
		}
	case "lambda":
		fn := &ir.Function{Params: l.params(l.field(n, "parameters")), Pos: p}
		fn.Body = []*ir.Stmt{{Kind: ir.Return, Rhs: []*ir.Expr{l.expr(l.field(n, "body"))}, Pos: p}}
		return &ir.Expr{Kind: ir.Func, Fn: fn, Pos: p}
	case "named_expression":
		return l.expr(l.field(n, "value"))
	case "keyword_argument":
		return &ir.Expr{Kind: ir.KeyValue, Name: l.text(l.field(n, "name")), X: l.expr(l.field(n, "value")), Pos: p}
	case "slice", "ellipsis":
		return &ir.Expr{Kind: ir.Unknown, Pos: p}
	}
	return &ir.Expr{Kind: ir.Unknown, Pos: p}
}

// comparison lowers `a op b`; chains (a < b < c) keep their first pair.
func (l *lowerer) comparison(n *sitter.Node) *ir.Expr {
	p := tsparse.Pos(n)
	var operands []*sitter.Node
	var op []string
	for i := uint(0); i < n.ChildCount(); i++ {
		c := n.Child(i)
		if c.IsNamed() {
			operands = append(operands, c)
			if len(operands) == 2 {
				break
			}
			continue
		}
		op = append(op, l.text(c))
	}
	if len(operands) < 2 {
		return &ir.Expr{Kind: ir.Unknown, Pos: p}
	}
	return &ir.Expr{Kind: ir.Binary, Name: strings.Join(op, " "), Args: []*ir.Expr{l.expr(operands[0]), l.expr(operands[1])}, Pos: p}
}

// str lowers a string literal; an f-string becomes a Format whose
// arguments alternate text and interpolated expressions.
func (l *lowerer) str(n *sitter.Node) *ir.Expr {
	p := tsparse.Pos(n)
	e := &ir.Expr{Kind: ir.Format, Pos: p}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			e.Args = append(e.Args, &ir.Expr{Kind: ir.StrLit, Value: lit.String(), Pos: p})
			lit.Reset()
		}
	}
	for i := uint(0); i < n.NamedChildCount(); i++ {
		c := n.NamedChild(i)
		switch c.Kind() {
		case "string_content":
			lit.WriteString(l.text(c))
		case "escape_sequence":
			lit.WriteString(tsparse.Unescape(l.text(c)))
		case "interpolation":
			flush()
			if x := l.field(c, "expression"); x != nil {
				e.Args = append(e.Args, l.expr(x))
			}
		}
	}
	flush()
	return collapse(e)
}

// collapse turns a Format of only literal text into a single StrLit.
func collapse(e *ir.Expr) *ir.Expr {
	var b strings.Builder
	for _, a := range e.Args {
		if a.Kind != ir.StrLit {
			return e
		}
		b.WriteString(a.Value)
	}
	return &ir.Expr{Kind: ir.StrLit, Value: b.String(), Pos: e.Pos}
}

// getattrConst lowers getattr(x, "name") with a constant name to the
// attribute access x.name it performs, so getattr(os, "system")(cmd) is
// the os.system call it is.
func getattrConst(c *ir.Expr) *ir.Expr {
	if c.X == nil || c.X.Kind != ir.Name || c.X.Name != "getattr" || len(c.Args) != 2 {
		return c
	}
	name, ok := ir.StringValue(c.Args[1])
	if !ok || !identifier.MatchString(name) || c.Args[0].Kind == ir.KeyValue {
		return c
	}
	return &ir.Expr{Kind: ir.Attr, Name: name, X: c.Args[0], Pos: c.Pos}
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
