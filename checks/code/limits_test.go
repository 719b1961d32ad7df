package code

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/code/ir"
)

// nestedGo wraps an SQL injection in depth nested blocks.
func nestedGo(depth int) string {
	return "package main\n\nimport (\n\t\"database/sql\"\n\t\"net/http\"\n)\n\nfunc handler(db *sql.DB, r *http.Request) {\n\tname := r.FormValue(\"name\")\n" +
		strings.Repeat("if true {\n", depth) + "db.Query(\"SELECT * FROM users WHERE name = '\" + name + \"'\")\n" + strings.Repeat("}\n", depth) + "}\n"
}

// nestedJS wraps a command injection in depth nested blocks.
func nestedJS(depth int) string {
	return "const cp = require('child_process');\nfunction h(req) {\n" + strings.Repeat("{\n", depth) + "cp.exec(req.query.cmd);\n" + strings.Repeat("}\n", depth) + "}\n"
}

// nestedPython wraps the argument of a command injection in depth
// parentheses.
func nestedPython(depth int) string {
	return "import os\nfrom flask import request\n\ndef h():\n    cmd = request.args['cmd']\n    os.system(" +
		strings.Repeat("(", depth) + "cmd" + strings.Repeat(")", depth) + ")\n"
}

// Code nested past a front end's limit is left out of the analysis, so
// the file is reported partly analysed instead of a finding vanishing in
// silence; ordinary nesting is analysed in full.
func TestDeepNestingIsReported(t *testing.T) {
	cases := []struct {
		name, path, src string
		cut             bool
		findings        int
	}{
		{"go injection under 600 blocks", "svc/a.go", nestedGo(600), true, 0},
		{"javascript injection under 600 blocks", "web/a.js", nestedJS(600), true, 0},
		{"python injection under 500 parentheses", "app/a.py", nestedPython(500), true, 0},
		{"go injection under 20 blocks (trap)", "svc/a.go", nestedGo(20), false, 1},
		{"javascript injection under 20 blocks (trap)", "web/a.js", nestedJS(20), false, 1},
		{"python injection under 20 parentheses (trap)", "app/a.py", nestedPython(20), false, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := scan(t, map[string]string{c.path: c.src})
			if len(rep.Findings) != c.findings {
				t.Errorf("%d findings, want %d: %+v", len(rep.Findings), c.findings, rep.Findings)
			}
			var cut []checks.Note
			for _, n := range rep.Notes {
				if n.Unscanned && strings.Contains(n.Message, "nested too deeply") {
					cut = append(cut, n)
				}
			}
			if !c.cut {
				if len(cut) > 0 {
					t.Fatalf("ordinary nesting reported: %+v", cut)
				}
				return
			}
			if len(cut) != 1 || cut[0].Path != c.path || !strings.HasPrefix(cut[0].Message, "partly analysed: ") {
				t.Fatalf("notes = %+v, want one partly-analysed note for %s", rep.Notes, c.path)
			}
			if rep.Passes() {
				t.Error("a report with code left out passes")
			}
		})
	}
}

// A panic while analysing one file, on a worker goroutine the runner does
// not guard, leaves that file unscanned; the process and the other files
// carry on.
func TestPanicInOneFileIsContained(t *testing.T) {
	c := New(Options{Workers: 1})
	goLang := *c.langs["go"]
	parse := goLang.parse
	goLang.parse = func(ctx context.Context, ps *parsers, name string, src []byte, timeout time.Duration) (*ir.File, error) {
		if strings.Contains(name, "boom") {
			var p *ir.File
			_ = p.Lang // a nil dereference: a runtime error
		}
		return parse(ctx, ps, name, src, timeout)
	}
	c.langs["go"] = &goLang
	tree := memTree{"a/boom.go": []byte(sqliGo), "b/ok.go": []byte(sqliGo)}
	rep, err := checks.Run(context.Background(), &checks.Target{Head: tree}, checks.Options{Checks: []checks.Check{c}})
	if err != nil || len(rep.Errors) > 0 {
		t.Fatalf("run: %v %+v", err, rep.Errors)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Path != "b/ok.go" {
		t.Errorf("findings = %+v, want the one in b/ok.go", rep.Findings)
	}
	un := rep.Unscanned()
	if len(un) != 1 || un[0].Path != "a/boom.go" || !strings.Contains(un[0].Message, "internal error (runtime error: invalid memory address") {
		t.Fatalf("unscanned = %+v", un)
	}
}
