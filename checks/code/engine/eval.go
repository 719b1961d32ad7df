package engine

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/wardenbot/warden/checks/code/ir"
)

// eval computes the taint of an expression, reporting sinks it contains.
func (a *analyzer) eval(fr *frame, e *ir.Expr) Taint {
	if e == nil || !a.step() {
		return Taint{}
	}
	switch e.Kind {
	case ir.StrLit, ir.NumLit, ir.BoolLit, ir.NullLit, ir.Unknown:
		return Taint{}
	case ir.Name:
		if src := a.source(fr, e); src != nil {
			return Taint{Src: src, Cleared: src.Safe}
		}
		if t, ok := fr.env[e.Name]; ok {
			return t
		}
		if t, ok := a.moduleEnv[e.Name]; ok {
			return t
		}
		return a.freeName(e)
	case ir.Attr, ir.Index:
		if src := a.source(fr, e); src != nil {
			a.evalArgs(fr, e.Args) // index expressions may contain calls
			return Taint{Src: src, Cleared: src.Safe}
		}
		if d := ir.Dotted(e); d != "" {
			if t, ok := fr.env[d]; ok {
				return t
			}
		}
		t := a.eval(fr, e.X)
		for _, arg := range e.Args {
			a.eval(fr, arg) // the index itself does not taint the element
		}
		return t
	case ir.Call:
		return a.evalCall(fr, e)
	case ir.Binary:
		var t Taint
		for _, arg := range e.Args {
			t = union(t, a.eval(fr, arg))
		}
		if isPredicate(e.Name) {
			return Taint{} // comparisons yield booleans
		}
		if e.Name == "+" || e.Name == "%" {
			a.checkMarkup(fr, e, t)
		}
		return t
	case ir.Unary:
		t := a.eval(fr, e.X)
		switch e.Name {
		case "!", "not", "typeof", "-", "+", "~", "delete", "void":
			return Taint{}
		}
		return t
	case ir.Format, ir.Collection:
		var t Taint
		for _, arg := range e.Args {
			t = union(t, a.eval(fr, arg))
		}
		if e.Kind == ir.Format {
			a.checkMarkup(fr, e, t)
		}
		return t
	case ir.KeyValue:
		a.eval(fr, e.Key)
		return a.eval(fr, e.X)
	case ir.Cond:
		if len(e.Args) == 3 {
			a.eval(fr, e.Args[0])
			return union(a.eval(fr, e.Args[1]), a.eval(fr, e.Args[2]))
		}
		return Taint{}
	case ir.Func:
		a.runClosure(fr, e.Fn)
		return Taint{}
	}
	return Taint{}
}

func isPredicate(op string) bool {
	switch op {
	case "==", "!=", "===", "!==", "<", ">", "<=", ">=", "in", "not in", "is", "is not", "instanceof":
		return true
	}
	return false
}

func (a *analyzer) evalArgs(fr *frame, args []*ir.Expr) {
	for _, arg := range args {
		a.eval(fr, arg)
	}
}

func (a *analyzer) source(fr *frame, e *ir.Expr) *Source {
	if a.spec.Source == nil {
		return nil
	}
	// A local variable shadows an import or framework global of the same
	// name only when the program assigned it.
	if r := ir.Root(e); r != nil {
		if _, local := fr.env[r.Name]; local && r == e {
			return nil
		}
	}
	return a.spec.Source(a.f, fr.fn, e)
}

// runClosure analyses a function literal with the enclosing variables in
// scope: an Express handler sees what its parent computed.
// Seeds, if given, are the values of its first parameters.
func (a *analyzer) runClosure(fr *frame, fn *ir.Function, seeds ...Taint) {
	if fn == nil || !a.step() {
		return
	}
	inner := a.newFrame(fn, fr.env.clone(), fr.sum)
	for i, t := range seeds {
		if i < len(fn.Params) {
			inner.env[fn.Params[i].Name] = t
		}
	}
	inner.placeholder = fr.placeholder
	for k, v := range fr.defs {
		inner.defs[k] = v
	}
	a.execBlock(inner, fn.Body)
}

// freeName gives a name the file never binds an unknown origin (FreeNames
// languages only): a snippet's variable, another module's global. Names
// that look like constants or classes (Capitalised) and dunders do not
// count.
func (a *analyzer) freeName(e *ir.Expr) Taint {
	if a.defined == nil || a.defined[e.Name] || e.Name == "" {
		return Taint{}
	}
	if c := e.Name[0]; c >= 'A' && c <= 'Z' || c == '_' || c == '$' {
		return Taint{}
	}
	return Taint{Src: &Source{Desc: fmt.Sprintf("`%s`", e.Name), Line: e.Pos.Line, Unknown: true}}
}

// markupRe finds an HTML tag in literal text.
var markupRe = regexp.MustCompile(`<[a-zA-Z][a-zA-Z0-9]*[\s>/]|<[a-zA-Z]+$`)

// checkMarkup reports network data built into a literal HTML fragment.
func (a *analyzer) checkMarkup(fr *frame, e *ir.Expr, t Taint) {
	if !a.spec.HTMLStrings || !t.reaches(HTML) || t.Src.Unknown || t.Src.Weak {
		return
	}
	text := literalText(e, 0)
	if e.Kind == ir.Binary && e.Name == "%" && len(e.Args) == 2 {
		text += literalText(fr.resolve(e.Args[0]), 0) // link % value, link = "<a …>"
	}
	if !markupRe.MatchString(text) {
		return
	}
	a.noteWrapped(fr, e, 0)
	a.report(fr, Hit{Rule: "xss", Class: HTML, Arg: e, SinkName: "an HTML string", Pos: e.Pos, Markup: true}, t)
}

// noteWrapped records the definitions of the variables an HTML string is
// built from: markup reported inside them is part of this one.
func (a *analyzer) noteWrapped(fr *frame, e *ir.Expr, depth int) {
	if e == nil || depth > 16 {
		return
	}
	switch e.Kind {
	case ir.Name:
		if d := fr.defs[e.Name]; d != nil {
			a.wrapped = append(a.wrapped, d.Pos)
		}
	case ir.Binary, ir.Format:
		for _, x := range e.Args {
			a.noteWrapped(fr, x, depth+1)
		}
	case ir.Unary:
		a.noteWrapped(fr, e.X, depth+1)
	}
}

// literalText joins the literal parts of a built string.
func literalText(e *ir.Expr, depth int) string {
	if e == nil || depth > 16 {
		return ""
	}
	switch e.Kind {
	case ir.StrLit:
		return e.Value
	case ir.Binary, ir.Format:
		var b strings.Builder
		for _, x := range e.Args {
			b.WriteString(literalText(x, depth+1))
			b.WriteByte(' ')
		}
		return b.String()
	case ir.Unary:
		return literalText(e.X, depth+1)
	}
	return ""
}
