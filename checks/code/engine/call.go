package engine

import (
	"strings"

	"github.com/wardenbot/warden/checks/code/ir"
)

// evalCall computes a call's result: a source, a sanitised value, a helper's
// summarised result, or by default everything that went in.
func (a *analyzer) evalCall(fr *frame, call *ir.Expr) Taint {
	if src := a.source(fr, call); src != nil {
		var recv Taint
		if call.X != nil && call.X.Kind == ir.Attr {
			recv = a.eval(fr, call.X.X)
		}
		args := make([]Taint, len(call.Args))
		for i, arg := range call.Args {
			args[i] = a.evalArg(fr, call, i, arg, recv)
		}
		a.checkSinks(fr, call, a.f.Callee(call), args)
		t := Taint{Src: src, Cleared: src.Safe}
		if a.spec.Cleans != nil {
			t.Cleared |= a.spec.Cleans(a.f, call) // req.body.name.replace(/\.\./g, "")
		}
		a.storeOutParams(fr, call, t)
		return t
	}
	name := a.calleeName(fr, call)

	// The receiver of a method call flows into the result: q.Get("x") of a
	// tainted q is tainted.
	var recv Taint
	if call.X != nil && (call.X.Kind == ir.Attr || call.X.Kind == ir.Index) {
		recv = a.eval(fr, call.X.X)
	} else if call.X != nil && call.X.Kind != ir.Name {
		recv = a.eval(fr, call.X)
	}
	args := make([]Taint, len(call.Args))
	var all Taint
	for i, arg := range call.Args {
		args[i] = a.evalArg(fr, call, i, arg, recv)
		all = union(all, args[i])
	}

	if a.checkSinks(fr, call, name, args) {
		// What a query, command, file read or fetch returns is not the
		// caller's text any more; following it only repeats the finding.
		return Taint{}
	}

	if idx := a.sanitizers.lookup(name); len(idx) > 0 {
		var clears Class
		for _, i := range idx {
			clears |= a.spec.Sanitizers[i].Clears
		}
		if clears == All {
			return Taint{}
		}
		t := union(recv, all)
		t.Cleared |= clears
		return t
	}

	if a.spec.Cleans != nil {
		if c := a.spec.Cleans(a.f, call); c != 0 {
			t := union(recv, all)
			t.Cleared |= c
			return t
		}
	}

	if call.X != nil && call.X.Kind == ir.Attr && (call.X.Name == "format" || call.X.Name == "concat") {
		// "<a href='{}'>".format(v), or link.format(v) with link = "<a …>";
		// JavaScript's html.concat(v) with html = "<h1>".
		if fs := fr.resolve(call.X.X); fs != nil {
			if _, lit := ir.StringValue(fs); lit {
				a.checkMarkup(fr, &ir.Expr{Kind: ir.Format, Args: append([]*ir.Expr{fs}, call.Args...), Pos: call.Pos}, union(recv, all))
			}
		}
	}
	if printfLike[name] && len(args) > 1 {
		// util.format("<div>%s</div>", v)
		if _, lit := ir.StringValue(ir.Positional(call, 0)); lit {
			a.checkMarkup(fr, &ir.Expr{Kind: ir.Format, Args: call.Args, Pos: call.Pos}, union(recv, all))
		}
	}
	if a.loggers[name] {
		for _, arg := range call.Args {
			a.logged[arg] = true
		}
	}
	if a.spec.CallResult != nil {
		if t, ok := a.spec.CallResult(a.f, call, args); ok {
			return t
		}
	}

	if fn := a.helper(fr, call); fn != nil {
		return a.applySummary(fr, call, fn, args)
	}

	result := union(recv, all)
	a.storeOutParams(fr, call, result)
	if call.X != nil && call.X.Kind == ir.Attr && a.mutators[call.X.Name] && all.Tainted() {
		// list.append(x), sb.WriteString(x): the container now holds x.
		if d := ir.Dotted(call.X.X); d != "" && call.X.X.Kind != ir.Call {
			fr.env[d] = union(fr.env[d], all)
		}
	}
	return result
}

// evalArg evaluates a call's i-th argument. The callback of
// items.forEach(item => …) runs with its first parameter holding an element
// of the receiver.
func (a *analyzer) evalArg(fr *frame, call *ir.Expr, i int, arg *ir.Expr, recv Taint) Taint {
	if i == 0 && arg.Kind == ir.Func && recv.Tainted() && call.X != nil && call.X.Kind == ir.Attr && a.iterators[call.X.Name] {
		a.runClosure(fr, arg.Fn, recv)
		return Taint{}
	}
	return a.eval(fr, arg)
}

// calleeName is the call's qualified name; a method on an object that a
// sink or sanitiser table names by its constructor is named that way:
// `c = code.InteractiveConsole(); c.push(src)` is
// "code.InteractiveConsole().push", as if written in one expression. The
// object may be local or assigned at the top level (`const vm = new VM()`).
func (a *analyzer) calleeName(fr *frame, call *ir.Expr) string {
	name := a.f.Callee(call)
	x := call.X
	if x == nil || x.Kind != ir.Attr || x.X == nil || x.X.Kind != ir.Name {
		return name
	}
	if _, imported := a.f.Imports[x.X.Name]; imported {
		return name
	}
	d := fr.defs[x.X.Name]
	if d == nil {
		d = a.moduleDefs[x.X.Name] // const page = Hogan.compile(…) at the top level
	}
	if d == nil || d.Kind != ir.Call {
		return name
	}
	ctor := a.f.Callee(d)
	if ctor == "" {
		return name
	}
	alt := ctor + "()." + x.Name
	if len(a.sinks.exact[alt]) > 0 || len(a.sanitizers.exact[alt]) > 0 {
		return alt
	}
	return name
}

