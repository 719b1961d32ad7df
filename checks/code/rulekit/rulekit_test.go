package rulekit

import (
	"testing"

	"github.com/wardenbot/warden/checks/code/ir"
)

func str(s string) *ir.Expr  { return &ir.Expr{Kind: ir.StrLit, Value: s} }
func name(s string) *ir.Expr { return &ir.Expr{Kind: ir.Name, Name: s} }
func concat(xs ...*ir.Expr) *ir.Expr {
	e := xs[0]
	for _, x := range xs[1:] {
		e = &ir.Expr{Kind: ir.Binary, Name: "+", Args: []*ir.Expr{e, x}}
	}
	return e
}

func TestParameterize(t *testing.T) {
	q := func(int) string { return "?" }
	for _, tc := range []struct {
		name string
		e    *ir.Expr
		want string
		ok   bool
	}{
		{"quoted value", concat(str("SELECT * FROM u WHERE name = '"), name("n"), str("'")), "SELECT * FROM u WHERE name = ?", true},
		{"bare number", concat(str("DELETE FROM t WHERE id = "), name("id")), "DELETE FROM t WHERE id = ?", true},
		{"two values", concat(str("SELECT 1 WHERE a = '"), name("a"), str("' AND b = "), name("b")), "SELECT 1 WHERE a = ? AND b = ?", true},
		{"identifier is not a value", concat(str("SELECT * FROM "), name("table")), "", false},
		{"inside a LIKE pattern", concat(str("SELECT 1 WHERE a LIKE '%"), name("a"), str("%'")), "", false},
		{"unbalanced quote", concat(str("SELECT 1 WHERE a = '"), name("a")), "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parts, ok := SplitString(tc.e, nil)
			if !ok {
				t.Fatal("SplitString failed")
			}
			got, args, ok := Parameterize(parts, q)
			if ok != tc.ok || got != tc.want {
				t.Fatalf("Parameterize = %q, %v; want %q, %v", got, ok, tc.want, tc.ok)
			}
			if ok && len(args) == 0 {
				t.Fatal("no values returned")
			}
		})
	}
}

func TestSplitPrintf(t *testing.T) {
	var parts []Part
	if !splitPrintf("a = %s and b = %d%%", []*ir.Expr{name("x"), name("y")}, &parts) {
		t.Fatal("simple verbs must split")
	}
	if len(parts) != 5 || parts[1].Expr == nil || parts[3].Expr == nil || parts[4].Lit != "%" {
		t.Fatalf("unexpected parts %+v", parts)
	}
	if splitPrintf("%[1]s", []*ir.Expr{name("x")}, &parts) {
		t.Error("indexed verbs are not mechanical")
	}
}

func TestModes(t *testing.T) {
	for _, tc := range []struct {
		lit   *ir.Expr
		v     int64
		fixed string
	}{
		{&ir.Expr{Kind: ir.NumLit, Value: "0777"}, 0o777, "0755"},
		{&ir.Expr{Kind: ir.NumLit, Value: "0o666"}, 0o666, "0o644"},
		{&ir.Expr{Kind: ir.NumLit, Value: "511"}, 0o777, "493"},
		{&ir.Expr{Kind: ir.StrLit, Value: "777"}, 0o777, `"755"`},
	} {
		v, text, ok := modeValue(tc.lit)
		if !ok || v != tc.v {
			t.Errorf("modeValue(%v) = %o, %v", tc.lit.Value, v, ok)
			continue
		}
		if got := formatMode(text, v&^0o022); got != tc.fixed {
			t.Errorf("formatMode(%s) = %s, want %s", text, got, tc.fixed)
		}
	}
	if _, _, ok := modeValue(name("perm")); ok {
		t.Error("a variable is not a literal mode")
	}
}

func TestShellScript(t *testing.T) {
	args := []*ir.Expr{str("/bin/bash"), {Kind: ir.Collection, Args: []*ir.Expr{str("-c"), name("cmd")}}}
	if !IsShell(args[0]) {
		t.Fatal("/bin/bash is a shell")
	}
	script, ok := ShellScript(args[1:])
	if !ok || len(script) != 1 || script[0].Name != "cmd" {
		t.Fatalf("want the script after -c, got %+v %v", script, ok)
	}
	if _, ok := ShellScript([]*ir.Expr{str("-l"), name("x")}); ok {
		t.Error("no -c, no script")
	}
	if IsShell(str("git")) {
		t.Error("git is not a shell")
	}
}

func TestLookup(t *testing.T) {
	m := map[string]int{"os.Chmod": 1, "*.chmod": 0}
	if v, ok := Lookup(m, "os.Chmod"); !ok || v != 1 {
		t.Error("exact name")
	}
	if v, ok := Lookup(m, "pathlib.Path().chmod"); !ok || v != 0 {
		t.Error("method pattern")
	}
	if _, ok := Lookup(m, "chmod"); ok {
		t.Error("a method pattern must not match a bare function")
	}
}

func TestHasToken(t *testing.T) {
	for words, want := range map[string]bool{
		"newSessionID":   true,
		"user_id":        true,
		"isValid width":  false,
		"resetCode":      true,
		"encoderPerm":    false,
		"apiKey monkeys": true,
	} {
		if got := hasToken(words, "id", "key", "code"); got != want {
			t.Errorf("hasToken(%q) = %v, want %v", words, got, want)
		}
	}
}
