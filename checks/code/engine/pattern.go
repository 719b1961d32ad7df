package engine

import (
	"context"

	"github.com/wardenbot/warden/checks/code/ir"
)

// Edit replaces the source bytes of Pos with Text: a mechanical fix.
type Edit struct {
	Pos  ir.Pos
	Text string
}

// PatternHit is one match of a pattern rule.
type PatternHit struct {
	Rule    string
	Pos     ir.Pos
	Message string
	// Weaker lowers the rule's default severity by one step (a weak hash
	// whose purpose is unclear rather than clearly a password).
	Weaker bool
	Fix    *Edit
}

// Pattern is a rule that needs no data flow: a constant setting or a call
// that is dangerous wherever it appears.
type Pattern struct {
	Rule string
	// Match is called for every expression of the file.
	Match func(f *ir.File, e *ir.Expr, fn *ir.Function, s *ir.Stmt) []PatternHit
}

// RunPatterns applies the patterns to every expression of the file.
func RunPatterns(ctx context.Context, f *ir.File, ps []Pattern) ([]PatternHit, error) {
	var out []PatternHit
	n := 0
	var err error
	f.Inspect(func(e *ir.Expr, fn *ir.Function, s *ir.Stmt) {
		if err != nil {
			return
		}
		if n++; n&0xfff == 0 {
			err = ctx.Err()
		}
		for _, p := range ps {
			for _, h := range p.Match(f, e, fn, s) {
				if h.Rule == "" {
					h.Rule = p.Rule
				}
				out = append(out, h)
			}
		}
	})
	return out, err
}
