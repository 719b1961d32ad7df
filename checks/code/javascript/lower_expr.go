package javascript

import (
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/wardenbot/warden/checks/code/ir"
	"github.com/wardenbot/warden/checks/code/tsparse"
)

// stringValue decodes a string literal node.
func (l *lowerer) stringValue(n *sitter.Node) (string, bool) {
	if n == nil || n.Kind() != "string" {
		return "", false
	}
	var b strings.Builder
	for _, c := range tsparse.Named(n) {
		switch c.Kind() {
		case "string_fragment":
			b.WriteString(l.text(c))
		case "escape_sequence":
			b.WriteString(unescape(l.text(c)))
		}
	}
	return b.String(), true
}

// unescape adds the template literal's \` to the escapes Python shares.
func unescape(s string) string {
	if s == "\\`" {
		return "`"
	}
	return tsparse.Unescape(s)
}

// pattern lowers an assignment target or declaration name; destructuring
// becomes a Collection of the bound names.
func (l *lowerer) pattern(n *sitter.Node) *ir.Expr {
	if n == nil {
		return nil
	}
	p := tsparse.Pos(n)
	switch n.Kind() {
	case "object_pattern", "array_pattern":
		e := &ir.Expr{Kind: ir.Collection, Pos: p}
		for _, c := range tsparse.Named(n) {
			switch c.Kind() {
			case "shorthand_property_identifier_pattern", "identifier":
				e.Args = append(e.Args, &ir.Expr{Kind: ir.Name, Name: l.text(c), Pos: tsparse.Pos(c)})
			case "pair_pattern":
				e.Args = append(e.Args, l.pattern(l.field(c, "value")))
			case "object_assignment_pattern", "assignment_pattern":
				e.Args = append(e.Args, l.pattern(l.field(c, "left")))
			case "rest_pattern":
				if k := c.NamedChild(0); k != nil {
					e.Args = append(e.Args, l.pattern(k))
				}
			default:
				e.Args = append(e.Args, l.pattern(c))
			}
		}
		return e
	case "shorthand_property_identifier_pattern":
		return &ir.Expr{Kind: ir.Name, Name: l.text(n), Pos: p}
	}
	return l.expr(n)
}

