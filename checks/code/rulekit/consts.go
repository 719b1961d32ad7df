package rulekit

import "github.com/wardenbot/warden/checks/code/ir"

// ResolveConst follows a name to the literal a module-level declaration
// gives it (const weakPerm = 0777), so settings held in constants are
// seen; anything else is returned unchanged.
func ResolveConst(f *ir.File, e *ir.Expr) *ir.Expr {
	for i := 0; i < 4 && e != nil && e.Kind == ir.Name && f.Module != nil; i++ {
		var next *ir.Expr
		for _, s := range f.Module.Body {
			if s.Kind != ir.Assign || len(s.Lhs) != len(s.Rhs) {
				continue
			}
			for j, l := range s.Lhs {
				if l.Kind == ir.Name && l.Name == e.Name {
					next = s.Rhs[j]
				}
			}
		}
		if next == nil {
			return e
		}
		e = next
	}
	return e
}
