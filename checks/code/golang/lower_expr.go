package golang

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"

	"github.com/wardenbot/warden/checks/code/ir"
)

func (l *lowerer) expr(e ast.Expr) *ir.Expr {
	if e == nil {
		return nil
	}
	l.depth++
	defer func() { l.depth-- }()
	p := l.pos(e)
	if l.depth > maxDepth {
		l.f.Truncate(p)
		return &ir.Expr{Kind: ir.Unknown, Pos: p}
	}
	switch e := e.(type) {
	case *ast.Ident:
		switch e.Name {
		case "true", "false":
			return &ir.Expr{Kind: ir.BoolLit, Value: e.Name, Pos: p}
		case "nil":
			return &ir.Expr{Kind: ir.NullLit, Pos: p}
		}
		return &ir.Expr{Kind: ir.Name, Name: l.resolve(e.Name), Pos: p}
	case *ast.BasicLit:
		switch e.Kind {
		case token.STRING, token.CHAR:
			v, err := strconv.Unquote(e.Value)
			if err != nil {
				v = e.Value
			}
			return &ir.Expr{Kind: ir.StrLit, Value: v, Pos: p}
		default:
			return &ir.Expr{Kind: ir.NumLit, Value: e.Value, Pos: p}
		}
	case *ast.SelectorExpr:
		return &ir.Expr{Kind: ir.Attr, Name: e.Sel.Name, X: l.expr(e.X), Pos: p}
	case *ast.CallExpr:
		c := &ir.Expr{Kind: ir.Call, X: l.expr(e.Fun), Pos: p}
		for _, a := range e.Args {
			c.Args = append(c.Args, l.expr(a))
		}
		return c
	case *ast.IndexExpr:
		return &ir.Expr{Kind: ir.Index, X: l.expr(e.X), Args: []*ir.Expr{l.expr(e.Index)}, Pos: p}
	case *ast.IndexListExpr:
		return l.expr(e.X) // generic instantiation
	case *ast.SliceExpr:
		return &ir.Expr{Kind: ir.Index, X: l.expr(e.X), Pos: p}
	case *ast.StarExpr:
		return &ir.Expr{Kind: ir.Unary, Name: "*", X: l.expr(e.X), Pos: p}
	case *ast.UnaryExpr:
		return &ir.Expr{Kind: ir.Unary, Name: e.Op.String(), X: l.expr(e.X), Pos: p}
	case *ast.BinaryExpr:
		return &ir.Expr{Kind: ir.Binary, Name: e.Op.String(), Args: []*ir.Expr{l.expr(e.X), l.expr(e.Y)}, Pos: p}
	case *ast.ParenExpr:
		return &ir.Expr{Kind: ir.Unary, Name: "()", X: l.expr(e.X), Pos: p}
	case *ast.TypeAssertExpr:
		return &ir.Expr{Kind: ir.Unary, Name: "()", X: l.expr(e.X), Pos: p}
	case *ast.CompositeLit:
		c := &ir.Expr{Kind: ir.Collection, Pos: p}
		if e.Type != nil {
			c.Name = types.ExprString(e.Type)
		}
		for _, el := range e.Elts {
			c.Args = append(c.Args, l.expr(el))
		}
		return c
	case *ast.KeyValueExpr:
		kv := &ir.Expr{Kind: ir.KeyValue, X: l.expr(e.Value), Pos: p}
		if id, ok := e.Key.(*ast.Ident); ok {
			kv.Name = id.Name
		} else {
			kv.Key = l.expr(e.Key)
			if s, ok := ir.StringValue(kv.Key); ok {
				kv.Name = s
			}
		}
		return kv
	case *ast.FuncLit:
		l.push() // parameters; the closure still sees enclosing variables
		defer l.pop()
		fn := &ir.Function{Params: l.params(e.Type), Pos: p}
		fn.Body = l.block(e.Body)
		return &ir.Expr{Kind: ir.Func, Fn: fn, Pos: p}
	}
	// Types used as values (conversions, make, new) carry nothing.
	return &ir.Expr{Kind: ir.Unknown, Pos: p}
}
