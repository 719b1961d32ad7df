package engine

import (
	"strings"

	"github.com/wardenbot/warden/checks/code/ir"
)

// For URLs, redirects and program names, what matters is how a value
// begins: "https://api.example.com/" + id cannot leave api.example.com,
// config.base + req.query.path cannot leave the configured host, and
// "grep " + x runs grep. These helpers find a value's first component.

// resolve follows a variable to the expression last assigned to it.
func (fr *frame) resolve(e *ir.Expr) *ir.Expr {
	for i := 0; i < 4 && e != nil && e.Kind == ir.Name; i++ {
		d := fr.defs[e.Name]
		if d == nil {
			return e
		}
		e = d
	}
	return e
}

// leading returns the first component of a built string: a literal prefix
// (lit) or the expression the value starts with (x). Neither is set for a
// value that is not built here.
func (a *analyzer) leading(fr *frame, e *ir.Expr, depth int) (lit string, x *ir.Expr) {
	e = fr.resolve(e)
	if e == nil || depth > 16 {
		return "", nil
	}
	switch e.Kind {
	case ir.StrLit:
		return e.Value, nil
	case ir.Unary:
		if e.Name == "()" {
			return a.leading(fr, e.X, depth+1)
		}
	case ir.Binary:
		switch e.Name {
		case "+":
			return a.leading(fr, e.Args[0], depth+1)
		case "%": // "https://%s/x" % host
			if fs, ok := ir.StringValue(e.Args[0]); ok {
				return formatPrefix(fs, "%", e.Args[1])
			}
		}
	case ir.Format:
		if len(e.Args) > 0 {
			if e.Args[0].Kind == ir.StrLit {
				return e.Args[0].Value, nil
			}
			return "", e.Args[0]
		}
	case ir.Call:
		if e.X != nil && e.X.Kind == ir.Attr && e.X.Name == "format" { // "{}/x".format(host)
			if fs, ok := ir.StringValue(e.X.X); ok {
				return formatPrefix(fs, "{", ir.Positional(e, 0))
			}
		}
		if a.f.Callee(e) == "fmt.Sprintf" && len(e.Args) > 1 {
			if fs, ok := ir.StringValue(e.Args[0]); ok {
				return formatPrefix(fs, "%", e.Args[1])
			}
		}
	}
	return "", e
}

// formatPrefix is the literal text before a format's first placeholder, or
// the first argument when the format starts with one.
func formatPrefix(fs, mark string, first *ir.Expr) (string, *ir.Expr) {
	i := strings.Index(fs, mark)
	switch {
	case i < 0:
		return fs, nil
	case i == 0:
		if first != nil && first.Kind == ir.Collection && len(first.Args) > 0 {
			first = first.Args[0] // "%s/x" % (host, …)
		}
		return "", first
	}
	return fs[:i], nil
}

// fixedDestination reports whether a literal prefix pins a URL's host
// ("https://host/…") or keeps a redirect on this site ("/profile/…").
func fixedDestination(prefix string) bool {
	if i := strings.Index(prefix, "://"); i > 0 {
		rest := prefix[i+3:]
		return strings.ContainsAny(rest, "/?#")
	}
	// "/" + x could become //evil.example; "/x/" + y cannot.
	return len(prefix) > 1 && prefix[0] == '/' && prefix[1] != '/' && prefix[1] != '\\'
}

// destinationTaint is the taint that decides where a URL or redirect goes:
// none when a constant prefix pins it, the first component's when the
// value starts with one, otherwise the whole value's.
func (a *analyzer) destinationTaint(fr *frame, arg *ir.Expr, whole Taint) Taint {
	lit, x := a.leading(fr, arg, 0)
	switch {
	case lit != "" && fixedDestination(lit):
		return Taint{}
	case lit == "" && x != nil && x != fr.resolve(arg):
		return a.eval(fr, x)
	}
	return whole
}

// programTaint is the taint that decides which program a command string
// runs when no shell parses it: a literal first word fixes the program.
func (a *analyzer) programTaint(fr *frame, arg *ir.Expr, whole Taint) Taint {
	lit, x := a.leading(fr, arg, 0)
	switch {
	case strings.TrimSpace(lit) != "":
		return Taint{}
	case lit == "" && x != nil && x != fr.resolve(arg):
		return a.eval(fr, x)
	}
	return whole
}
