package python

import (
	"path"
	"strings"

	"github.com/wardenbot/warden/checks/code/ir"
	"github.com/wardenbot/warden/checks/code/rulekit"
)

// What decides the command a process call runs depends on the shape of its
// argument: the whole string given to a shell; for an argument list, the
// program (its first element), the script after a shell's -c, or the code
// or script file an interpreter runs. These helpers pick those parts.

// assignedBefore is the value last assigned to a plain local name before
// pos in fn (in source order, at any nesting), or nil, with the
// assignment's position. It lets a sink see the shape of
// `cmd = ["ping", ip]; subprocess.run(cmd)`.
func assignedBefore(fn *ir.Function, name string, pos int) (*ir.Expr, int) {
	if fn == nil {
		return nil, 0
	}
	var last *ir.Expr
	at := 0
	var walk func(ss []*ir.Stmt)
	walk = func(ss []*ir.Stmt) {
		for _, s := range ss {
			if s.Pos.Start >= pos {
				return
			}
			if s.Kind == ir.Assign && s.Op == "=" && len(s.Lhs) == 1 && len(s.Rhs) == 1 &&
				s.Lhs[0].Kind == ir.Name && s.Lhs[0].Name == name {
				last, at = s.Rhs[0], s.Pos.Start
			}
			walk(s.Body)
			walk(s.Else)
		}
	}
	walk(fn.Body)
	return last, at
}

// resolveLocal follows a name to the value assigned to it earlier in fn,
// a few steps deep, and gives the position names in that value are read
// at; anything else is returned as it is.
func resolveLocal(fn *ir.Function, e *ir.Expr, pos int) (*ir.Expr, int) {
	for i := 0; i < 4 && e != nil && e.Kind == ir.Name; i++ {
		v, at := assignedBefore(fn, e.Name, pos)
		if v == nil {
			return e, pos
		}
		e, pos = v, at
	}
	return e, pos
}

// commandName is the base name of a constant program ("/usr/bin/python3"
// gives "python3"), or "" when the program is not a constant.
func commandName(fn *ir.Function, e *ir.Expr, pos int) string {
	if ir.Dotted(e) == "sys.executable" {
		return "python"
	}
	v, _ := resolveLocal(fn, e, pos)
	s, ok := ir.StringValue(v)
	if !ok {
		return ""
	}
	return path.Base(strings.TrimSpace(s))
}

// argvParts picks, from an argument list (program first), the parts that
// decide what runs: the script after a shell's -c; the code, module or
// script file an interpreter runs; otherwise the program alone.
func argvParts(fn *ir.Function, argv []*ir.Expr, pos int) []*ir.Expr {
	if len(argv) == 0 {
		return nil
	}
	prog := commandName(fn, argv[0], pos)
	rest := rulekit.Flatten(argv[1:])
	if script, ok := rulekit.ShellScript(rest); ok && (rulekit.IsShell(argv[0]) || shells[prog]) {
		return script // ["bash", "-c", script]
	}
	if rulekit.IsInterpreter(prog) || shells[prog] {
		if code := rulekit.InterpreterCode(rest); code != nil {
			return []*ir.Expr{code}
		}
	}
	return argv[:1]
}

// shells are the shells whose operand is a script file (bash script.sh).
var shells = set("sh", "bash", "dash", "zsh", "ksh", "ash", "fish")

// argvOf lists the elements of an argument list: a list or tuple literal
// (or a name assigned one), a concatenation that starts with one
// ([sys.executable, "-m", "pip"] + args), or shlex.split(s), whose program
// is the first word of s, so s stands for it and is judged by how it
// begins. ok is false for anything else, a string in particular.
func argvOf(f *ir.File, fn *ir.Function, e *ir.Expr, pos, depth int) (argv []*ir.Expr, ok bool) {
	v, at := resolveLocal(fn, e, pos)
	switch {
	case v == nil || depth > 8:
	case v.Kind == ir.Collection && v.Name != "dict":
		return v.Args, true
	case v.Kind == ir.Binary && v.Name == "+":
		if head, ok := argvOf(f, fn, v.Args[0], at, depth+1); ok {
			return append(append([]*ir.Expr(nil), head...), v.Args[1]), true
		}
	case v.Kind == ir.Call && f.Callee(v) == "shlex.split":
		if s := ir.Positional(v, 0); s != nil {
			return []*ir.Expr{s}, true // shlex.split("ping " + host) runs ping
		}
	}
	return nil, false
}

// commandString reports a value built as text: a literal, an f-string, a
// %- or .format() formatting, or a concatenation with a literal piece
// ("ping " + host). A concatenation of names alone may be a list.
func commandString(e *ir.Expr, depth int) bool {
	if e == nil || depth > 8 {
		return false
	}
	switch e.Kind {
	case ir.StrLit, ir.Format:
		return true
	case ir.Unary:
		return e.Name == "()" && commandString(e.X, depth+1)
	case ir.Binary:
		if e.Name == "%" {
			_, lit := ir.StringValue(e.Args[0])
			return lit
		}
		return e.Name == "+" && (commandString(e.Args[0], depth+1) || commandString(e.Args[1], depth+1))
	case ir.Call:
		if e.X == nil || e.X.Kind != ir.Attr || (e.X.Name != "format" && e.X.Name != "join") {
			return false
		}
		_, lit := ir.StringValue(e.X.X)
		return lit
	}
	return false
}
