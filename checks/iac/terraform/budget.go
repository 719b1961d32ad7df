package terraform

import (
	"context"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/wardenbot/warden/checks/internal/limit"
)

// Evaluating Terraform can build values far larger than their source:
// format("%900000000s", "x"), for expressions nested over a long list, a
// local listing another local a thousand times, 1e99999999 rendered as a
// string. So every value the evaluator builds is weighed against the
// module's budget as it is built; once the budget is spent the rest of the
// module evaluates to unknown and the module is reported partly analysed.
const (
	// MaxEvalCost bounds what evaluating one module may build, in
	// approximate bytes: string bytes plus elementCost per value. Real
	// modules need a few megabytes at most.
	MaxEvalCost = 64 << 20
	elementCost = 32
	// maxExponent bounds a number's binary exponent (about 1e±308): cty
	// renders a number digit by digit, in quadratic time, whenever it
	// becomes a string.
	maxExponent = 1024
	// maxDecimalExponent is the same bound for a string that converts to
	// a number, and maxNumericString its length.
	maxDecimalExponent = 308
	maxNumericString   = 256
)

// budget is what one module's evaluation may still spend.
type budget struct {
	ctx  context.Context
	left int64
	// at is the expression being evaluated, for the note when the budget
	// runs out inside a function.
	at hcl.Range
	// over records where and why the budget ran out; from then on every
	// expression is unknown.
	over *limit.Exceeded
}

func newBudget(ctx context.Context, cost int64) *budget {
	return &budget{ctx: ctx, left: max(cost, 0)}
}

// stopped reports whether evaluation must not go on: the budget is spent
// or the scan was cancelled.
func (b *budget) stopped() bool { return b.over != nil || b.ctx.Err() != nil }

// spend takes cost from the budget, or records why it cannot.
func (b *budget) spend(cost int64, rng hcl.Range, why string) bool {
	if b.stopped() {
		return false
	}
	if why == "" && cost > b.left {
		why = "values larger than the evaluation budget"
	}
	if why != "" {
		b.over = &limit.Exceeded{Path: rng.Filename, Line: rng.Start.Line, What: why + " stopped the evaluation; values past it are unknown", Partial: true}
		return false
	}
	b.left -= cost
	return true
}

// admit charges a value the evaluator built, or read in full.
func (b *budget) admit(v cty.Value, rng hcl.Range) bool {
	cost, why := weigh(v, b.left, 0)
	return b.spend(cost, rng, why)
}

// weigh estimates the memory of v, giving up once it passes max, and says
// why v must not be used when it holds something that is costly whatever
// its size: a number too large to render, nesting too deep to recurse.
func weigh(v cty.Value, max int64, depth int) (cost int64, why string) {
	if depth > MaxNesting {
		return 0, fmt.Sprintf("a value nested deeper than %d levels", MaxNesting)
	}
	if v.IsMarked() {
		v, _ = v.Unmark()
	}
	cost = elementCost
	if !v.IsKnown() || v.IsNull() {
		return cost, ""
	}
	t := v.Type()
	switch {
	case t == cty.String:
		s := v.AsString()
		if hugeNumeric(s) {
			return cost, "a numeric string beyond ±1e308"
		}
		return cost + int64(len(s)), ""
	case t == cty.Number:
		if exp := v.AsBigFloat().MantExp(nil); exp > maxExponent || exp < -maxExponent {
			return cost, "a number beyond ±1e308"
		}
		return cost, ""
	case t.IsListType() || t.IsSetType() || t.IsTupleType() || t.IsMapType() || t.IsObjectType():
		for it := v.ElementIterator(); it.Next() && cost <= max; {
			k, e := it.Element()
			if t.IsMapType() || t.IsObjectType() {
				cost += int64(len(k.AsString()))
			}
			c, why := weigh(e, max-cost, depth+1)
			if why != "" {
				return cost, why
			}
			cost += c
		}
	}
	return cost, ""
}

// hugeNumeric reports a string that converts to a number too long or too
// large to render back cheaply ("1e99999999", a thousand digits).
func hugeNumeric(s string) bool {
	if s == "" || !(s[0] >= '0' && s[0] <= '9' || s[0] == '-' || s[0] == '+' || s[0] == '.') {
		return false
	}
	intDigits, exp, inExp, expSign, seenPoint := 0, 0, false, 1, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			switch {
			case inExp:
				if exp < 1<<20 {
					exp = exp*10 + int(c-'0')
				}
			case !seenPoint:
				intDigits++
			}
		case (c == '-' || c == '+') && (i == 0 || inExp && (s[i-1] == 'e' || s[i-1] == 'E')):
			if inExp && c == '-' {
				expSign = -1
			}
		case c == '.' && !seenPoint && !inExp:
			seenPoint = true
		case (c == 'e' || c == 'E') && !inExp:
			inExp = true
		default:
			return false // not a number: left as a string
		}
	}
	if len(s) > maxNumericString {
		return true
	}
	mag := intDigits + expSign*exp
	return mag > maxDecimalExponent || mag < -maxDecimalExponent
}

