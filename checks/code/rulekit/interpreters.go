package rulekit

import (
	"path"
	"strings"

	"github.com/wardenbot/warden/checks/code/ir"
)

// interpreters run their first operand (or the argument of -c/-e) as code.
var interpreters = map[string]bool{"python": true, "python2": true, "python3": true, "pypy": true, "pypy3": true,
	"node": true, "nodejs": true, "deno": true, "bun": true, "perl": true, "ruby": true, "php": true, "lua": true,
	"Rscript": true, "osascript": true}

// codeFlags introduce inline code (python -c, node -e, php -r) or a module
// to run (python -m).
var codeFlags = map[string]bool{"-c": true, "-e": true, "-r": true, "-m": true, "--eval": true, "--command": true}

// IsInterpreter reports whether a program's base name ("python3.12",
// "node") is a language interpreter.
func IsInterpreter(name string) bool {
	name = path.Base(strings.TrimSuffix(strings.TrimSpace(name), ".exe"))
	return interpreters[name] || interpreters[strings.TrimRight(name, "0123456789.")]
}

// InterpreterCode is what an interpreter runs from its arguments: the
// value after -c/-e/-m, or its first operand (the script file). A constant
// operand right after an option is taken as the option's value (python -W
// ignore) unless it names a script file; a non-constant argument could
// itself be -c, so it counts as code.
func InterpreterCode(args []*ir.Expr) *ir.Expr {
	for i, a := range args {
		s, ok := ir.StringValue(a)
		switch {
		case !ok:
			return a
		case codeFlags[s]:
			if i+1 < len(args) {
				return args[i+1]
			}
			return nil
		case strings.HasPrefix(s, "-"):
			continue
		case scriptFile(s) || i == 0 || !strings.HasPrefix(constString(args[i-1]), "-"):
			return nil // a constant script: its arguments are data
		}
	}
	return nil
}

func constString(e *ir.Expr) string {
	s, _ := ir.StringValue(e)
	return s
}

// scriptFile reports a constant that names a script rather than an option
// value: a path or a file with a script extension.
func scriptFile(s string) bool {
	switch path.Ext(s) {
	case ".py", ".js", ".mjs", ".cjs", ".ts", ".pl", ".rb", ".php", ".sh", ".lua", ".R":
		return true
	}
	return strings.Contains(s, "/")
}
