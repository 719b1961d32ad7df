package engine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/wardenbot/warden/checks/code/engine"
	"github.com/wardenbot/warden/checks/code/golang"
)

// hits analyses a Go snippet with the Go tables and returns "rule@line".
func hits(t *testing.T, body string) []string {
	t.Helper()
	src := "package p\nimport (\n\"database/sql\"\n\"net/http\"\n\"strings\"\n\"os/exec\"\n)\nvar _ = strings.HasPrefix\nvar _ = exec.Command\n" + body
	f, err := golang.Parse("a.go", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	hs, err := engine.New(golang.Spec).Analyze(context.Background(), f, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range hs {
		out = append(out, h.Rule+"@"+strings.TrimSpace(f.Text(h.Call.X.Pos)))
	}
	return out
}

func TestGuardClauseCleansAfterwards(t *testing.T) {
	got := hits(t, `func h(db *sql.DB, r *http.Request) {
	v := r.FormValue("v")
	if v != "a" && v != "b" {
		return
	}
	db.Query("SELECT " + v)
}`)
	if len(got) != 0 {
		t.Errorf("an allow-list guard that returns should clean v: %v", got)
	}
}

func TestTaintCarriedAroundLoops(t *testing.T) {
	got := hits(t, `func h(db *sql.DB, r *http.Request) {
	q := "SELECT 1"
	for i := 0; i < 3; i++ {
		db.Query(q)
		q = q + r.FormValue("x")
	}
}`)
	if len(got) != 1 {
		t.Errorf("the value assigned late in the loop reaches its start: %v", got)
	}
}

func TestHelperSummaries(t *testing.T) {
	got := hits(t, `func quote(s string) string { return "'" + s + "'" }
func clean(s string) string { return "x" }
func h(db *sql.DB, r *http.Request) {
	db.Query("SELECT " + quote(r.FormValue("a")))
	db.Exec("SELECT " + clean(r.FormValue("b")))
}`)
	if len(got) != 1 || got[0] != "sql-injection@db.Query" {
		t.Errorf("want the flow through quote() only: %v", got)
	}
}

func TestSinkResultIsNotTaintedAgain(t *testing.T) {
	got := hits(t, `func h(w http.ResponseWriter, r *http.Request) {
	out, _ := exec.Command(r.FormValue("p")).Output()
	w.Write(out)
}`)
	if len(got) != 1 || got[0] != "command-injection@exec.Command" {
		t.Errorf("the command's output is not the request's text: %v", got)
	}
}

func TestStepBudget(t *testing.T) {
	var b strings.Builder
	b.WriteString("func h(db *sql.DB, r *http.Request) {\n\tx := r.FormValue(\"a\")\n")
	for i := 0; i < 2000; i++ {
		b.WriteString("\tx = x + x\n")
	}
	b.WriteString("\tdb.Query(x)\n}\n")
	f, err := golang.Parse("a.go", []byte("package p\nimport (\n\"database/sql\"\n\"net/http\"\n)\n"+b.String()))
	if err != nil {
		t.Fatal(err)
	}
	_, err = engine.New(golang.Spec).Analyze(context.Background(), f, engine.Options{MaxSteps: 500})
	if err != engine.ErrBudget {
		t.Errorf("want ErrBudget, got %v", err)
	}
}

func TestShadowedVariableKeepsItsOwnTaint(t *testing.T) {
	got := hits(t, `func h(db *sql.DB, r *http.Request) {
	query := "SELECT 1"
	{
		query := "base"
		query += r.FormValue("x")
		_ = query
	}
	db.Query(query)
	if v := r.FormValue("y"); v != "" {
		query := v
		db.Exec(query)
	}
}`)
	if len(got) != 1 || got[0] != "sql-injection@db.Exec" {
		t.Errorf("only the inner, tainted query reaches a sink: %v", got)
	}
}
