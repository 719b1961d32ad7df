package engine

import "github.com/wardenbot/warden/checks/code/ir"

// Post-processing of an analysis, and the policy for values of unknown
// origin (a parameter no caller in the file fills with request data,
// another module's global): weaker evidence than a request source, they
// are reported only where code builds a query or command from them, and
// give way to known sources at the same sink.

// dropMarkup removes HTML-string findings whose data also reaches a real
// sink, those built right in a logging call's arguments, and those built
// into a later HTML string (wrapped): one finding per flow, at the sink or
// the outermost string.
func dropMarkup(hits []Hit, logged map[*ir.Expr]bool, wrapped []ir.Pos) []Hit {
	sunk := map[*Source]bool{}
	for _, h := range hits {
		if !h.Markup {
			sunk[h.Src] = true
		}
	}
	within := func(p ir.Pos) bool {
		for _, w := range wrapped {
			if w.Start <= p.Start && p.End <= w.End {
				return true
			}
		}
		return false
	}
	out := hits[:0]
	for _, h := range hits {
		if h.Markup && (sunk[h.Src] || logged[h.Arg] || within(h.Pos)) {
			continue
		}
		out = append(out, h)
	}
	return out
}

// preferKnown drops a flow of unknown origin into a sink when a flow from
// a known source reaches the same sink (the helper's parameter finding is
// the same problem as the handler's), and keeps one unknown-origin flow
// per sink.
func preferKnown(hits []Hit) []Hit {
	type sink struct {
		rule string
		line int
	}
	known := map[sink]bool{}
	for _, h := range hits {
		if !h.Src.Unknown {
			known[sink{h.Rule, h.Pos.Line}] = true
		}
	}
	unknown := map[sink]bool{}
	out := hits[:0]
	for _, h := range hits {
		k := sink{h.Rule, h.Pos.Line}
		if h.Src.Unknown && (known[k] || unknown[k]) {
			continue
		}
		if h.Src.Unknown {
			unknown[k] = true
		}
		out = append(out, h)
	}
	return out
}

// definedNames are the names a file binds anywhere: assignment targets,
// functions, parameters and imports.
func definedNames(f *ir.File) map[string]bool {
	d := map[string]bool{}
	for name := range f.Imports {
		d[name] = true
	}
	var add func(e *ir.Expr)
	add = func(e *ir.Expr) {
		if e == nil {
			return
		}
		switch e.Kind {
		case ir.Name:
			d[e.Name] = true
		case ir.Collection, ir.KeyValue, ir.Unary:
			add(e.X)
			for _, a := range e.Args {
				add(a)
			}
		}
	}
	f.Inspect(func(e *ir.Expr, fn *ir.Function, s *ir.Stmt) {
		if fn != nil {
			d[fn.Name] = true
			for _, p := range fn.Params {
				d[p.Name] = true
			}
		}
		if s != nil && (s.Kind == ir.Assign || s.Kind == ir.Loop) {
			for _, l := range s.Lhs {
				add(l)
			}
		}
	})
	for _, fn := range f.Funcs {
		d[fn.Name] = true
	}
	return d
}

// reportUnknown decides whether a flow of unknown origin is worth a
// finding: in audit mode always; otherwise only into queries, commands and
// templates that the code builds by concatenation or formatting right
// there, and into evaluators and deserialisers. A parameter passed to a
// framework's escaping bypass is reported too (see report).
func (a *analyzer) reportUnknown(fr *frame, h Hit) bool {
	if a.audit {
		return true
	}
	switch h.Class {
	case Code, Deserialize:
		return true
	case SQL, Command, Template:
		arg := h.Arg
		for i := 0; i < 4 && arg != nil && arg.Kind == ir.Name; i++ {
			arg = fr.defs[arg.Name]
		}
		return builtString(a.f, arg)
	}
	return false
}

// printfLike are formatting functions whose first argument is the format.
var printfLike = map[string]bool{"fmt.Sprintf": true, "util.format": true}

// builtString reports concatenation, formatting or interpolation.
func builtString(f *ir.File, e *ir.Expr) bool {
	for e != nil && e.Kind == ir.Unary && e.Name == "()" {
		e = e.X
	}
	if e == nil {
		return false
	}
	switch e.Kind {
	case ir.Format:
		return true
	case ir.Binary:
		return e.Name == "+" || e.Name == "%"
	case ir.Call:
		if e.X != nil && e.X.Kind == ir.Attr && e.X.Name == "format" {
			return true
		}
		n := f.Callee(e)
		return printfLike[n] || n == "fmt.Sprint" || n == "strings.Join"
	}
	return false
}
