package terraform

import (
	"encoding/json"
	"math/big"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// unknown marks a value warden could not resolve.
type unknown struct{}

// toGo turns a cty value into plain Go values; unknown parts become
// unknown{} so rules can tell "not set" from "not known".
func toGo(v cty.Value) any {
	if !v.IsKnown() {
		return unknown{}
	}
	if v.IsNull() {
		return nil
	}
	v, _ = v.Unmark()
	t := v.Type()
	switch {
	case t == cty.String:
		return v.AsString()
	case t == cty.Bool:
		return v.True()
	case t == cty.Number:
		f, _ := v.AsBigFloat().Float64()
		return f
	case t.IsListType() || t.IsTupleType() || t.IsSetType():
		var out []any
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			out = append(out, toGo(e))
		}
		return out
	case t.IsMapType() || t.IsObjectType():
		out := map[string]any{}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			out[k.AsString()] = toGo(e)
		}
		return out
	}
	return unknown{}
}

// attr is an attribute of a block with its resolved value.
type attr struct {
	a   *hclsyntax.Attribute
	val any
}

func (a attr) present() bool { return a.a != nil }
func (a attr) line() int     { return a.a.SrcRange.Start.Line }

func (m *module) attr(b *hclsyntax.Body, name string) attr {
	if b == nil {
		return attr{}
	}
	a, ok := b.Attributes[name]
	if !ok {
		return attr{}
	}
	v, ok := m.attrs[a]
	if !ok {
		v = m.value(m.ctx, a.Expr)
		m.attrs[a] = v
	}
	return attr{a: a, val: toGo(v)}
}

// str returns a known string (numbers and bools in their Terraform form).
func str(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case bool:
		if x {
			return "true", true
		}
		return "false", true
	case float64:
		return big.NewFloat(x).Text('f', -1), true
	}
	return "", false
}

// boolean converts the way Terraform does: "true"/"false" strings count.
func boolean(v any) (val, known bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		switch strings.ToLower(x) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case string:
		var f float64
		if err := json.Unmarshal([]byte(x), &f); err == nil {
			return f, true
		}
	}
	return 0, false
}

// strs returns the known strings of a list (or a single string).
func strs(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := str(e); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func blocks(b *hclsyntax.Body, typ string) []*hclsyntax.Block {
	if b == nil {
		return nil
	}
	var out []*hclsyntax.Block
	for _, c := range b.Blocks {
		if c.Type == typ {
			out = append(out, c)
		}
	}
	return out
}

func block(b *hclsyntax.Body, typ string) *hclsyntax.Block {
	if bs := blocks(b, typ); len(bs) > 0 {
		return bs[0]
	}
	return nil
}

func body(b *hclsyntax.Block) *hclsyntax.Body {
	if b == nil {
		return nil
	}
	return b.Body
}

// references reports whether an expression of attribute a refers to
// resource typ.name (aws_s3_bucket.logs.id), or equals literal.
func references(a attr, typ, name, literal string) bool {
	if !a.present() {
		return false
	}
	for _, t := range a.a.Expr.Variables() {
		if t.RootName() != typ || len(t) < 2 {
			continue
		}
		if strings.HasPrefix(traversalString(t), typ+"."+name+".") || traversalString(t) == typ+"."+name {
			return true
		}
	}
	s, ok := str(a.val)
	return ok && literal != "" && s == literal
}
