// Package javascript lowers JavaScript, TypeScript and TSX, parsed with
// tree-sitter, into the code check's IR and holds their rule tables.
package javascript

import (
	"strings"
	"time"

	sitter "github.com/tree-sitter/go-tree-sitter"
	jsgrammar "github.com/tree-sitter/tree-sitter-javascript/bindings/go"
	tsgrammar "github.com/tree-sitter/tree-sitter-typescript/bindings/go"

	"github.com/wardenbot/warden/checks/code/ir"
	"github.com/wardenbot/warden/checks/code/tsparse"
)

// Dialect selects the grammar.
type Dialect string

const (
	JavaScript Dialect = "javascript" // also JSX
	TypeScript Dialect = "typescript"
	TSX        Dialect = "tsx"
)

// NewParser makes a parser for a dialect; the caller closes it.
func NewParser(d Dialect) (*tsparse.Parser, error) {
	switch d {
	case TypeScript:
		return tsparse.NewParser(sitter.NewLanguage(tsgrammar.LanguageTypescript()))
	case TSX:
		return tsparse.NewParser(sitter.NewLanguage(tsgrammar.LanguageTSX()))
	}
	return tsparse.NewParser(sitter.NewLanguage(jsgrammar.Language()))
}

const maxDepth = 400

// requirePrefix marks a lowered require("m") call, so that
// require("child_process").exec resolves like an import.
const requirePrefix = "require:"

// Parse lowers one file.
func Parse(p *tsparse.Parser, filename string, src []byte, timeout time.Duration) (*ir.File, error) {
	return tsparse.Lower(p, "javascript", filename, src, timeout, func(f *ir.File, root *sitter.Node) []*ir.Stmt {
		l := &lowerer{src: src, f: f}
		return l.block(root, "")
	})
}

type lowerer struct {
	src   []byte
	f     *ir.File
	depth int
}

func (l *lowerer) text(n *sitter.Node) string { return tsparse.Text(n, l.src) }

func (l *lowerer) field(n *sitter.Node, name string) *sitter.Node {
	if n == nil {
		return nil
	}
	return n.ChildByFieldName(name)
}

func (l *lowerer) block(n *sitter.Node, class string) []*ir.Stmt {
	var out []*ir.Stmt
	for _, c := range tsparse.Named(n) {
		out = append(out, l.stmt(c, class)...)
	}
	return out
}

// body lowers a statement used as a body (a block or a single statement).
func (l *lowerer) body(n *sitter.Node, class string) []*ir.Stmt {
	if n == nil {
		return nil
	}
	if n.Kind() == "statement_block" {
		return l.block(n, class)
	}
	return l.stmt(n, class)
}

func moduleName(s string) string {
	return strings.TrimPrefix(s, "node:")
}