// storeOutParams taints variables passed by address (&v) to a call whose
// data is tainted: json.NewDecoder(r.Body).Decode(&v), c.Bind(&v).
func (a *analyzer) storeOutParams(fr *frame, call *ir.Expr, t Taint) {
	if !t.Tainted() {
		return
	}
	for _, arg := range call.Args {
		if arg.Kind == ir.Unary && arg.Name == "&" {
			if d := ir.Dotted(arg.X); d != "" {
				fr.env[d] = union(fr.env[d], t)
			}
		}
	}
}

// checkSinks reports tainted arguments of a sink call; it returns whether
// the call is a sink at all.
func (a *analyzer) checkSinks(fr *frame, call *ir.Expr, name string, args []Taint) bool {
	idx := a.sinks.lookup(name)
	if len(idx) == 0 {
		return false
	}
	matched := false
	for _, i := range idx {
		s := &a.spec.Sinks[i]
		if s.When != nil && !s.When(a.f, fr.fn, call) {
			continue
		}
		matched = true
		for _, arg := range a.sinkArgs(fr, s, call) {
			t := a.argTaint(fr, call, arg, args)
			if !t.reaches(s.Class) {
				continue
			}
			switch {
			case s.HostFixed:
				t = a.destinationTaint(fr, arg, t)
			case s.Program:
				t = a.programTaint(fr, arg, t)
			}
			if !t.reaches(s.Class) {
				continue
			}
			h := Hit{Rule: s.Rule, Class: s.Class, Call: call, Arg: arg, SinkName: a.f.Text(call.X.Pos), Pos: call.Pos, Bypass: s.Bypass, RequestOnly: s.RequestOnly}
			if arg.Kind == ir.Name {
				h.ArgDef = fr.defs[arg.Name]
			}
			if s.Class&(SQL|Command|Code|Template) != 0 && notText(a.f, fr.resolve(arg)) {
				continue // a struct, slice or map is not query or command text
			}
			if a.report(fr, h, t) {
				break
			}
		}
	}
	return matched
}

// sinkArgs lists the argument expressions a sink checks.
func (a *analyzer) sinkArgs(fr *frame, s *Sink, call *ir.Expr) []*ir.Expr {
	if s.Arg != nil {
		return s.Arg(a.f, fr.fn, call)
	}
	var out []*ir.Expr
	if s.Args == nil {
		for _, arg := range call.Args {
			if arg.Kind != ir.KeyValue {
				out = append(out, arg)
			}
		}
	} else {
		for _, i := range s.Args {
			if arg := ir.Positional(call, i); arg != nil {
				out = append(out, arg)
			}
		}
	}
	for _, k := range s.Keywords {
		if v := ir.Keyword(call, k); v != nil {
			out = append(out, v)
		}
	}
	return out
}

// argTaint finds the already computed taint of one of the call's argument
// expressions, evaluating nested expressions a sink picked itself.
func (a *analyzer) argTaint(fr *frame, call *ir.Expr, arg *ir.Expr, args []Taint) Taint {
	for i, x := range call.Args {
		if x == arg {
			return args[i]
		}
		if x.Kind == ir.KeyValue && x.X == arg {
			return args[i]
		}
	}
	return a.eval(fr, arg)
}

// helper resolves a call to a function defined in the same file: a plain
// call `f(x)` or a method on the receiver `self.f(x)`.
func (a *analyzer) helper(fr *frame, call *ir.Expr) *ir.Function {
	switch x := call.X; {
	case x == nil:
		return nil
	case x.Kind == ir.Name:
		if _, imported := a.f.Imports[x.Name]; imported {
			return nil
		}
		return a.byName[x.Name]
	case x.Kind == ir.Attr && x.X != nil && x.X.Kind == ir.Name && (a.isSelf(x.X.Name) || (fr.fn.Self != "" && x.X.Name == fr.fn.Self)):
		return a.byName[x.Name]
	}
	return nil
}

// notText recognises values that cannot be text: Go composite literals
// with a type, and make/new results. A method that happens to share a
// sink's name (store.Query(ctx, keys)) then does not count.
func notText(f *ir.File, e *ir.Expr) bool {
	for e != nil && e.Kind == ir.Unary && (e.Name == "&" || e.Name == "()") {
		e = e.X
	}
	if e == nil {
		return false
	}
	switch e.Kind {
	case ir.Collection:
		switch e.Name {
		case "", "dict", "object", "jsx":
			return false
		}
		return !strings.HasPrefix(e.Name, "[]string") && e.Name != "string"
	case ir.Call:
		if e.X != nil && e.X.Kind == ir.Name && (e.X.Name == "make" || e.X.Name == "new") && f.Lang == "go" {
			return true
		}
	}
	return false
}