func (l *lowerer) expr(n *sitter.Node) *ir.Expr {
	if n == nil {
		return nil
	}
	l.depth++
	defer func() { l.depth-- }()
	p := tsparse.Pos(n)
	if l.depth > maxDepth {
		l.f.Truncate(p)
		return &ir.Expr{Kind: ir.Unknown, Pos: p}
	}
	switch n.Kind() {
	case "identifier", "property_identifier", "shorthand_property_identifier", "private_property_identifier", "statement_identifier":
		name := l.text(n)
		if name == "undefined" {
			return &ir.Expr{Kind: ir.NullLit, Pos: p}
		}
		return &ir.Expr{Kind: ir.Name, Name: name, Pos: p}
	case "this", "super":
		return &ir.Expr{Kind: ir.Name, Name: n.Kind(), Pos: p}
	case "true", "false":
		return &ir.Expr{Kind: ir.BoolLit, Value: n.Kind(), Pos: p}
	case "null", "undefined":
		return &ir.Expr{Kind: ir.NullLit, Pos: p}
	case "number":
		return &ir.Expr{Kind: ir.NumLit, Value: l.text(n), Pos: p}
	case "string":
		v, _ := l.stringValue(n)
		return &ir.Expr{Kind: ir.StrLit, Value: v, Pos: p}
	case "regex":
		return &ir.Expr{Kind: ir.StrLit, Value: l.text(n), Pos: p}
	case "template_string":
		return l.template(n)
	case "member_expression":
		return &ir.Expr{Kind: ir.Attr, Name: l.text(l.field(n, "property")), X: l.expr(l.field(n, "object")), Pos: p}
	case "subscript_expression":
		idx := l.expr(l.field(n, "index"))
		if s, ok := ir.StringValue(idx); ok && s != "" && !strings.ContainsAny(s, ". ") {
			// obj["prop"] is obj.prop.
			return &ir.Expr{Kind: ir.Attr, Name: s, X: l.expr(l.field(n, "object")), Pos: p}
		}
		return &ir.Expr{Kind: ir.Index, X: l.expr(l.field(n, "object")), Args: []*ir.Expr{idx}, Pos: p}
	case "call_expression":
		if mod, _ := l.requireOf(n); mod != "" {
			name := requirePrefix + mod
			l.f.Imports[name] = mod
			return &ir.Expr{Kind: ir.Name, Name: name, Pos: p}
		}
		c := &ir.Expr{Kind: ir.Call, X: l.expr(l.field(n, "function")), Pos: p}
		args := l.field(n, "arguments")
		if args != nil && args.Kind() == "template_string" { // tagged template: sql`…`
			c.Args = []*ir.Expr{l.template(args)}
			return c
		}
		for _, a := range tsparse.Named(args) {
			if a.Kind() != "comment" {
				c.Args = append(c.Args, l.expr(a))
			}
		}
		return c
	case "new_expression":
		c := &ir.Expr{Kind: ir.Call, X: l.expr(l.field(n, "constructor")), Pos: p}
		for _, a := range tsparse.Named(l.field(n, "arguments")) {
			if a.Kind() != "comment" {
				c.Args = append(c.Args, l.expr(a))
			}
		}
		return c
	case "binary_expression":
		return &ir.Expr{Kind: ir.Binary, Name: l.text(l.field(n, "operator")), Args: []*ir.Expr{l.expr(l.field(n, "left")), l.expr(l.field(n, "right"))}, Pos: p}
	case "unary_expression":
		return &ir.Expr{Kind: ir.Unary, Name: l.text(l.field(n, "operator")), X: l.expr(l.field(n, "argument")), Pos: p}
	case "update_expression":
		return &ir.Expr{Kind: ir.Unary, Name: "-", X: l.expr(l.field(n, "argument")), Pos: p}
	case "parenthesized_expression", "await_expression", "spread_element", "non_null_expression", "as_expression",
		"satisfies_expression", "type_assertion", "yield_expression", "jsx_expression":
		if c := n.NamedChild(0); c != nil {
			return &ir.Expr{Kind: ir.Unary, Name: "()", X: l.expr(c), Pos: p}
		}
	case "ternary_expression":
		return &ir.Expr{Kind: ir.Cond, Args: []*ir.Expr{l.expr(l.field(n, "condition")), l.expr(l.field(n, "consequence")), l.expr(l.field(n, "alternative"))}, Pos: p}
	case "sequence_expression":
		kids := tsparse.Named(n)
		if len(kids) > 0 {
			return l.expr(kids[len(kids)-1])
		}
	case "assignment_expression", "augmented_assignment_expression":
		// Used as a value (a = b = c): the value of the right side.
		return l.expr(l.field(n, "right"))
	case "array":
		e := &ir.Expr{Kind: ir.Collection, Pos: p}
		for _, c := range tsparse.Named(n) {
			e.Args = append(e.Args, l.expr(c))
		}
		return e
	case "object":
		return l.object(n)
	case "arrow_function", "function_expression", "function", "generator_function":
		return &ir.Expr{Kind: ir.Func, Fn: l.function(n, ""), Pos: p}
	case "class":
		return &ir.Expr{Kind: ir.Unknown, Pos: p}
	case "jsx_element", "jsx_self_closing_element", "jsx_fragment", "jsx_opening_element":
		return l.jsx(n)
	}
	return &ir.Expr{Kind: ir.Unknown, Pos: p}
}

func (l *lowerer) object(n *sitter.Node) *ir.Expr {
	e := &ir.Expr{Kind: ir.Collection, Name: "object", Pos: tsparse.Pos(n)}
	for _, c := range tsparse.Named(n) {
		switch c.Kind() {
		case "pair":
			kv := &ir.Expr{Kind: ir.KeyValue, X: l.expr(l.field(c, "value")), Pos: tsparse.Pos(c)}
			k := l.field(c, "key")
			switch k.Kind() {
			case "property_identifier", "identifier":
				kv.Name = l.text(k)
			case "string":
				kv.Name, _ = l.stringValue(k)
			case "number":
				kv.Name = l.text(k)
			default:
				kv.Key = l.expr(k)
			}
			if kv.Name == "dangerouslySetInnerHTML" { // React.createElement("div", {dangerouslySetInnerHTML: …})
				kv.X = pseudoCall(kv.Name, kv.X, tsparse.Pos(k), kv.Pos)
			}
			e.Args = append(e.Args, kv)
		case "shorthand_property_identifier":
			e.Args = append(e.Args, &ir.Expr{Kind: ir.KeyValue, Name: l.text(c), X: &ir.Expr{Kind: ir.Name, Name: l.text(c), Pos: tsparse.Pos(c)}, Pos: tsparse.Pos(c)})
		case "spread_element":
			e.Args = append(e.Args, l.expr(c))
		case "method_definition":
			e.Args = append(e.Args, &ir.Expr{Kind: ir.Func, Fn: l.function(c, ""), Pos: tsparse.Pos(c)})
		}
	}
	if body := htmlResponse(e); body != nil {
		body.X = pseudoCall(htmlResponseBody, body.X, body.Pos, body.Pos)
	}
	return e
}

