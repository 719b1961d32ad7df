package deps_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/deps"
)

const reachGoMod = "module example.invalid/svc\n\ngo 1.22\n\nrequire (\n\tgithub.com/golang-jwt/jwt/v4 v4.5.0\n\tgolang.org/x/text v0.3.7\n)\n"

// scanMessages scans tree offline against the reachability records and
// returns each finding's message by declaring path and package.
func scanMessages(t *testing.T, tree mapTree) map[string]string {
	t.Helper()
	rep, err := checks.Run(context.Background(), &checks.Target{Head: tree}, checks.Options{Checks: []checks.Check{deps.New(deps.Options{Offline: true, OSVDB: "testdata/reach"})}})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range rep.Findings {
		name, _, _ := strings.Cut(f.Message, " ")
		out[f.Path+" "+name] = f.Message
	}
	return out
}

func TestGoReachability(t *testing.T) {
	const jwt = "go.mod github.com/golang-jwt/jwt/v4"
	tests := []struct {
		name  string
		files mapTree
		want  string // the end of the jwt finding's message; "" none
	}{
		{"function through an alias", mapTree{
			"main.go": "package main\n\nimport (\n\t\"fmt\"\n\n\tjwtv4 \"github.com/golang-jwt/jwt/v4\"\n)\n\nfunc main() {\n\tfmt.Println(\n\t\tjwtv4.ParseWithClaims(\"t\", nil, nil))\n}\n",
		}, "(reachable: jwt.ParseWithClaims called in main.go:11)"},
		{"method on a parser value", mapTree{
			"cmd/tool/main.go":     "package main\n\nimport \"example.invalid/svc/internal/auth\"\n\nfunc main() { auth.Check(\"t\") }\n",
			"internal/auth/a.go":   "package auth\n\nimport \"github.com/golang-jwt/jwt/v4\"\n\nfunc Check(tok string) {\n\tp := jwt.NewParser()\n\t_, _, _ = p.ParseUnverified(tok, jwt.MapClaims{})\n}\n",
			"internal/auth/z.go":   "package auth\n\nimport \"github.com/golang-jwt/jwt/v4\"\n\nvar _ = jwt.Parse\n",
			"internal/auth/doc.go": "// Package auth checks tokens.\npackage auth\n",
		}, "(reachable: jwt.Parser.ParseUnverified called in internal/auth/a.go:7)"},
		{"dot import", mapTree{
			"main.go": "package main\n\nimport . \"github.com/golang-jwt/jwt/v4\"\n\nfunc main() { _, _ = Parse(\"t\", nil) }\n",
		}, "(reachable: jwt.Parse called in main.go:5)"},
		{"imported but no vulnerable symbol used", mapTree{
			"main.go":      "package main\n\nimport \"github.com/golang-jwt/jwt/v4\"\n\nfunc main() { _ = jwt.NewParser(); _ = jwt.MapClaims{} }\n",
			"main_test.go": "package main\n\nimport (\n\t\"testing\"\n\n\t\"github.com/golang-jwt/jwt/v4\"\n)\n\nfunc TestX(t *testing.T) { jwt.Parse(\"t\", nil) }\n",
			"vendor/github.com/golang-jwt/jwt/v4/parser.go": "package jwt\n\nfunc Parse(s string) { new(Parser).ParseUnverified(s) }\n",
			"tools/go.mod":  "module example.invalid/tools\n",
			"tools/main.go": "package main\n\nimport \"github.com/golang-jwt/jwt/v4\"\n\nfunc main() { jwt.Parse(\"t\", nil) }\n",
			"testdata/x.go": "package x\n\nimport \"github.com/golang-jwt/jwt/v4\"\n\nvar _ = jwt.Parse\n",
			"other.go":      "package main\n\nimport jwt \"example.invalid/otherjwt\"\n\nvar _ = jwt.Parse\n\nfunc ParseWithClaims() {}\n",
		}, "(not reachable from this module's code)"},
		{"a file that does not parse", mapTree{
			"main.go": "package main\n\nimport \"github.com/golang-jwt/jwt/v4\"\n\nfunc main() { _ = jwt.NewParser() }\n",
			"bad.go":  "package main\n\nfunc broken( {\n",
		}, ""},
		{"no Go code", mapTree{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tree := mapTree{"go.mod": reachGoMod}
			for p, c := range tt.files {
				tree[p] = c
			}
			msgs := scanMessages(t, tree)
			msg, ok := msgs[jwt]
			if !ok {
				t.Fatalf("no jwt finding in %v", msgs)
			}
			if !strings.HasPrefix(msg, "github.com/golang-jwt/jwt/v4 4.5.0 has 2 advisories") {
				t.Errorf("finding changed beyond its reachability note: %s", msg)
			}
			switch {
			case tt.want == "" && strings.Contains(msg, "reachable"):
				t.Errorf("message claims reachability: %s", msg)
			case tt.want != "" && !strings.HasSuffix(msg, "; upgrade to 4.5.2 "+tt.want):
				t.Errorf("message\n  %s\ndoes not end with\n  %s", msg, tt.want)
			}
			// A record that lists the vulnerable package but no symbols
			// is never judged, whatever the code does.
			if text := msgs["go.mod golang.org/x/text"]; text == "" || strings.Contains(text, "reachable") {
				t.Errorf("x/text finding: %q", text)
			}
		})
	}
}

