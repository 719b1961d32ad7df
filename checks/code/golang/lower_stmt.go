package golang

import (
	"go/ast"
	"go/token"

	"github.com/wardenbot/warden/checks/code/ir"
)

// maxDepth bounds recursion on pathological nesting.
const maxDepth = 500

func (l *lowerer) stmts(list []ast.Stmt) []*ir.Stmt {
	var out []*ir.Stmt
	for _, s := range list {
		out = append(out, l.stmt(s)...)
	}
	return out
}

func (l *lowerer) block(b *ast.BlockStmt) []*ir.Stmt {
	if b == nil {
		return nil
	}
	l.push()
	defer l.pop()
	return l.stmts(b.List)
}

func (l *lowerer) stmt(s ast.Stmt) []*ir.Stmt {
	if s == nil {
		return nil
	}
	l.depth++
	defer func() { l.depth-- }()
	p := l.pos(s)
	if l.depth > maxDepth {
		l.f.Truncate(p)
		return nil
	}
	switch s := s.(type) {
	case *ast.ExprStmt:
		x := l.expr(s.X)
		if isExitCall(s.X) {
			return []*ir.Stmt{{Kind: ir.Exit, X: x, Pos: p}}
		}
		return []*ir.Stmt{{Kind: ir.ExprStmt, X: x, Pos: p}}
	case *ast.AssignStmt:
		st := &ir.Stmt{Kind: ir.Assign, Op: s.Tok.String(), Pos: p}
		for _, e := range s.Rhs {
			st.Rhs = append(st.Rhs, l.expr(e)) // before the left side declares: x := x + 1
		}
		for _, e := range s.Lhs {
			if id, ok := e.(*ast.Ident); ok && s.Tok == token.DEFINE {
				st.Lhs = append(st.Lhs, &ir.Expr{Kind: ir.Name, Name: l.declare(id.Name), Pos: l.pos(id)})
				continue
			}
			st.Lhs = append(st.Lhs, l.expr(e))
		}
		return []*ir.Stmt{st}
	case *ast.DeclStmt:
		if gd, ok := s.Decl.(*ast.GenDecl); ok {
			return l.genDecl(gd)
		}
	case *ast.ReturnStmt:
		st := &ir.Stmt{Kind: ir.Return, Pos: p}
		for _, e := range s.Results {
			st.Rhs = append(st.Rhs, l.expr(e))
		}
		return []*ir.Stmt{st}
	case *ast.BranchStmt:
		if s.Tok == token.FALLTHROUGH {
			return nil
		}
		return []*ir.Stmt{{Kind: ir.Exit, Pos: p}}
	case *ast.BlockStmt:
		return []*ir.Stmt{{Kind: ir.Block, Body: l.block(s), Pos: p}}
	case *ast.IfStmt:
		// The init's variables live in the if's own scope; lowered
		// inside a Block so they do not leak into what follows.
		l.push()
		defer l.pop()
		init := l.stmt(s.Init)
		st := &ir.Stmt{Kind: ir.If, X: l.expr(commaOKLookup(s.Init, s.Cond)), Body: l.block(s.Body), Pos: p}
		if s.Else != nil {
			st.Else = l.stmt(s.Else)
		}
		return append(init, st)
	case *ast.ForStmt:
		l.push()
		defer l.pop()
		init := l.stmt(s.Init)
		body := l.block(s.Body)
		body = append(body, l.stmt(s.Post)...)
		st := &ir.Stmt{Kind: ir.Loop, Body: body, Pos: p}
		if s.Cond != nil {
			body = append([]*ir.Stmt{{Kind: ir.ExprStmt, X: l.expr(s.Cond), Pos: l.pos(s.Cond)}}, body...)
			st.Body = body
		}
		return append(init, st)
	case *ast.RangeStmt:
		st := &ir.Stmt{Kind: ir.Loop, X: l.expr(s.X), Pos: p}
		l.push()
		defer l.pop()
		target := s.Value
		if target == nil {
			target = s.Key
		}
		if id, ok := target.(*ast.Ident); ok && s.Tok == token.DEFINE {
			if s.Key != nil && s.Key != target {
				if k, ok := s.Key.(*ast.Ident); ok {
					l.declare(k.Name)
				}
			}
			st.Lhs = append(st.Lhs, &ir.Expr{Kind: ir.Name, Name: l.declare(id.Name), Pos: l.pos(id)})
		} else if target != nil {
			st.Lhs = append(st.Lhs, l.expr(target))
		}
		st.Body = l.block(s.Body)
		return []*ir.Stmt{st}
	case *ast.SwitchStmt:
		l.push()
		defer l.pop()
		init := l.stmt(s.Init)
		st := &ir.Stmt{Kind: ir.Block, Pos: p}
		if s.Tag != nil {
			st.Body = append(st.Body, &ir.Stmt{Kind: ir.ExprStmt, X: l.expr(s.Tag), Pos: l.pos(s.Tag)})
		}
		st.Body = append(st.Body, l.clauses(s.Body)...)
		return append(init, st)
	case *ast.TypeSwitchStmt:
		l.push()
		defer l.pop()
		init := l.stmt(s.Init)
		st := &ir.Stmt{Kind: ir.Block, Body: l.stmt(s.Assign), Pos: p}
		st.Body = append(st.Body, l.clauses(s.Body)...)
		return append(init, st)
	case *ast.SelectStmt:
		return []*ir.Stmt{{Kind: ir.Block, Body: l.clauses(s.Body), Pos: p}}
	case *ast.LabeledStmt:
		return l.stmt(s.Stmt)
	case *ast.GoStmt:
		return []*ir.Stmt{{Kind: ir.ExprStmt, X: l.expr(s.Call), Pos: p}}
	case *ast.DeferStmt:
		return []*ir.Stmt{{Kind: ir.ExprStmt, X: l.expr(s.Call), Pos: p}}
	case *ast.SendStmt:
		return []*ir.Stmt{{Kind: ir.ExprStmt, X: l.expr(s.Value), Pos: p}}
	case *ast.IncDecStmt:
		return nil
	}
	return nil
}

