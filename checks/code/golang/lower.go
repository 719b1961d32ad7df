// Package golang lowers Go source into the code check's IR and holds the
// Go rule tables. It parses with go/parser only: nothing from the scanned
// repository is built, loaded or run.
package golang

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path"
	"strconv"
	"strings"

	"github.com/wardenbot/warden/checks/code/ir"
)

// Parse lowers one Go file. For a file with syntax errors (work in
// progress, or a test fixture) the declarations go/parser recovered are
// still lowered, and the error is returned alongside them.
func Parse(filename string, src []byte) (*ir.File, error) {
	fset := token.NewFileSet()
	af, perr := parser.ParseFile(fset, filename, src, parser.SkipObjectResolution)
	if af == nil || af.Name == nil {
		return nil, fmt.Errorf("parse %s: %w", filename, firstError(perr))
	}
	var err error
	if perr != nil {
		err = fmt.Errorf("parse %s: %w", filename, firstError(perr))
	}
	l := &lowerer{fset: fset, tf: fset.File(af.Pos()), f: &ir.File{Lang: "go", Path: filename, Src: src, Imports: map[string]string{}}}
	l.imports(af)
	l.f.Module = &ir.Function{Name: ""}
	for _, d := range af.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			l.f.Funcs = append(l.f.Funcs, l.funcDecl(d))
		case *ast.GenDecl:
			l.f.Module.Body = append(l.f.Module.Body, l.genDecl(d)...)
		}
	}
	return l.f, err
}

func firstError(err error) error {
	if list, ok := err.(interface{ Unwrap() []error }); ok {
		if errs := list.Unwrap(); len(errs) > 0 {
			return errs[0]
		}
	}
	return err
}

type lowerer struct {
	fset    *token.FileSet
	tf      *token.File
	f       *ir.File
	depth   int
	scope   scopes
	renames int
}

// ImportName is the name a Go import binds without an explicit alias: the
// last path element, skipping a major-version suffix (echo/v4 → echo) and
// the gopkg.in ".vN" suffix (yaml.v3 → yaml).
func ImportName(p string) string {
	base := path.Base(p)
	if len(base) >= 2 && base[0] == 'v' && isDigits(base[1:]) {
		base = path.Base(path.Dir(p))
	}
	if i := strings.Index(base, ".v"); i > 0 && isDigits(base[i+2:]) {
		base = base[:i]
	}
	base = strings.TrimPrefix(base, "go-")
	return strings.ReplaceAll(base, "-", "")
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func (l *lowerer) imports(af *ast.File) {
	for _, is := range af.Imports {
		p, err := strconv.Unquote(is.Path.Value)
		if err != nil {
			continue
		}
		name := ImportName(p)
		if is.Name != nil {
			name = is.Name.Name
		}
		if name == "_" || name == "." {
			continue
		}
		l.f.Imports[name] = p
	}
}

func (l *lowerer) pos(n ast.Node) ir.Pos {
	if n == nil || !n.Pos().IsValid() {
		return ir.Pos{}
	}
	s, e := l.fset.Position(n.Pos()), l.fset.Position(n.End())
	return ir.Pos{Line: s.Line, Col: s.Column, EndLine: e.Line, EndCol: e.Column, Start: s.Offset, End: e.Offset}
}

func (l *lowerer) funcDecl(d *ast.FuncDecl) *ir.Function {
	fn := &ir.Function{Name: d.Name.Name, Pos: l.pos(d)}
	if d.Recv != nil && len(d.Recv.List) > 0 {
		r := d.Recv.List[0]
		fn.Class = strings.TrimPrefix(types.ExprString(r.Type), "*")
		if len(r.Names) > 0 {
			fn.Self = r.Names[0].Name
		}
	}
	saved := l.scope
	l.scope = nil
	l.push()
	if fn.Self != "" {
		l.declare(fn.Self)
	}
	fn.Params = l.params(d.Type)
	if d.Body != nil {
		fn.Body = l.stmts(d.Body.List)
	}
	l.scope = saved
	return fn
}

func (l *lowerer) params(ft *ast.FuncType) []ir.Param {
	var ps []ir.Param
	if ft == nil || ft.Params == nil {
		return nil
	}
	for _, field := range ft.Params.List {
		typ := types.ExprString(field.Type)
		if len(field.Names) == 0 {
			ps = append(ps, ir.Param{Name: "_", Type: typ, Pos: l.pos(field)})
		}
		for _, n := range field.Names {
			ps = append(ps, ir.Param{Name: l.declare(n.Name), Type: typ, Pos: l.pos(n)})
		}
	}
	return ps
}

func (l *lowerer) genDecl(d *ast.GenDecl) []*ir.Stmt {
	var out []*ir.Stmt
	if d.Tok != token.VAR && d.Tok != token.CONST {
		return nil
	}
	for _, spec := range d.Specs {
		vs, ok := spec.(*ast.ValueSpec)
		if !ok {
			continue
		}
		s := &ir.Stmt{Kind: ir.Assign, Op: "=", Pos: l.pos(vs)}
		for _, v := range vs.Values {
			s.Rhs = append(s.Rhs, l.expr(v))
		}
		for _, n := range vs.Names {
			s.Lhs = append(s.Lhs, &ir.Expr{Kind: ir.Name, Name: l.declare(n.Name), Pos: l.pos(n)})
		}
		if len(s.Rhs) == 0 {
			continue
		}
		out = append(out, s)
	}
	return out
}
