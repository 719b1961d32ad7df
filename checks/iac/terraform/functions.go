package terraform

import (
	"fmt"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// functions are the Terraform built-ins warden evaluates: pure ones that
// rules' values are commonly written with. Each is priced before it runs,
// from its arguments, because it allocates its result in one go; a call
// the budget cannot pay for is unknown.
func (b *budget) functions() map[string]function.Function {
	return map[string]function.Function{
		"jsonencode": b.priced(stdlib.JSONEncodeFunc, argsCost(2)), // quoting and escaping can double the text
		"jsondecode": b.priced(stdlib.JSONDecodeFunc, jsonDecodeCost),
		"concat":     b.priced(stdlib.ConcatFunc, argsCost(1)),
		"merge":      b.priced(stdlib.MergeFunc, argsCost(1)),
		"flatten":    b.priced(stdlib.FlattenFunc, argsCost(1)),
		"lower":      b.priced(stdlib.LowerFunc, argsCost(2)), // case mapping can lengthen UTF-8
		"upper":      b.priced(stdlib.UpperFunc, argsCost(2)),
		"format":     b.priced(stdlib.FormatFunc, formatCost),
		"join":       b.priced(stdlib.JoinFunc, joinCost),
		"coalesce":   b.priced(stdlib.CoalesceFunc, argsCost(1)),
		"distinct":   b.priced(stdlib.DistinctFunc, distinctCost),
		"tostring":   identity, "tolist": identity, "toset": identity,
	}
}

// price is what a call will cost, at most max; why is set when the call
// must not run whatever the budget.
type price func(args []cty.Value, max int64) (cost int64, why string)

// priced wraps f so that its price is paid from the budget before it runs.
// The wrapper takes any argument as it comes: converting a tuple to the
// list f wants unifies its element types in quadratic time, so that
// conversion happens here, after it is priced, rather than in hclsyntax
// before any price could be asked.
func (b *budget) priced(f function.Function, p price) function.Function {
	params := make([]function.Parameter, len(f.Params()))
	for i, fp := range f.Params() {
		params[i] = asItComes(fp)
	}
	var varParam *function.Parameter
	if vp := f.VarParam(); vp != nil {
		loose := asItComes(*vp)
		varParam = &loose
	}
	return function.New(&function.Spec{
		Description: f.Description(),
		Params:      params,
		VarParam:    varParam,
		Type:        function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			cost, why := p(args, b.left)
			if why == "" {
				cost += unifyCost(args, b.left)
			}
			if !b.spend(cost, b.at, why) {
				return cty.DynamicVal, nil
			}
			converted := make([]cty.Value, len(args))
			for i, a := range args {
				want := cty.DynamicPseudoType
				switch {
				case i < len(f.Params()):
					want = f.Params()[i].Type
				case f.VarParam() != nil:
					want = f.VarParam().Type
				}
				c, err := convert.Convert(a, want)
				if err != nil {
					return cty.DynamicVal, err
				}
				converted[i] = c
			}
			return f.Call(converted)
		},
	})
}

func asItComes(p function.Parameter) function.Parameter {
	return function.Parameter{Name: p.Name, Description: p.Description, Type: cty.DynamicPseudoType,
		AllowNull: true, AllowUnknown: true, AllowDynamicType: true, AllowMarked: p.AllowMarked}
}

// unifyCost prices the type unification a call may do: cty compares every
// element type of a tuple or object with every other when converting it
// to a collection or concatenating it.
func unifyCost(args []cty.Value, max int64) int64 {
	var n int64
	for _, a := range args {
		n += typeSize(a.Type(), max, 0)
	}
	if n > 1<<31 {
		return max + 1
	}
	return n * n
}