// clauses lowers the cases of a switch or select. Each case runs as its own
// branch: they are nested as if/else so their variables are joined.
func (l *lowerer) clauses(b *ast.BlockStmt) []*ir.Stmt {
	if b == nil {
		return nil
	}
	var out []*ir.Stmt
	for _, c := range b.List {
		switch c := c.(type) {
		case *ast.CaseClause:
			st := &ir.Stmt{Kind: ir.If, Pos: l.pos(c)}
			if len(c.List) > 0 {
				st.X = l.expr(c.List[0])
			}
			l.push()
			st.Body = l.stmts(c.Body)
			l.pop()
			out = append(out, st)
		case *ast.CommClause:
			l.push()
			body := l.stmt(c.Comm)
			body = append(body, l.stmts(c.Body)...)
			l.pop()
			out = append(out, &ir.Stmt{Kind: ir.If, Pos: l.pos(c), Body: body})
		}
	}
	return out
}

// isExitCall reports calls that never return: panic, log.Fatal, os.Exit.
func isExitCall(e ast.Expr) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	switch fn := call.Fun.(type) {
	case *ast.Ident:
		return fn.Name == "panic"
	case *ast.SelectorExpr:
		if x, ok := fn.X.(*ast.Ident); ok {
			switch x.Name + "." + fn.Sel.Name {
			case "os.Exit", "log.Fatal", "log.Fatalf", "log.Fatalln", "log.Panic", "log.Panicf":
				return true
			}
		}
	}
	return false
}

// commaOKLookup reads `if _, ok := allowed[k]; ok` as `if allowed[k]`, the
// membership test it is, so the engine sees k checked against allowed
// (likewise !ok). Any other condition is returned as it is.
func commaOKLookup(init ast.Stmt, cond ast.Expr) ast.Expr {
	as, ok := init.(*ast.AssignStmt)
	if !ok || len(as.Lhs) != 2 || len(as.Rhs) != 1 {
		return cond
	}
	okName, isIdent := as.Lhs[1].(*ast.Ident)
	lookup, isIndex := as.Rhs[0].(*ast.IndexExpr)
	if !isIdent || !isIndex {
		return cond
	}
	switch c := cond.(type) {
	case *ast.Ident:
		if c.Name == okName.Name {
			return lookup
		}
	case *ast.UnaryExpr:
		if id, isIdent := c.X.(*ast.Ident); isIdent && c.Op == token.NOT && id.Name == okName.Name {
			return &ast.UnaryExpr{OpPos: c.OpPos, Op: token.NOT, X: lookup}
		}
	}
	return cond
}