func (l *lowerer) stmt(n *sitter.Node, class string) []*ir.Stmt {
	l.depth++
	defer func() { l.depth-- }()
	p := tsparse.Pos(n)
	if l.depth > maxDepth {
		l.f.Truncate(p)
		return nil
	}
	switch n.Kind() {
	case "import_statement":
		l.importStmt(n)
	case "expression_statement":
		if c := n.NamedChild(0); c != nil {
			return l.exprStmt(c)
		}
	case "lexical_declaration", "variable_declaration":
		var out []*ir.Stmt
		for _, d := range tsparse.Named(n) {
			if d.Kind() != "variable_declarator" {
				continue
			}
			name, value := l.field(d, "name"), l.field(d, "value")
			if value == nil {
				continue
			}
			l.noteRequire(name, value)
			lhs := l.pattern(name)
			rhs := l.expr(value)
			if lhs.Kind == ir.Name && rhs.Kind == ir.Func && rhs.Fn != nil && rhs.Fn.Name == "" {
				rhs.Fn.Name = lhs.Name // const helper = (x) => …
				l.f.Funcs = append(l.f.Funcs, rhs.Fn)
			}
			out = append(out, &ir.Stmt{Kind: ir.Assign, Op: "=", Lhs: []*ir.Expr{lhs}, Rhs: []*ir.Expr{rhs}, Pos: tsparse.Pos(d)})
		}
		return out
	case "return_statement":
		st := &ir.Stmt{Kind: ir.Return, Pos: p}
		if c := n.NamedChild(0); c != nil {
			st.Rhs = []*ir.Expr{l.expr(c)}
		}
		return []*ir.Stmt{st}
	case "throw_statement", "break_statement", "continue_statement":
		st := &ir.Stmt{Kind: ir.Exit, Pos: p}
		if c := n.NamedChild(0); c != nil && n.Kind() == "throw_statement" {
			st.X = l.expr(c)
		}
		return []*ir.Stmt{st}
	case "if_statement":
		st := &ir.Stmt{Kind: ir.If, X: l.expr(l.field(n, "condition")), Body: l.body(l.field(n, "consequence"), class), Pos: p}
		if alt := l.field(n, "alternative"); alt != nil {
			for _, c := range tsparse.Named(alt) {
				st.Else = append(st.Else, l.body(c, class)...)
			}
		}
		return []*ir.Stmt{st}
	case "for_statement":
		var out []*ir.Stmt
		if init := l.field(n, "initializer"); init != nil {
			out = append(out, l.stmt(init, class)...)
		}
		body := l.body(l.field(n, "body"), class)
		if inc := l.field(n, "increment"); inc != nil {
			body = append(body, &ir.Stmt{Kind: ir.ExprStmt, X: l.expr(inc), Pos: tsparse.Pos(inc)})
		}
		return append(out, &ir.Stmt{Kind: ir.Loop, Body: body, Pos: p})
	case "for_in_statement":
		st := &ir.Stmt{Kind: ir.Loop, X: l.expr(l.field(n, "right")), Body: l.body(l.field(n, "body"), class), Pos: p}
		st.Lhs = []*ir.Expr{l.pattern(l.field(n, "left"))}
		return []*ir.Stmt{st}
	case "while_statement", "do_statement":
		body := append([]*ir.Stmt{{Kind: ir.ExprStmt, X: l.expr(l.field(n, "condition")), Pos: p}}, l.body(l.field(n, "body"), class)...)
		return []*ir.Stmt{{Kind: ir.Loop, Body: body, Pos: p}}
	case "try_statement":
		st := &ir.Stmt{Kind: ir.Block, Body: l.body(l.field(n, "body"), class), Pos: p}
		if h := l.field(n, "handler"); h != nil {
			st.Else = append(st.Else, l.body(l.field(h, "body"), class)...)
		}
		if f := l.field(n, "finalizer"); f != nil {
			st.Else = append(st.Else, l.body(l.field(f, "body"), class)...)
		}
		return []*ir.Stmt{st}
	case "switch_statement":
		st := &ir.Stmt{Kind: ir.Block, Pos: p}
		st.Body = append(st.Body, &ir.Stmt{Kind: ir.ExprStmt, X: l.expr(l.field(n, "value")), Pos: p})
		for _, c := range tsparse.Named(l.field(n, "body")) {
			var body []*ir.Stmt
			for i := uint(0); i < c.NamedChildCount(); i++ {
				if c.FieldNameForNamedChild(uint32(i)) == "body" {
					body = append(body, l.stmt(c.NamedChild(i), class)...)
				}
			}
			st.Body = append(st.Body, &ir.Stmt{Kind: ir.If, Body: body, Pos: tsparse.Pos(c)})
		}
		return []*ir.Stmt{st}
	case "statement_block":
		return []*ir.Stmt{{Kind: ir.Block, Body: l.block(n, class), Pos: p}}
	case "labeled_statement":
		return l.body(l.field(n, "body"), class)
	case "function_declaration", "generator_function_declaration":
		fn := l.function(n, class)
		l.f.Funcs = append(l.f.Funcs, fn)
		return []*ir.Stmt{{Kind: ir.FuncDecl, Fn: fn, Pos: p}}
	case "class_declaration", "abstract_class_declaration", "class":
		name := l.text(l.field(n, "name"))
		var out []*ir.Stmt
		for _, m := range tsparse.Named(l.field(n, "body")) {
			switch m.Kind() {
			case "method_definition":
				fn := l.function(m, name)
				l.f.Funcs = append(l.f.Funcs, fn)
			case "public_field_definition", "field_definition":
				if v := l.field(m, "value"); v != nil {
					out = append(out, &ir.Stmt{Kind: ir.ExprStmt, X: l.expr(v), Pos: tsparse.Pos(m)})
				}
			}
		}
		return out
	case "export_statement":
		if d := l.field(n, "declaration"); d != nil {
			return l.stmt(d, class)
		}
		if v := l.field(n, "value"); v != nil {
			e := l.expr(v)
			if e.Kind == ir.Func && e.Fn != nil {
				if e.Fn.Name == "" {
					e.Fn.Name = "default"
				}
				l.f.Funcs = append(l.f.Funcs, e.Fn)
				return nil
			}
			return []*ir.Stmt{{Kind: ir.ExprStmt, X: e, Pos: p}}
		}
	case "comment", "empty_statement", "debugger_statement", "type_alias_declaration", "interface_declaration", "enum_declaration", "ambient_declaration":
	}
	return nil
}