// htmlResponseBody names the pseudo function whose argument is the body of
// an HTML response object.
const htmlResponseBody = "@html-response-body"

// pseudoCall wraps v in a call of a pseudo function, so that the sink
// table can name a place that is not a call.
// namePos is what the finding will show as the sink.
func pseudoCall(name string, v *ir.Expr, namePos, p ir.Pos) *ir.Expr {
	return &ir.Expr{Kind: ir.Call, X: &ir.Expr{Kind: ir.Name, Name: name, Pos: namePos}, Args: []*ir.Expr{v}, Pos: p}
}

// htmlResponse finds the body of a response object literal that declares
// HTML content ({statusCode, headers: {"Content-Type": "text/html"}, body}),
// the shape AWS Lambda proxy integrations return: the gateway serves the
// body as a page. Without that header it is served as JSON.
func htmlResponse(obj *ir.Expr) *ir.Expr {
	var body *ir.Expr
	html := false
	for _, kv := range obj.Args {
		if kv.Kind != ir.KeyValue {
			continue
		}
		switch kv.Name {
		case "body":
			body = kv
		case "headers":
			if kv.X == nil || kv.X.Kind != ir.Collection {
				continue
			}
			for _, h := range kv.X.Args {
				if h.Kind == ir.KeyValue && strings.EqualFold(h.Name, "content-type") {
					v, _ := ir.StringValue(h.X)
					html = strings.Contains(strings.ToLower(v), "html")
				}
			}
		}
	}
	if !html {
		return nil
	}
	return body
}

// template lowers `a${b}c` into a Format.
func (l *lowerer) template(n *sitter.Node) *ir.Expr {
	e := &ir.Expr{Kind: ir.Format, Pos: tsparse.Pos(n)}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			e.Args = append(e.Args, &ir.Expr{Kind: ir.StrLit, Value: lit.String(), Pos: e.Pos})
			lit.Reset()
		}
	}
	for _, c := range tsparse.Named(n) {
		switch c.Kind() {
		case "string_fragment":
			lit.WriteString(l.text(c))
		case "escape_sequence":
			lit.WriteString(unescape(l.text(c)))
		case "template_substitution":
			flush()
			if x := c.NamedChild(0); x != nil {
				e.Args = append(e.Args, l.expr(x))
			}
		}
	}
	flush()
	if len(e.Args) == 1 && e.Args[0].Kind == ir.StrLit {
		return &ir.Expr{Kind: ir.StrLit, Value: e.Args[0].Value, Pos: e.Pos}
	}
	if len(e.Args) == 0 {
		return &ir.Expr{Kind: ir.StrLit, Pos: e.Pos}
	}
	return e
}

// jsx lowers an element to a Collection of its attribute values and
// children; dangerouslySetInnerHTML={…} becomes a call of a pseudo
// function of that name so the sink table can name it.
func (l *lowerer) jsx(n *sitter.Node) *ir.Expr {
	e := &ir.Expr{Kind: ir.Collection, Name: "jsx", Pos: tsparse.Pos(n)}
	var walk func(n *sitter.Node, depth int)
	walk = func(n *sitter.Node, depth int) {
		if depth > 64 {
			return
		}
		for _, c := range tsparse.Named(n) {
			switch c.Kind() {
			case "jsx_attribute":
				kids := tsparse.Named(c)
				if len(kids) < 2 {
					continue
				}
				name := l.text(kids[0])
				val := l.expr(kids[1])
				if name == "dangerouslySetInnerHTML" {
					val = pseudoCall(name, val, tsparse.Pos(kids[0]), tsparse.Pos(c))
				}
				e.Args = append(e.Args, &ir.Expr{Kind: ir.KeyValue, Name: name, X: val, Pos: tsparse.Pos(c)})
			case "jsx_expression":
				e.Args = append(e.Args, l.expr(c))
			case "jsx_element", "jsx_self_closing_element", "jsx_fragment":
				e.Args = append(e.Args, l.jsx(c))
			case "jsx_opening_element", "jsx_closing_element":
				walk(c, depth+1)
			}
		}
	}
	walk(n, 0)
	return e
}
