package javascript

import (
	"testing"
	"time"

	"github.com/wardenbot/warden/checks/code/ir"
)

func parse(t *testing.T, d Dialect, src string) *ir.File {
	t.Helper()
	p, err := NewParser(d)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	f, err := Parse(p, "a.js", []byte(src), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestRequireAndImportResolve(t *testing.T) {
	f := parse(t, JavaScript, `const cp = require("child_process");
const { exec: run } = require("node:child_process");
import axios from "axios";
cp.spawn(a);
run(b);
require("fs").readFileSync(c);
axios.get(d);
`)
	var callees []string
	for _, s := range f.Module.Body {
		if s.Kind == ir.ExprStmt {
			callees = append(callees, f.Callee(s.X))
		}
	}
	want := []string{"child_process.spawn", "child_process.exec", "fs.readFileSync", "axios.get"}
	if len(callees) != len(want) {
		t.Fatalf("callees %v", callees)
	}
	for i := range want {
		if callees[i] != want[i] {
			t.Errorf("callee %d = %q, want %q", i, callees[i], want[i])
		}
	}
}

func TestTypeScriptParamsAndTemplates(t *testing.T) {
	f := parse(t, TypeScript, "export function h(req: Request, n: number) { return `id=${req.query.id}`; }\n")
	if len(f.Funcs) != 1 {
		t.Fatalf("funcs %+v", f.Funcs)
	}
	ps := f.Funcs[0].Params
	if len(ps) != 2 || ps[0].Name != "req" || ps[1].Type != "number" {
		t.Errorf("params %+v", ps)
	}
	ret := f.Funcs[0].Body[0].Rhs[0]
	if ret.Kind != ir.Format || len(ret.Args) != 2 {
		t.Errorf("template literal lowered to %+v", ret)
	}
}