// exprStmt lowers an expression statement; assignments become Assign.
func (l *lowerer) exprStmt(c *sitter.Node) []*ir.Stmt {
	p := tsparse.Pos(c)
	switch c.Kind() {
	case "assignment_expression", "augmented_assignment_expression":
		op := "="
		if c.Kind() == "augmented_assignment_expression" {
			op = l.text(l.field(c, "operator"))
		}
		left, right := l.field(c, "left"), l.field(c, "right")
		l.noteRequire(left, right)
		rhs := l.expr(right)
		lhs := l.pattern(left)
		if rhs.Kind == ir.Func && rhs.Fn != nil && rhs.Fn.Name == "" && lhs.Kind == ir.Attr {
			rhs.Fn.Name = lhs.Name // exports.handler = function (req, res) {…}
			l.f.Funcs = append(l.f.Funcs, rhs.Fn)
		}
		return []*ir.Stmt{{Kind: ir.Assign, Op: op, Lhs: []*ir.Expr{lhs}, Rhs: []*ir.Expr{rhs}, Pos: p}}
	case "sequence_expression":
		var out []*ir.Stmt
		for _, k := range tsparse.Named(c) {
			out = append(out, l.exprStmt(k)...)
		}
		return out
	}
	return []*ir.Stmt{{Kind: ir.ExprStmt, X: l.expr(c), Pos: p}}
}

func (l *lowerer) importStmt(n *sitter.Node) {
	src, _ := l.stringValue(l.field(n, "source"))
	mod := moduleName(src)
	for _, c := range tsparse.Named(n) {
		if c.Kind() != "import_clause" {
			continue
		}
		for _, k := range tsparse.Named(c) {
			switch k.Kind() {
			case "identifier":
				l.f.Imports[l.text(k)] = mod
			case "namespace_import":
				if id := k.NamedChild(0); id != nil {
					l.f.Imports[l.text(id)] = mod
				}
			case "named_imports":
				for _, s := range tsparse.Named(k) {
					if s.Kind() != "import_specifier" {
						continue
					}
					name := l.text(l.field(s, "name"))
					local := name
					if a := l.field(s, "alias"); a != nil {
						local = l.text(a)
					}
					l.f.Imports[local] = mod + "." + name
				}
			}
		}
	}
}

