package golang

import (
	"testing"

	"github.com/wardenbot/warden/checks/code/ir"
)

func TestImportName(t *testing.T) {
	for path, want := range map[string]string{
		"database/sql":                 "sql",
		"github.com/labstack/echo/v4":  "echo",
		"gopkg.in/yaml.v3":             "yaml",
		"github.com/go-chi/chi/v5":     "chi",
		"github.com/mattn/go-sqlite3":  "sqlite3",
		"github.com/golang-jwt/jwt/v5": "jwt",
		"golang.org/x/crypto/blowfish": "blowfish",
	} {
		if got := ImportName(path); got != want {
			t.Errorf("ImportName(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestPrintfVerbs(t *testing.T) {
	v, ok := printfVerbs("id=%d name=%-10s pct=%5.2f%% %v")
	if !ok || string(v) != "dsfv" {
		t.Errorf("printfVerbs = %q, %v", v, ok)
	}
	if _, ok := printfVerbs("%[2]s %[1]s"); ok {
		t.Error("explicit argument indexes are not followed")
	}
}

func TestParseLowersHandlers(t *testing.T) {
	f, err := Parse("a.go", []byte(`package p
import (
	"net/http"
	sq "database/sql"
)
func (s *Srv) h(w http.ResponseWriter, r *http.Request) { x := r.FormValue("a"); _ = x }
var db *sq.DB
`))
	if err != nil {
		t.Fatal(err)
	}
	if f.Imports["sq"] != "database/sql" || f.Imports["http"] != "net/http" {
		t.Errorf("imports %v", f.Imports)
	}
	if len(f.Funcs) != 1 || f.Funcs[0].Class != "Srv" || f.Funcs[0].Self != "s" || len(f.Funcs[0].Params) != 2 {
		t.Fatalf("funcs %+v", f.Funcs)
	}
	if paramKind(f, f.Funcs[0], "r") != fwRequest || paramKind(f, f.Funcs[0], "w") != fwWriter {
		t.Error("handler parameter types not recognised")
	}
	body := f.Funcs[0].Body
	if len(body) != 2 || body[0].Kind != ir.Assign || body[0].Rhs[0].Kind != ir.Call {
		t.Errorf("body %+v", body)
	}
}

func TestParseKeepsRecoveredCode(t *testing.T) {
	f, err := Parse("a.go", []byte("package p\nfunc ok() { run() }\nfunc broken( {\n"))
	if err == nil {
		t.Fatal("want the syntax error reported")
	}
	if f == nil || len(f.Funcs) == 0 || f.Funcs[0].Name != "ok" {
		t.Fatalf("the functions before the error should be kept, got %+v", f)
	}
}
