package ir

import "strings"

// Dotted renders a member chain as a dotted path: `a.b.c` for Attr
// chains, with "()" after a call and "[]" after an index, so
// `r.URL.Query().Get` becomes "r.URL.Query().Get". Anything else gives "".
func Dotted(e *Expr) string {
	var b strings.Builder
	if !dotted(&b, e, 0) {
		return ""
	}
	return b.String()
}

func dotted(b *strings.Builder, e *Expr, depth int) bool {
	if e == nil || depth > 32 {
		return false
	}
	switch e.Kind {
	case Name:
		b.WriteString(e.Name)
		return true
	case Attr:
		if !dotted(b, e.X, depth+1) {
			return false
		}
		b.WriteByte('.')
		b.WriteString(e.Name)
		return true
	case Call:
		if !dotted(b, e.X, depth+1) {
			return false
		}
		b.WriteString("()")
		return true
	case Index:
		if !dotted(b, e.X, depth+1) {
			return false
		}
		b.WriteString("[]")
		return true
	case Unary:
		// await x, (x), *x: look through.
		return dotted(b, e.X, depth+1)
	}
	return false
}

// Root is the identifier a member chain starts from, or nil.
func Root(e *Expr) *Expr {
	for i := 0; e != nil && i < 64; i++ {
		switch e.Kind {
		case Name:
			return e
		case Attr, Call, Index, Unary:
			e = e.X
		default:
			return nil
		}
	}
	return nil
}

// Qualified resolves the first segment of a dotted path through the file's
// imports: with `import subprocess as sp`, `sp.run` becomes
// "subprocess.run"; with Go's `import "os/exec"`, `exec.Command` becomes
// "os/exec.Command". Names that are not imports stay as they are.
func (f *File) Qualified(e *Expr) string {
	d := Dotted(e)
	if d == "" {
		return ""
	}
	head, rest, _ := strings.Cut(d, ".")
	if i := strings.IndexAny(head, "(["); i >= 0 {
		head, rest = d[:i], d[i:]
		if imp, ok := f.Imports[head]; ok {
			return imp + rest
		}
		return d
	}
	if imp, ok := f.Imports[head]; ok {
		if rest == "" {
			return imp
		}
		return imp + "." + rest
	}
	return d
}

// Callee is the qualified name of the function a call invokes.
func (f *File) Callee(call *Expr) string {
	if call == nil || call.Kind != Call {
		return ""
	}
	return f.Qualified(call.X)
}

// Positional returns a call's i-th positional argument (keyword arguments
// and spreads are skipped), or nil.
func Positional(call *Expr, i int) *Expr {
	n := 0
	for _, a := range call.Args {
		if a.Kind == KeyValue {
			continue
		}
		if n == i {
			return a
		}
		n++
	}
	return nil
}

// Keyword returns the value of a call's keyword argument, or of a
// collection's key, named name, or nil.
func Keyword(e *Expr, name string) *Expr {
	if e == nil {
		return nil
	}
	for _, a := range e.Args {
		if a.Kind == KeyValue && a.Name == name {
			return a.X
		}
	}
	return nil
}

// StringValue returns the value of a string literal, looking through
// parentheses; ok is false for anything else.
func StringValue(e *Expr) (string, bool) {
	for e != nil && e.Kind == Unary && e.Name == "()" {
		e = e.X
	}
	if e == nil || e.Kind != StrLit {
		return "", false
	}
	return e.Value, true
}

// IsTrue reports whether e is the literal true (True in Python).
func IsTrue(e *Expr) bool { return e != nil && e.Kind == BoolLit && e.Value == "true" }

// IsFalse reports whether e is the literal false.
func IsFalse(e *Expr) bool { return e != nil && e.Kind == BoolLit && e.Value == "false" }

// Constant reports whether e is built only from literals, so it cannot carry
// data from outside the program.
func Constant(e *Expr) bool {
	if e == nil {
		return true
	}
	switch e.Kind {
	case StrLit, NumLit, BoolLit, NullLit:
		return true
	case Binary, Format, Collection, Cond:
		for _, a := range e.Args {
			if !Constant(a) {
				return false
			}
		}
		return true
	case Unary, KeyValue:
		return Constant(e.X)
	}
	return false
}