// noteRequire records `x = require("m")`, `{a, b: c} = require("m")` and
// `x = require("m").y` as imports.
func (l *lowerer) noteRequire(name, value *sitter.Node) {
	if name == nil || value == nil {
		return
	}
	mod, member := l.requireOf(value)
	if mod == "" {
		return
	}
	if member != "" {
		mod += "." + member
	}
	switch name.Kind() {
	case "identifier":
		l.f.Imports[l.text(name)] = mod
	case "object_pattern":
		for _, p := range tsparse.Named(name) {
			switch p.Kind() {
			case "shorthand_property_identifier_pattern":
				l.f.Imports[l.text(p)] = mod + "." + l.text(p)
			case "pair_pattern":
				if v := l.field(p, "value"); v != nil && v.Kind() == "identifier" {
					l.f.Imports[l.text(v)] = mod + "." + l.text(l.field(p, "key"))
				}
			}
		}
	}
}

// requireOf recognises require("m") and require("m").member.
func (l *lowerer) requireOf(n *sitter.Node) (mod, member string) {
	for n != nil && (n.Kind() == "await_expression" || n.Kind() == "parenthesized_expression") {
		n = n.NamedChild(0)
	}
	if n == nil {
		return "", ""
	}
	if n.Kind() == "member_expression" {
		m, _ := l.requireOf(l.field(n, "object"))
		if m == "" {
			return "", ""
		}
		return m, l.text(l.field(n, "property"))
	}
	if n.Kind() != "call_expression" {
		return "", ""
	}
	fn := l.field(n, "function")
	if fn == nil || l.text(fn) != "require" {
		return "", ""
	}
	args := tsparse.Named(l.field(n, "arguments"))
	if len(args) != 1 {
		return "", ""
	}
	s, ok := l.stringValue(args[0])
	if !ok {
		return "", ""
	}
	return moduleName(s), ""
}

func (l *lowerer) function(n *sitter.Node, class string) *ir.Function {
	fn := &ir.Function{Name: l.text(l.field(n, "name")), Class: class, Pos: tsparse.Pos(n)}
	if class != "" {
		fn.Self = "this"
	}
	if ps := l.field(n, "parameters"); ps != nil {
		fn.Params = l.params(ps)
	} else if p := l.field(n, "parameter"); p != nil {
		fn.Params = []ir.Param{{Name: l.text(p), Pos: tsparse.Pos(p)}}
	}
	body := l.field(n, "body")
	if body != nil && body.Kind() != "statement_block" {
		// (x) => expr
		fn.Body = []*ir.Stmt{{Kind: ir.Return, Rhs: []*ir.Expr{l.expr(body)}, Pos: tsparse.Pos(body)}}
	} else {
		fn.Body = l.block(body, "")
	}
	return fn
}

func (l *lowerer) params(n *sitter.Node) []ir.Param {
	var out []ir.Param
	for _, c := range tsparse.Named(n) {
		p := ir.Param{Pos: tsparse.Pos(c)}
		switch c.Kind() {
		case "identifier":
			p.Name = l.text(c)
		case "required_parameter", "optional_parameter":
			pat := l.field(c, "pattern")
			if pat != nil && pat.Kind() == "identifier" {
				p.Name = l.text(pat)
			} else {
				p.Name = l.text(pat)
			}
			if t := l.field(c, "type"); t != nil {
				p.Type = strings.TrimSpace(strings.TrimPrefix(l.text(t), ":"))
			}
			if v := l.field(c, "value"); v != nil {
				p.Default = l.expr(v)
			}
		case "assignment_pattern":
			p.Name = l.text(l.field(c, "left"))
			p.Default = l.expr(l.field(c, "right"))
		case "rest_pattern":
			p.Name = strings.TrimPrefix(l.text(c), "...")
		default:
			p.Name = l.text(c) // destructured: {query} — kept as written
		}
		out = append(out, p)
	}
	return out
}