// typeSize counts the element and attribute types in t.
func typeSize(t cty.Type, max int64, depth int) int64 {
	if depth > MaxNesting {
		return max + 1
	}
	var n int64
	switch {
	case t.IsTupleType():
		for _, et := range t.TupleElementTypes() {
			if n > max {
				break
			}
			n += 1 + typeSize(et, max-n, depth+1)
		}
	case t.IsObjectType():
		for _, at := range t.AttributeTypes() {
			if n > max {
				break
			}
			n += 1 + typeSize(at, max-n, depth+1)
		}
	case t.IsCollectionType():
		n = typeSize(t.ElementType(), max, depth+1)
	}
	return n
}

// argsCost prices a call at factor times the size of its arguments.
func argsCost(factor int64) price {
	return func(args []cty.Value, max int64) (int64, string) {
		cost, why := weighAll(args, max/factor+1)
		return cost * factor, why
	}
}

func weighAll(args []cty.Value, max int64) (int64, string) {
	var cost int64
	for _, a := range args {
		c, why := weigh(a, max-cost, 0)
		if why != "" {
			return cost, why
		}
		cost += c
		if cost > max {
			break
		}
	}
	return cost, ""
}

// formatCost adds the widths and precisions of the format's verbs, which
// pad the result: format("%900000000s", "x") is 900 MB of spaces. Every
// run of digits counts, which over-prices literal digits harmlessly.
func formatCost(args []cty.Value, max int64) (int64, string) {
	cost, why := weighAll(args, max)
	if why != "" || len(args) == 0 || !args[0].IsKnown() || args[0].IsNull() || args[0].Type() != cty.String {
		return cost, why
	}
	n := int64(0)
	for _, c := range []byte(args[0].AsString()) {
		if c >= '0' && c <= '9' {
			if n <= max {
				n = n*10 + int64(c-'0')
			}
			continue
		}
		cost += n
		n = 0
	}
	cost += n
	if cost > max {
		return cost, fmt.Sprintf("a format verb wider than the %d MiB evaluation budget", MaxEvalCost>>20)
	}
	return cost, ""
}

// joinCost is the joined text: the elements and a separator between each.
func joinCost(args []cty.Value, max int64) (int64, string) {
	cost, why := weighAll(args, max)
	if why != "" || len(args) == 0 || !args[0].IsKnown() || args[0].IsNull() {
		return cost, why
	}
	sep := int64(len(args[0].AsString()))
	for _, l := range args[1:] {
		if l.IsKnown() && !l.IsNull() && l.CanIterateElements() {
			cost += sep * int64(l.LengthInt())
		}
	}
	return cost, ""
}

// distinctCost adds the comparisons: cty compares each element with every
// one kept before it.
func distinctCost(args []cty.Value, max int64) (int64, string) {
	cost, why := weighAll(args, max)
	if why != "" || len(args) == 0 || !args[0].IsKnown() || args[0].IsNull() {
		return cost, why
	}
	n := int64(args[0].LengthInt())
	return cost + n*n/2, ""
}

// jsonDecodeCost prices the decoded value at one element per byte of text
// and refuses text nested too deeply for cty's recursive decoder.
func jsonDecodeCost(args []cty.Value, max int64) (int64, string) {
	if len(args) == 0 || !args[0].IsKnown() || args[0].IsNull() {
		return elementCost, ""
	}
	s := args[0].AsString()
	if jsonDepth(s) > MaxNesting {
		return 0, fmt.Sprintf("JSON nested deeper than %d levels", MaxNesting)
	}
	return int64(len(s)) * elementCost, ""
}

// jsonDepth is the deepest bracket nesting of JSON text, outside strings.
func jsonDepth(s string) int {
	depth, deepest, inString := 0, 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case inString:
		case c == '[' || c == '{':
			depth++
			deepest = max(deepest, depth)
		case (c == ']' || c == '}') && depth > 0:
			depth--
		}
	}
	return deepest
}

var identity = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "v", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowDynamicType: true}},
	Type:   func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
	Impl:   func(args []cty.Value, _ cty.Type) (cty.Value, error) { return args[0], nil },
})
