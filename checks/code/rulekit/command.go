package rulekit

import (
	"path"
	"strings"

	"github.com/wardenbot/warden/checks/code/ir"
)

// shells run the argument after -c (or /c) as a script.
var shells = map[string]bool{"sh": true, "bash": true, "zsh": true, "dash": true, "ksh": true, "fish": true,
	"cmd": true, "cmd.exe": true, "powershell": true, "powershell.exe": true, "pwsh": true}

// IsShell reports whether a literal names a shell ("/bin/bash", "sh").
func IsShell(e *ir.Expr) bool {
	s, ok := ir.StringValue(e)
	return ok && shells[path.Base(strings.TrimSpace(s))]
}

// Flatten lists the elements of an argument list, expanding literal lists
// and tuples and skipping keyword arguments: spawnl(mode, "/bin/sh", "-c",
// x) and spawnve(mode, "/bin/sh", ["-c", x], env) both give […, "-c", x, …].
func Flatten(args []*ir.Expr) []*ir.Expr {
	var out []*ir.Expr
	for _, a := range args {
		for a != nil && a.Kind == ir.Unary && (a.Name == "()" || a.Name == "*") {
			a = a.X
		}
		switch {
		case a == nil || a.Kind == ir.KeyValue:
		case a.Kind == ir.Collection && a.Name != "dict" && a.Name != "object":
			out = append(out, Flatten(a.Args)...)
		default:
			out = append(out, a)
		}
	}
	return out
}

// ShellScript returns what a shell runs when the argument list invokes one
// with -c: the elements after the flag. ok is false when there is no -c.
func ShellScript(args []*ir.Expr) ([]*ir.Expr, bool) {
	flat := Flatten(args)
	for i, a := range flat {
		if s, ok := ir.StringValue(a); ok && (s == "-c" || s == "/c" || s == "/C" || s == "-Command") {
			return flat[i+1:], true
		}
	}
	return nil, false
}
