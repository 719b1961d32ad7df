package ir

// Visitor receives every expression of a file together with the function it
// appears in and, for expressions directly under an assignment, that
// statement (pattern rules look at `x.InsecureSkipVerify = true`).
type Visitor func(e *Expr, fn *Function, stmt *Stmt)

// Inspect visits every expression of the file once, function literals
// included, in source order.
func (f *File) Inspect(v Visitor) {
	seen := map[*Function]bool{}
	var walkFn func(fn *Function)
	var walkStmts func(ss []*Stmt, fn *Function)
	var walkExpr func(e *Expr, fn *Function, s *Stmt, depth int)
	walkExpr = func(e *Expr, fn *Function, s *Stmt, depth int) {
		if e == nil || depth > 200 {
			return
		}
		v(e, fn, s)
		walkExpr(e.X, fn, s, depth+1)
		walkExpr(e.Key, fn, s, depth+1)
		for _, a := range e.Args {
			walkExpr(a, fn, s, depth+1)
		}
		if e.Fn != nil {
			walkFn(e.Fn)
		}
	}
	walkStmts = func(ss []*Stmt, fn *Function) {
		for _, s := range ss {
			walkExpr(s.X, fn, s, 0)
			for _, e := range s.Lhs {
				walkExpr(e, fn, s, 0)
			}
			for _, e := range s.Rhs {
				walkExpr(e, fn, s, 0)
			}
			walkStmts(s.Body, fn)
			walkStmts(s.Else, fn)
			if s.Fn != nil {
				walkFn(s.Fn)
			}
		}
	}
	walkFn = func(fn *Function) {
		if fn == nil || seen[fn] {
			return
		}
		seen[fn] = true
		for _, d := range fn.Decorators {
			walkExpr(d, fn, nil, 0)
		}
		for _, p := range fn.Params {
			walkExpr(p.Default, fn, nil, 0)
		}
		walkStmts(fn.Body, fn)
	}
	walkFn(f.Module)
	for _, fn := range f.Funcs {
		walkFn(fn)
	}
}
