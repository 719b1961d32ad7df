package ir

import (
	"fmt"
	"strings"
)

// NthAttrFromRoot returns the n-th attribute access counted from the root
// of a selector chain (0 is the access nearest the root: for
// `request.args.get`, n=0 is `request.args`), or nil.
func NthAttrFromRoot(e *Expr, n int) *Expr {
	var chain []*Expr
	for x := e; x != nil && len(chain) < 64; x = x.X {
		if x.Kind == Attr {
			chain = append(chain, x)
		}
	}
	if i := len(chain) - 1 - n; i >= 0 {
		return chain[i]
	}
	return nil
}

// Describe quotes an expression's source for a finding message, on one
// line and at most 60 characters.
func Describe(f *File, e *Expr) string {
	t := strings.Join(strings.Fields(f.Text(e.Pos)), " ")
	if len(t) > 60 {
		t = t[:57] + "..."
	}
	return fmt.Sprintf("`%s`", t)
}