// guarded evaluates the expression it wraps within the module's budget.
// It is a ParenthesesExpr underneath, so walks of the syntax tree
// (Variables, to begin with) still reach the wrapped node.
// Guards go where a value is built, or read whole by its parent.
type guarded struct {
	*hclsyntax.ParenthesesExpr
	b *budget
}

func (g *guarded) Value(ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	b := g.b
	if b.stopped() {
		return cty.DynamicVal, nil
	}
	outer := b.at
	b.at = g.SrcRange
	v, diags := g.Expression.Value(ctx)
	b.at = outer
	if !b.admit(v, g.SrcRange) {
		return cty.DynamicVal, diags
	}
	return v, diags
}

// unguarded returns the expression a guard wraps, or e itself.
func unguarded(e hclsyntax.Expression) hclsyntax.Expression {
	if g, ok := e.(*guarded); ok {
		return g.Expression
	}
	return e
}

// guardBody puts a guard around every expression below the attributes of
// body. The attributes' own expressions stay as parsed, for rules that
// look at their syntax; module.value guards their evaluation.
func guardBody(body *hclsyntax.Body, b *budget) {
	var nodes []hclsyntax.Node
	hclsyntax.VisitAll(body, func(n hclsyntax.Node) hcl.Diagnostics {
		nodes = append(nodes, n)
		return nil
	})
	// Wrapping during the walk would hide the wrapped nodes from it.
	for _, n := range nodes {
		guardChildren(n, b)
	}
}

func guardChildren(n hclsyntax.Node, b *budget) {
	// A reference needs no guard where its parent only passes it on: the
	// value it names was weighed when it was built.
	g := func(e hclsyntax.Expression, readsAll bool) hclsyntax.Expression {
		switch e := e.(type) {
		case nil, *guarded:
			return e
		case *hclsyntax.LiteralValueExpr:
			// A literal costs nothing to evaluate; weigh it once here.
			if _, why := weigh(e.Val, MaxEvalCost, 0); why != "" {
				b.spend(0, e.SrcRange, why)
				e.Val = cty.DynamicVal
			}
			return e
		}
		if !readsAll && !builds(e) {
			return e
		}
		return &guarded{ParenthesesExpr: &hclsyntax.ParenthesesExpr{Expression: e, SrcRange: e.Range()}, b: b}
	}
	switch n := n.(type) {
	case *hclsyntax.BinaryOpExpr:
		n.LHS, n.RHS = g(n.LHS, true), g(n.RHS, true) // == compares whole values
	case *hclsyntax.UnaryOpExpr:
		n.Val = g(n.Val, true)
	case *hclsyntax.ConditionalExpr:
		// Both results are converted to one type, which walks them.
		n.Condition, n.TrueResult, n.FalseResult = g(n.Condition, false), g(n.TrueResult, true), g(n.FalseResult, true)
	case *hclsyntax.FunctionCallExpr:
		for i := range n.Args {
			n.Args[i] = g(n.Args[i], false) // weighed by the function's own guard
		}
	case *hclsyntax.TupleConsExpr:
		for i := range n.Exprs {
			n.Exprs[i] = g(n.Exprs[i], false)
		}
	case *hclsyntax.ObjectConsExpr:
		for i := range n.Items {
			// KeyExpr stays: hclsyntax reads a bare key's name from it.
			n.Items[i].ValueExpr = g(n.Items[i].ValueExpr, false)
		}
	case *hclsyntax.ForExpr:
		n.CollExpr = g(n.CollExpr, false)
		n.KeyExpr, n.ValExpr, n.CondExpr = g(n.KeyExpr, false), g(n.ValExpr, false), g(n.CondExpr, false)
	case *hclsyntax.IndexExpr:
		n.Collection, n.Key = g(n.Collection, false), g(n.Key, false)
	case *hclsyntax.SplatExpr:
		n.Source, n.Each = g(n.Source, false), g(n.Each, false)
	case *hclsyntax.RelativeTraversalExpr:
		n.Source = g(n.Source, false)
	case *hclsyntax.TemplateExpr:
		for i := range n.Parts {
			n.Parts[i] = g(n.Parts[i], true) // copied into the result
		}
	case *hclsyntax.TemplateJoinExpr:
		n.Tuple = g(n.Tuple, true)
	case *hclsyntax.TemplateWrapExpr:
		n.Wrapped = g(n.Wrapped, true)
	}
}

// builds reports whether an expression makes a new value, as opposed to
// referring to one that exists.
func builds(e hclsyntax.Expression) bool {
	switch e.(type) {
	case *hclsyntax.ScopeTraversalExpr, *hclsyntax.RelativeTraversalExpr, *hclsyntax.IndexExpr,
		*hclsyntax.ParenthesesExpr, *hclsyntax.ConditionalExpr, *hclsyntax.AnonSymbolExpr:
		return false
	}
	return true
}
