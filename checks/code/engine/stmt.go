package engine

import (
	"strings"

	"github.com/wardenbot/warden/checks/code/ir"
)

// execBlock runs statements in order; fr.exited tells whether the block
// always leaves (return, raise) at its end.
func (a *analyzer) execBlock(fr *frame, ss []*ir.Stmt) {
	fr.exited = false
	for _, s := range ss {
		if !a.step() {
			return
		}
		a.exec(fr, s)
	}
}

func (a *analyzer) exec(fr *frame, s *ir.Stmt) {
	switch s.Kind {
	case ir.ExprStmt:
		a.eval(fr, s.X)
		// abort(400), sys.exit(), log.Fatal(…) never return.
		fr.exited = s.X != nil && s.X.Kind == ir.Call && a.noReturn[a.f.Callee(s.X)]
	case ir.Assign:
		a.assign(fr, s)
		fr.exited = false
	case ir.Return:
		var t Taint
		for _, r := range s.Rhs {
			rt := a.eval(fr, r)
			a.checkReturn(fr, s, r, rt)
			t = union(t, rt)
		}
		fr.ret = union(fr.ret, t)
		fr.exited = true
	case ir.Exit:
		a.eval(fr, s.X)
		fr.exited = true
	case ir.If:
		a.execIf(fr, s)
	case ir.Loop:
		t := a.eval(fr, s.X)
		for _, l := range s.Lhs {
			a.bind(fr, l, t, s.X)
		}
		before := fr.env.clone()
		// Twice, so values assigned late in the body reach its start.
		a.execBlock(fr, s.Body)
		a.execBlock(fr, s.Body)
		fr.env = merge(before, fr.env)
		a.execBlock(fr, s.Else)
		fr.exited = false
	case ir.Block:
		a.execBlock(fr, s.Body)
		exited := fr.exited
		if len(s.Else) > 0 {
			a.execBlock(fr, s.Else)
			exited = false
		}
		fr.exited = exited
	case ir.FuncDecl:
		a.runClosure(fr, s.Fn)
		fr.exited = false
	}
}

// execIf runs both branches and joins them. A condition that validates a
// name (allow-list membership, prefix check, pattern match) makes it clean
// in the branch where the check passed, and after the if when the other
// branch leaves the function.
func (a *analyzer) execIf(fr *frame, s *ir.Stmt) {
	a.eval(fr, s.X)
	names, positive := a.validated(s.X)
	before := fr.env

	fr.env = before.clone()
	if positive {
		clean(fr.env, names)
	}
	a.execBlock(fr, s.Body)
	thenEnv, thenExit := fr.env, fr.exited

	fr.env = before.clone()
	if !positive {
		clean(fr.env, names)
	}
	a.execBlock(fr, s.Else)
	elseEnv, elseExit := fr.env, fr.exited

	switch {
	case thenExit && elseExit:
		fr.env, fr.exited = merge(thenEnv, elseEnv), true
	case thenExit:
		fr.env, fr.exited = elseEnv, false
	case elseExit:
		fr.env, fr.exited = thenEnv, false
	default:
		fr.env, fr.exited = merge(thenEnv, elseEnv), false
	}
}

func clean(e env, names []string) {
	for _, n := range names {
		e[n] = Taint{}
	}
}

// assign binds the right-hand values to the targets, and checks property
// sinks (element.innerHTML = …).
func (a *analyzer) assign(fr *frame, s *ir.Stmt) {
	rhs := make([]Taint, len(s.Rhs))
	var all Taint
	for i, r := range s.Rhs {
		rhs[i] = a.eval(fr, r)
		all = union(all, rhs[i])
	}
	for i, l := range s.Lhs {
		t, def := all, (*ir.Expr)(nil)
		if len(s.Lhs) == len(s.Rhs) {
			t, def = rhs[i], s.Rhs[i]
		}
		if s.Op != "=" && s.Op != ":=" && s.Op != "" {
			t = union(t, a.eval(fr, l))
			def = compoundDef(fr, l, s.Op, def)
		}
		a.checkProps(fr, s, l, t, def)
		a.bind(fr, l, t, def)
	}
}

// compoundDef is what `x += y` leaves in x: the earlier value of x joined
// with y, so a string grown piece by piece still shows how it begins and
// that it was built ("https://host/" then += path keeps its fixed host).
func compoundDef(fr *frame, l *ir.Expr, op string, rhs *ir.Expr) *ir.Expr {
	if l.Kind != ir.Name || rhs == nil || (op != "+=" && op != "%=") || fr.defs[l.Name] == nil {
		return rhs
	}
	return &ir.Expr{Kind: ir.Binary, Name: op[:1], Args: []*ir.Expr{fr.defs[l.Name], rhs}, Pos: rhs.Pos}
}

// bind stores a value in a target: a name, a dotted path, an element of a
// container (which taints the container), or a destructuring pattern.
func (a *analyzer) bind(fr *frame, l *ir.Expr, t Taint, def *ir.Expr) {
	if l == nil {
		return
	}
	switch l.Kind {
	case ir.Name:
		fr.env[l.Name] = t
		fr.defs[l.Name] = def
	case ir.Attr:
		if d := ir.Dotted(l); d != "" {
			fr.env[d] = t
		}
		// The object now holds the value: returning or passing it on
		// carries the field along (c.Value = v; return c).
		if t.Tainted() {
			if base := ir.Dotted(l.X); base != "" && l.X.Kind != ir.Call {
				fr.env[base] = union(fr.env[base], t)
			}
		}
	case ir.Index:
		if d := ir.Dotted(l.X); d != "" && t.Tainted() {
			fr.env[d] = union(fr.env[d], t)
		}
	case ir.Collection:
		for _, el := range l.Args {
			a.bind(fr, el, t, nil)
		}
	case ir.KeyValue:
		a.bind(fr, l.X, t, nil)
	case ir.Unary:
		a.bind(fr, l.X, t, nil) // *rest, ...rest
	}
}

// checkProps reports tainted values assigned to sink properties.
func (a *analyzer) checkProps(fr *frame, s *ir.Stmt, l *ir.Expr, t Taint, def *ir.Expr) {
	if !t.Tainted() || len(a.props) == 0 {
		return
	}
	var cands []int
	if l.Kind == ir.Attr {
		cands = append(cands, a.props[l.Name]...)
	}
	if q := a.f.Qualified(l); q != "" {
		cands = append(cands, a.props[q]...)
	}
	if l.Kind == ir.Index && len(l.Args) == 1 {
		if k, ok := ir.StringValue(l.Args[0]); ok {
			cands = append(cands, a.props["["+strings.ToLower(k)+"]"]...)
		}
	}
	for _, i := range cands {
		p := &a.spec.Props[i]
		if !t.reaches(p.Class) {
			continue
		}
		if p.HostFixed && def != nil {
			if t = a.destinationTaint(fr, def, t); !t.reaches(p.Class) {
				continue
			}
		}
		a.report(fr, Hit{Rule: p.Rule, Class: p.Class, Arg: def, SinkName: a.f.Text(l.Pos), Pos: s.Pos}, t)
		return
	}
}
