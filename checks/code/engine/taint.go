package engine

import "github.com/wardenbot/warden/checks/code/ir"

// Taint is the state of one value: clean when Src is nil, otherwise carrying
// data from Src, already made safe for the classes in Cleared.
type Taint struct {
	Src     *Source
	Cleared Class
	// Via names the same-file helpers the data went through, outermost
	// first, for the message.
	Via []string
}

// Tainted reports whether the value carries untrusted data.
func (t Taint) Tainted() bool { return t.Src != nil }

// reaches reports whether the value is dangerous for a sink class.
func (t Taint) reaches(c Class) bool { return t.Src != nil && t.Cleared&c == 0 }

// union merges two values that flow into one: the result is dangerous for a
// class when either input is.
func union(a, b Taint) Taint { return Union(a, b) }

// Union is union for spec functions that compute results themselves.
func Union(a, b Taint) Taint {
	switch {
	case a.Src == nil:
		return b
	case b.Src == nil:
		return a
	}
	// Report the strongest source: network, then local input, then
	// unknown origin.
	if rank(b.Src) < rank(a.Src) {
		a, b = b, a
	}
	a.Cleared &= b.Cleared
	return a
}

// env maps variable names, and dotted paths like self.name, to values.
type env map[string]Taint

func (e env) clone() env {
	c := make(env, len(e))
	for k, v := range e {
		c[k] = v
	}
	return c
}

// merge joins the environments of two branches.
func merge(a, b env) env {
	out := a.clone()
	for k, v := range b {
		out[k] = union(out[k], v)
	}
	return out
}

// Hit is one flow of untrusted data into a sink.
type Hit struct {
	Rule  string
	Class Class
	Src   *Source
	Via   []string
	// Call is the sink call (nil for a property assignment or a return).
	Call *ir.Expr
	// Arg is the argument expression that carried the data.
	Arg *ir.Expr
	// ArgDef is what a variable argument was built from, when known.
	ArgDef *ir.Expr
	// Markup marks a flow into an HTML string being built rather than into
	// a sink call; it is dropped when the same data reaches a real sink.
	Markup bool
	// Bypass and RequestOnly copy the sink's.
	Bypass, RequestOnly bool
	// SinkName is the sink as written ("db.Query", "element.innerHTML").
	SinkName string
	Pos      ir.Pos
	Fn       *ir.Function
}

func rank(s *Source) int {
	switch {
	case s.Unknown:
		return 2
	case s.Weak:
		return 1
	}
	return 0
}
