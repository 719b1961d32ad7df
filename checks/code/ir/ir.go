// Package ir is the language-neutral representation the code check analyses.
// Each language front end (Go, Python, JavaScript/TypeScript) lowers its
// syntax tree into these few node kinds; the taint engine and pattern rules
// only ever see IR, so a new language is a front end plus rule tables.
package ir

// Pos is a source range: 1-based lines and columns, byte offsets into the
// file for quoting the original text.
type Pos struct {
	Line, Col       int
	EndLine, EndCol int
	Start, End      int // byte offsets, End exclusive
}

// ExprKind says what an expression is.
type ExprKind uint8

const (
	Unknown    ExprKind = iota
	Name                // identifier: Name
	Attr                // member access: X.Name
	Call                // X(Args...); keyword arguments are KeyValue args
	Index               // X[Args...]
	StrLit              // string literal; Value is the decoded text
	NumLit              // number literal; Value is the source text
	BoolLit             // Value is "true" or "false"
	NullLit             // nil, None, null, undefined
	Binary              // Args[0] Name Args[1]; Name is the operator
	Unary               // Name X (also await, spread, &x, *x)
	Format              // f-string or template literal: Args alternate literal parts and expressions
	Collection          // list, tuple, dict, object or composite literal; Name is the Go type when known
	KeyValue            // Name: X in a collection or call (keyword argument); Key holds a computed key
	Func                // function literal or lambda: Fn
	Cond                // ternary: Args are condition, then, else
)

// Expr is one expression.
type Expr struct {
	Kind  ExprKind
	Name  string
	Value string
	X     *Expr
	Key   *Expr // computed key of a KeyValue (x[k]: v) when not a plain name
	Args  []*Expr
	Fn    *Function
	Pos   Pos
}

// StmtKind says what a statement is.
type StmtKind uint8

const (
	ExprStmt StmtKind = iota // X
	Assign                   // Lhs Op Rhs; Op is "=" or a compound operator like "+="
	Return                   // Results in Rhs
	Exit                     // raise, throw, panic, continue, break: control leaves the block
	If                       // if X { Body } else { Else }
	Loop                     // for Lhs in X { Body } (X may be nil)
	Block                    // with/try/switch bodies flattened into Body (and Else)
	FuncDecl                 // a nested named function: Fn
)

// Stmt is one statement.
type Stmt struct {
	Kind StmtKind
	X    *Expr
	Lhs  []*Expr
	Rhs  []*Expr
	Op   string
	Body []*Stmt
	Else []*Stmt
	Fn   *Function
	Pos  Pos
}

// Param is one function parameter.
type Param struct {
	Name    string
	Type    string // the annotation as written, "" when none
	Default *Expr
	Pos     Pos
}

// Function is a function, method, lambda or the module's top level.
type Function struct {
	Name       string // "" for literals
	Class      string // enclosing class or Go receiver type, "" when none
	Self       string // receiver name: Go's `s` in func (s *T), Python's self
	Params     []Param
	Body       []*Stmt
	Decorators []*Expr
	Pos        Pos
}

// HasParam reports whether fn (which may be nil) has a parameter of
// that name.
func (fn *Function) HasParam(name string) bool {
	if fn == nil {
		return false
	}
	for _, p := range fn.Params {
		if p.Name == name {
			return true
		}
	}
	return false
}

// File is one lowered source file.
type File struct {
	Lang string
	Path string
	Src  []byte
	// Imports maps a local name to what it stands for: a Go package path
	// ("database/sql"), a Python module or member ("flask.request"), a
	// JavaScript module or export ("child_process.exec").
	Imports map[string]string
	// Funcs are the named functions and methods at any depth of the file,
	// in source order; literals are reached through the statements.
	Funcs []*Function
	// Module holds the statements at the top level (Python and JavaScript
	// scripts; package-level var declarations in Go).
	Module *Function
	// Truncated is where lowering first stopped at its nesting limit:
	// code nested deeper is missing from the IR. Nil when nothing was cut.
	Truncated *Pos
}

// Truncate records that lowering stopped at p.
func (f *File) Truncate(p Pos) {
	if f.Truncated == nil {
		f.Truncated = &p
	}
}

// Text returns the source text of a range.
func (f *File) Text(p Pos) string {
	if p.Start < 0 || p.End > len(f.Src) || p.Start >= p.End {
		return ""
	}
	return string(f.Src[p.Start:p.End])
}
