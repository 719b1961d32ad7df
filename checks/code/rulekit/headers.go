package rulekit

import (
	"strings"

	"github.com/wardenbot/warden/checks/code/ir"
)

// HeaderValue returns the value a call sets for the response header named
// header (compared without case): the argument after a literal name at
// position i (res.set("Access-Control-Allow-Origin", v),
// w.Header().Set(…)), or the matching key of an object literal at
// position i (res.set({…}), res.writeHead(200, {…})).
func HeaderValue(call *ir.Expr, i int, header string) []*ir.Expr {
	a := ir.Positional(call, i)
	if name, ok := ir.StringValue(a); ok {
		if strings.EqualFold(name, header) {
			if v := ir.Positional(call, i+1); v != nil {
				return []*ir.Expr{v}
			}
		}
		return nil
	}
	if a != nil && a.Kind == ir.Collection {
		for _, kv := range a.Args {
			if kv.Kind == ir.KeyValue && strings.EqualFold(kv.Name, header) {
				return []*ir.Expr{kv.X}
			}
		}
	}
	return nil
}