func TestGoReachabilityNestedModule(t *testing.T) {
	// The finding of a nested module is judged on that module's code only.
	tree := mapTree{
		"go.mod":           reachGoMod,
		"main.go":          "package main\n\nimport \"github.com/golang-jwt/jwt/v4\"\n\nfunc main() { jwt.Parse(\"t\", nil) }\n",
		"sub/go.mod":       strings.Replace(reachGoMod, "example.invalid/svc", "example.invalid/sub", 1),
		"sub/lib/lib.go":   "package lib\n\nimport \"github.com/golang-jwt/jwt/v4\"\n\nvar P = jwt.NewParser()\n",
		"sub/lib/use.go":   "package lib\n\nfunc Use() { P.Parse(\"t\", nil) }\n",
		"sub/lib/other.go": "package lib\n\nimport \"strings\"\n\nvar _ = strings.Fields\n",
	}
	msgs := scanMessages(t, tree)
	for key, want := range map[string]string{
		"go.mod github.com/golang-jwt/jwt/v4":     "(reachable: jwt.Parse called in main.go:5)",
		"sub/go.mod github.com/golang-jwt/jwt/v4": "(reachable: jwt.Parser.Parse called in sub/lib/use.go:3)",
	} {
		if !strings.HasSuffix(msgs[key], want) {
			t.Errorf("%s: %q does not end with %q", key, msgs[key], want)
		}
	}
}

// When one of a package's advisories lists no symbols, the code may reach
// its flaw in a way warden cannot see: "not reachable" is never claimed,
// while a reference to another advisory's symbol is still reported.
func TestGoReachabilityNeedsEveryAdvisorysSymbols(t *testing.T) {
	db := t.TempDir()
	rec, err := os.ReadFile("testdata/reach/GO-2024-3250.json")
	if err != nil {
		t.Fatal(err)
	}
	noSymbols := `{"id": "TEST-GO-JWT", "summary": "synthetic", "affected": [{"package": {"ecosystem": "Go", "name": "github.com/golang-jwt/jwt/v4"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.5.1"}]}]}]}`
	for name, content := range map[string]string{"GO-2024-3250.json": string(rec), "TEST-GO-JWT.json": noSymbols} {
		if err := os.WriteFile(filepath.Join(db, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for code, want := range map[string]string{
		"func main() { _ = jwt.NewParser() }\n":          "",
		"func main() { _, _ = jwt.Parse(\"t\", nil) }\n": "(reachable: jwt.Parse called in main.go:5)",
	} {
		tree := mapTree{"go.mod": reachGoMod, "main.go": "package main\n\nimport \"github.com/golang-jwt/jwt/v4\"\n\n" + code}
		rep, err := checks.Run(context.Background(), &checks.Target{Head: tree}, checks.Options{Checks: []checks.Check{deps.New(deps.Options{Offline: true, OSVDB: db})}})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Findings) != 1 || !strings.HasPrefix(rep.Findings[0].Message, "github.com/golang-jwt/jwt/v4 4.5.0 has 2 advisories") {
			t.Fatalf("findings: %+v", rep.Findings)
		}
		msg := rep.Findings[0].Message
		if want == "" && strings.Contains(msg, "reachable") || want != "" && !strings.HasSuffix(msg, " "+want) {
			t.Errorf("code %q: message %q, want note %q", code, msg, want)
		}
	}
}
