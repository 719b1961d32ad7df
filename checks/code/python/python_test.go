package python

import (
	"testing"
	"time"

	"github.com/wardenbot/warden/checks/code/ir"
)

func parse(t *testing.T, src string) *ir.File {
	t.Helper()
	p, err := NewParser()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	f, err := Parse(p, "a.py", []byte(src), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestImportsAndCallees(t *testing.T) {
	f := parse(t, `import subprocess as sp
import os.path
from flask import request, redirect as go
sp.run(x)
go(request.args.get("next"))
`)
	for local, want := range map[string]string{"sp": "subprocess", "os": "os", "request": "flask.request", "go": "flask.redirect"} {
		if f.Imports[local] != want {
			t.Errorf("import %s = %q, want %q", local, f.Imports[local], want)
		}
	}
	body := f.Module.Body
	if got := f.Callee(body[0].X); got != "subprocess.run" {
		t.Errorf("callee = %q", got)
	}
	if got := f.Callee(body[1].X); got != "flask.redirect" {
		t.Errorf("callee = %q", got)
	}
}

func TestFStringBecomesFormat(t *testing.T) {
	f := parse(t, "q = f\"SELECT {a} FROM t\"\n")
	rhs := f.Module.Body[0].Rhs[0]
	if rhs.Kind != ir.Format || len(rhs.Args) != 3 || rhs.Args[1].Kind != ir.Name {
		t.Fatalf("f-string lowered to %+v", rhs)
	}
}

func TestRouteParameters(t *testing.T) {
	f := parse(t, `@app.route("/u/<name>/<int:id>")
def user(name, id):
    pass
`)
	src := paramSources(f, f.Funcs[0])
	if src["name"] == nil || src["id"] != nil {
		t.Errorf("want name untrusted and the int converter's id clean, got %v", src)
	}
}
