// Package python lowers Python source, parsed with tree-sitter, into the
// code check's IR and holds the Python rule tables.
package python

import (
	"strings"
	"time"

	sitter "github.com/tree-sitter/go-tree-sitter"
	grammar "github.com/tree-sitter/tree-sitter-python/bindings/go"

	"github.com/wardenbot/warden/checks/code/ir"
	"github.com/wardenbot/warden/checks/code/tsparse"
)

// NewParser makes a Python parser; the caller closes it.
func NewParser() (*tsparse.Parser, error) {
	return tsparse.NewParser(sitter.NewLanguage(grammar.Language()))
}

// maxDepth bounds recursion on pathological nesting.
const maxDepth = 400

// Parse lowers one Python file. Syntax errors are tolerated: tree-sitter
// recovers and the well-formed parts are analysed.
func Parse(p *tsparse.Parser, filename string, src []byte, timeout time.Duration) (*ir.File, error) {
	return tsparse.Lower(p, "python", filename, src, timeout, func(f *ir.File, root *sitter.Node) []*ir.Stmt {
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

func (l *lowerer) block(n *sitter.Node, class string) []*ir.Stmt {
	var out []*ir.Stmt
	for _, c := range tsparse.Named(n) {
		out = append(out, l.stmt(c, class)...)
	}
	return out
}

func (l *lowerer) field(n *sitter.Node, name string) *sitter.Node { return n.ChildByFieldName(name) }

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
		for _, c := range tsparse.Named(n) {
			l.importName(c, "")
		}
	case "import_from_statement":
		mod := l.text(l.field(n, "module_name"))
		for i := uint(0); i < n.NamedChildCount(); i++ {
			if n.FieldNameForNamedChild(uint32(i)) == "name" {
				l.importName(n.NamedChild(i), mod)
			}
		}
	case "future_import_statement", "pass_statement", "global_statement", "nonlocal_statement", "comment":
	case "expression_statement":
		var out []*ir.Stmt
		for _, c := range tsparse.Named(n) {
			switch c.Kind() {
			case "assignment", "augmented_assignment":
				out = append(out, l.assignment(c)...)
			default:
				out = append(out, &ir.Stmt{Kind: ir.ExprStmt, X: l.expr(c), Pos: p})
			}
		}
		return out
	case "return_statement":
		st := &ir.Stmt{Kind: ir.Return, Pos: p}
		for _, c := range tsparse.Named(n) {
			st.Rhs = append(st.Rhs, l.expr(c))
		}
		return []*ir.Stmt{st}
	case "raise_statement", "break_statement", "continue_statement":
		st := &ir.Stmt{Kind: ir.Exit, Pos: p}
		if c := n.NamedChild(0); c != nil {
			st.X = l.expr(c)
		}
		return []*ir.Stmt{st}
	case "if_statement":
		return []*ir.Stmt{l.ifStmt(n, class)}
	case "for_statement":
		st := &ir.Stmt{Kind: ir.Loop, X: l.expr(l.field(n, "right")), Body: l.block(l.field(n, "body"), class), Pos: p}
		st.Lhs = []*ir.Expr{l.expr(l.field(n, "left"))}
		if alt := l.field(n, "alternative"); alt != nil {
			st.Else = l.block(l.field(alt, "body"), class)
		}
		return []*ir.Stmt{st}
	case "while_statement":
		body := append([]*ir.Stmt{{Kind: ir.ExprStmt, X: l.expr(l.field(n, "condition")), Pos: p}}, l.block(l.field(n, "body"), class)...)
		return []*ir.Stmt{{Kind: ir.Loop, Body: body, Pos: p}}
	case "with_statement":
		var body []*ir.Stmt
		for _, c := range tsparse.Named(n) {
			if c.Kind() == "with_clause" {
				for _, item := range tsparse.Named(c) {
					body = append(body, l.withItem(item)...)
				}
			}
		}
		body = append(body, l.block(l.field(n, "body"), class)...)
		return []*ir.Stmt{{Kind: ir.Block, Body: body, Pos: p}}
	case "try_statement":
		st := &ir.Stmt{Kind: ir.Block, Body: l.block(l.field(n, "body"), class), Pos: p}
		for _, c := range tsparse.Named(n) {
			switch c.Kind() {
			case "except_clause", "except_group_clause", "else_clause", "finally_clause":
				for _, b := range tsparse.Named(c) {
					if b.Kind() == "block" {
						st.Else = append(st.Else, l.block(b, class)...)
					}
				}
			}
		}
		return []*ir.Stmt{st}
	case "match_statement":
		st := &ir.Stmt{Kind: ir.Block, Pos: p}
		st.Body = append(st.Body, &ir.Stmt{Kind: ir.ExprStmt, X: l.expr(l.field(n, "subject")), Pos: p})
		if body := l.field(n, "body"); body != nil {
			for _, c := range tsparse.Named(body) {
				if b := l.field(c, "consequence"); b != nil {
					st.Body = append(st.Body, &ir.Stmt{Kind: ir.If, Body: l.block(b, class), Pos: tsparse.Pos(c)})
				}
			}
		}
		return []*ir.Stmt{st}
	case "function_definition":
		fn := l.function(n, class, nil)
		return []*ir.Stmt{{Kind: ir.FuncDecl, Fn: fn, Pos: p}}
	case "decorated_definition":
		var decos []*ir.Expr
		for _, c := range tsparse.Named(n) {
			if c.Kind() == "decorator" {
				if e := c.NamedChild(0); e != nil {
					decos = append(decos, l.expr(e))
				}
			}
		}
		def := l.field(n, "definition")
		if def == nil {
			return nil
		}
		if def.Kind() == "function_definition" {
			fn := l.function(def, class, decos)
			return []*ir.Stmt{{Kind: ir.FuncDecl, Fn: fn, Pos: p}}
		}
		return l.stmt(def, class)
	case "class_definition":
		name := l.text(l.field(n, "name"))
		// Class bodies run once at definition; their statements are
		// module-level code, and methods are collected as functions.
		return []*ir.Stmt{{Kind: ir.Block, Body: l.block(l.field(n, "body"), name), Pos: p}}
	case "block":
		return l.block(n, class)
	case "assert_statement", "delete_statement", "print_statement", "exec_statement":
		var out []*ir.Stmt
		for _, c := range tsparse.Named(n) {
			out = append(out, &ir.Stmt{Kind: ir.ExprStmt, X: l.expr(c), Pos: p})
		}
		return out
	}
	return nil
}

func (l *lowerer) importName(n *sitter.Node, from string) {
	name, alias := n, n
	if n.Kind() == "aliased_import" {
		name, alias = l.field(n, "name"), l.field(n, "alias")
	}
	full := l.text(name)
	local := l.text(alias)
	switch {
	case from != "":
		l.f.Imports[local] = strings.TrimLeft(from, ".") + "." + full
	case n.Kind() == "aliased_import":
		l.f.Imports[local] = full
	default:
		// `import os.path` binds os.
		head, _, _ := strings.Cut(full, ".")
		l.f.Imports[head] = head
	}
}

func (l *lowerer) withItem(item *sitter.Node) []*ir.Stmt {
	v := l.field(item, "value")
	if v == nil {
		return nil
	}
	if v.Kind() == "as_pattern" {
		// with open(p) as f: f holds what open returned.
		val := v.NamedChild(0)
		target := l.field(v, "alias")
		if target == nil && v.NamedChildCount() > 1 {
			target = v.NamedChild(v.NamedChildCount() - 1)
		}
		if target != nil && target.Kind() == "as_pattern_target" && target.NamedChild(0) != nil {
			target = target.NamedChild(0)
		}
		return []*ir.Stmt{{Kind: ir.Assign, Op: "=", Lhs: []*ir.Expr{l.expr(target)}, Rhs: []*ir.Expr{l.expr(val)}, Pos: tsparse.Pos(item)}}
	}
	return []*ir.Stmt{{Kind: ir.ExprStmt, X: l.expr(v), Pos: tsparse.Pos(item)}}
}

func (l *lowerer) ifStmt(n *sitter.Node, class string) *ir.Stmt {
	st := &ir.Stmt{Kind: ir.If, X: l.expr(l.field(n, "condition")), Body: l.block(l.field(n, "consequence"), class), Pos: tsparse.Pos(n)}
	// elif chains nest as else { if … }.
	tail := st
	for i := uint(0); i < n.NamedChildCount(); i++ {
		if n.FieldNameForNamedChild(uint32(i)) != "alternative" {
			continue
		}
		c := n.NamedChild(i)
		switch c.Kind() {
		case "elif_clause":
			next := &ir.Stmt{Kind: ir.If, X: l.expr(l.field(c, "condition")), Body: l.block(l.field(c, "consequence"), class), Pos: tsparse.Pos(c)}
			tail.Else = []*ir.Stmt{next}
			tail = next
		case "else_clause":
			tail.Else = l.block(l.field(c, "body"), class)
		}
	}
	return st
}

func (l *lowerer) assignment(n *sitter.Node) []*ir.Stmt {
	p := tsparse.Pos(n)
	left, right := l.field(n, "left"), l.field(n, "right")
	if right == nil {
		return nil // an annotation without a value
	}
	op := "="
	if n.Kind() == "augmented_assignment" {
		op = l.text(l.field(n, "operator"))
	}
	var out []*ir.Stmt
	// a = b = value: the inner assignment runs first.
	if right.Kind() == "assignment" {
		out = l.assignment(right)
		right = l.field(right, "left")
	}
	st := &ir.Stmt{Kind: ir.Assign, Op: op, Pos: p}
	st.Lhs = l.targets(left)
	st.Rhs = l.targets(right)
	if len(st.Lhs) != len(st.Rhs) {
		st.Rhs = []*ir.Expr{l.expr(right)}
	}
	return append(out, st)
}

// targets unpacks `a, b` on either side of an assignment.
func (l *lowerer) targets(n *sitter.Node) []*ir.Expr {
	if n == nil {
		return nil
	}
	if n.Kind() == "pattern_list" || n.Kind() == "expression_list" {
		var out []*ir.Expr
		for _, c := range tsparse.Named(n) {
			out = append(out, l.expr(c))
		}
		return out
	}
	return []*ir.Expr{l.expr(n)}
}

func (l *lowerer) function(n *sitter.Node, class string, decos []*ir.Expr) *ir.Function {
	fn := &ir.Function{Name: l.text(l.field(n, "name")), Class: class, Decorators: decos, Pos: tsparse.Pos(n)}
	fn.Params = l.params(l.field(n, "parameters"))
	if class != "" && len(fn.Params) > 0 && (fn.Params[0].Name == "self" || fn.Params[0].Name == "cls") {
		fn.Self = fn.Params[0].Name
	}
	fn.Body = l.block(l.field(n, "body"), "")
	l.f.Funcs = append(l.f.Funcs, fn)
	return fn
}

func (l *lowerer) params(n *sitter.Node) []ir.Param {
	var out []ir.Param
	for _, c := range tsparse.Named(n) {
		p := ir.Param{Pos: tsparse.Pos(c)}
		switch c.Kind() {
		case "identifier":
			p.Name = l.text(c)
		case "typed_parameter":
			if id := c.NamedChild(0); id != nil {
				p.Name = strings.TrimLeft(l.text(id), "*")
			}
			p.Type = l.text(l.field(c, "type"))
		case "default_parameter", "typed_default_parameter":
			p.Name = l.text(l.field(c, "name"))
			p.Type = l.text(l.field(c, "type"))
			p.Default = l.expr(l.field(c, "value"))
		case "list_splat_pattern", "dictionary_splat_pattern":
			p.Name = strings.TrimLeft(l.text(c), "*")
		default:
			continue
		}
		out = append(out, p)
	}
	return out
}
