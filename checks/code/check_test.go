package code

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wardenbot/warden/checks"
)

const sqliGo = `package main

import (
	"database/sql"
	"net/http"
)

func handler(db *sql.DB, r *http.Request) {
	name := r.FormValue("name")
	db.Query("SELECT * FROM users WHERE name = '" + name + "'")
}
`

func TestRulesDocumentEveryRule(t *testing.T) {
	c := New(Options{})
	seen := map[string]bool{}
	for _, r := range c.Rules() {
		if !strings.HasPrefix(r.ID, "code/") || r.Title == "" || r.Description == "" || r.Remediation == "" || r.HelpURI == "" {
			t.Errorf("rule %q is incompletely documented: %+v", r.ID, r)
		}
		if strings.Contains(r.Title, "\n") {
			t.Errorf("rule %s title spans lines", r.ID)
		}
		if len(r.References) == 0 || !strings.HasPrefix(r.References[0], "CWE-") {
			t.Errorf("rule %s has no CWE reference", r.ID)
		}
		if r.Severity < checks.SeverityInfo || r.Severity > checks.SeverityCritical {
			t.Errorf("rule %s has no default severity", r.ID)
		}
		if seen[r.ID] {
			t.Errorf("rule %s documented twice", r.ID)
		}
		seen[r.ID] = true
	}
	// Every finding of the golden samples names a documented rule.
	rep := scan(t, map[string]string{"a.go": sqliGo})
	for _, f := range rep.Findings {
		if !seen[f.RuleID] {
			t.Errorf("finding with undocumented rule %s", f.RuleID)
		}
	}
}

func TestFindingCarriesSourceSinkAndCWE(t *testing.T) {
	rep := scan(t, map[string]string{"svc/a.go": sqliGo})
	if len(rep.Findings) != 1 {
		t.Fatalf("want 1 finding, got %d: %+v", len(rep.Findings), rep.Findings)
	}
	f := rep.Findings[0]
	if f.RuleID != "code/sql-injection" || f.Path != "svc/a.go" || f.StartLine != 10 || f.Severity != checks.SeverityHigh {
		t.Errorf("unexpected finding %+v", f)
	}
	for _, want := range []string{"r.FormValue(\"name\")", "(line 9)", "db.Query", "(line 10)"} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("message %q lacks %q", f.Message, want)
		}
	}
	if len(f.References) == 0 || f.References[0] != "CWE-89" {
		t.Errorf("references %v lack CWE-89", f.References)
	}
	if f.Fix == nil || !strings.Contains(f.Fix.Replacement, `db.Query("SELECT * FROM users WHERE name = ?", name)`) {
		t.Errorf("want a parameterised-query fix, got %+v", f.Fix)
	}
}

func TestFingerprintIgnoresLineShifts(t *testing.T) {
	a := scan(t, map[string]string{"a.go": sqliGo}).Findings
	shifted := strings.Replace(sqliGo, "func handler", "// a comment\n\n// another\nfunc handler", 1)
	b := scan(t, map[string]string{"a.go": shifted}).Findings
	if len(a) != 1 || len(b) != 1 {
		t.Fatalf("want one finding each, got %d and %d", len(a), len(b))
	}
	if a[0].StartLine == b[0].StartLine {
		t.Fatal("test did not move the finding")
	}
	if a[0].Fingerprint != b[0].Fingerprint {
		t.Errorf("fingerprint changed with the line: %s vs %s", a[0].Fingerprint, b[0].Fingerprint)
	}
}

func TestSuppressions(t *testing.T) {
	for name, marker := range map[string]string{
		"warden allow": "// warden:allow code/sql-injection",
		"gosec nosec":  "// #nosec G201",
		"allow all":    "// warden:allow",
	} {
		t.Run(name, func(t *testing.T) {
			src := strings.Replace(sqliGo, "\tdb.Query(", "\t"+marker+"\n\tdb.Query(", 1)
			if got := scan(t, map[string]string{"a.go": src}).Findings; len(got) != 0 {
				t.Errorf("suppressed finding still reported: %+v", got)
			}
		})
	}
	other := strings.Replace(sqliGo, "\tdb.Query(", "\t// warden:allow code/xss\n\tdb.Query(", 1)
	if got := scan(t, map[string]string{"a.go": other}).Findings; len(got) != 1 {
		t.Errorf("an allow marker for another rule must not suppress: got %d findings", len(got))
	}
}

func TestDiffMarksOnlyAddedLinesNew(t *testing.T) {
	tree := memTree{"a.go": []byte(sqliGo)}
	diff := checks.NewDiff("base", "head", []checks.FileChange{{Path: "a.go", Status: checks.StatusModified, Added: checks.Lines{{Start: 9, End: 9}}}}, nil)
	rep, err := checks.Run(context.Background(), &checks.Target{Head: tree, Base: tree, Diff: diff}, checks.Options{Checks: []checks.Check{New(Options{})}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].New {
		t.Fatalf("the sink line was not added, so the finding is not new: %+v", rep.Findings)
	}
	diff = checks.NewDiff("base", "head", []checks.FileChange{{Path: "a.go", Status: checks.StatusModified, Added: checks.Lines{{Start: 10, End: 10}}}}, nil)
	rep, err = checks.Run(context.Background(), &checks.Target{Head: tree, Base: tree, Diff: diff}, checks.Options{Checks: []checks.Check{New(Options{})}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || !rep.Findings[0].New {
		t.Fatalf("the sink line was added, so the finding is new: %+v", rep.Findings)
	}
}

func TestUnparsableAndOversizedFilesBecomeNotes(t *testing.T) {
	big := "x = 1\n" + strings.Repeat("# padding\n", 200_000)
	rep := scan(t, map[string]string{"broken.go": "package main\nfunc {", "big.py": big, "a.go": sqliGo})
	notes := map[string]string{}
	for _, n := range rep.Notes {
		notes[n.Path] = n.Message
	}
	if !strings.Contains(notes["broken.go"], "syntax error") {
		t.Errorf("a Go file with a syntax error should be a note, got %q", notes["broken.go"])
	}
	if !strings.Contains(notes["big.py"], "larger than") {
		t.Errorf("an oversized file should be a note, got %q", notes["big.py"])
	}
	if len(rep.Findings) != 1 {
		t.Errorf("other files must still be analysed: %+v", rep.Findings)
	}
}

func TestLanguagesOption(t *testing.T) {
	c := New(Options{Languages: []string{"python"}})
	tree := memTree{"a.go": []byte(sqliGo)}
	rep, err := checks.Run(context.Background(), &checks.Target{Head: tree}, checks.Options{Checks: []checks.Check{c}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 0 {
		t.Errorf("Go is disabled, got %+v", rep.Findings)
	}
}

// TestSkipsMinifiedAndDeclarationsButNotANULByte: a NUL byte does not make
// a source file binary (that hid code from review); minified bundles and
// type declarations are still skipped.
func TestSkipsMinifiedAndDeclarationsButNotANULByte(t *testing.T) {
	evil := "require('child_process').exec(req.query.x)"
	rep := scan(t, map[string]string{"app.min.js": evil, "types.d.ts": evil, "nul.js": "'\x00';\n" + evil, "real.js": "function h(req){ " + evil + " }"})
	var paths []string
	for _, f := range rep.Findings {
		paths = append(paths, f.Path)
	}
	if len(paths) != 2 || paths[0] != "nul.js" || paths[1] != "real.js" {
		t.Errorf("want the findings in nul.js and real.js only, got %v", paths)
	}
}

func TestCancelledContextStopsRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	files := map[string][]byte{}
	for i := 0; i < 50; i++ {
		files[strings.Repeat("d/", i%5)+"f"+string(rune('a'+i%26))+".go"] = []byte(sqliGo)
	}
	start := time.Now()
	_, err := New(Options{}).Run(ctx, &checks.Target{Head: memTree(files), Paths: []string{"fa.go"}})
	if err == nil {
		t.Error("want the context error")
	}
	if time.Since(start) > 2*time.Second {
		t.Error("a cancelled run should return promptly")
	}
}

func TestAuditModeAddsLowConfidenceFindings(t *testing.T) {
	src := `package main

import (
	"math/rand"
	"net/http"
	"os"
)

func pick() int { return rand.Intn(10) }

func serve() { http.ListenAndServe(":8080", nil) }

func read() { os.ReadFile(os.Getenv("CONFIG")) }
`
	if got := scan(t, map[string]string{"a.go": src}).Findings; len(got) != 0 {
		t.Fatalf("default mode should stay quiet here, got %+v", got)
	}
	got := scanWith(t, Options{Audit: true}, map[string]string{"a.go": src}).Findings
	rules := map[string]bool{}
	for _, f := range got {
		rules[f.RuleID] = true
		if f.Severity > checks.SeverityMedium {
			t.Errorf("audit finding %s should be low or medium, is %s", f.RuleID, f.Severity)
		}
	}
	for _, want := range []string{"code/insecure-random", "code/bind-all-interfaces", "code/path-traversal"} {
		if !rules[want] {
			t.Errorf("audit mode should report %s; got %v", want, rules)
		}
	}
}

func TestUnknownOriginOnlyWhereBuilt(t *testing.T) {
	src := `import sqlite3

def by_name(cur, name):
    cur.execute("SELECT * FROM users WHERE name = '%s'" % name)

def run(cur, query, args):
    cur.execute(query, args)
`
	got := scan(t, map[string]string{"a.py": src}).Findings
	if len(got) != 1 || got[0].StartLine != 4 || got[0].Severity != checks.SeverityLow {
		t.Fatalf("want one low finding for the formatted query only, got %+v", got)
	}
	if !strings.Contains(got[0].Message, "parameter `name`") {
		t.Errorf("message should name the parameter: %s", got[0].Message)
	}
}

func TestTestFilesAreQuieter(t *testing.T) {
	src := `package main

import (
	"crypto/sha1"
	"crypto/tls"
	"database/sql"
	"net/http"
)

var insecure = &tls.Config{InsecureSkipVerify: true}

func id(b []byte) [20]byte { return sha1.Sum(b) }

func handler(db *sql.DB, r *http.Request) {
	db.Query("SELECT * FROM t WHERE a = '" + r.FormValue("a") + "'")
}
`
	prod := scan(t, map[string]string{"a.go": src}).Findings
	test := scan(t, map[string]string{"a_test.go": src}).Findings
	if len(prod) != 3 {
		t.Fatalf("want 3 findings in production code, got %+v", prod)
	}
	if len(test) != 1 || test[0].RuleID != "code/sql-injection" || test[0].Severity != checks.SeverityMedium {
		t.Fatalf("in a test file only the injection should remain, one step lower: %+v", test)
	}
	for p, want := range map[string]bool{"a_test.go": true, "pkg/tests/x.py": true, "test_x.py": true, "src/a.spec.ts": true,
		"web/__tests__/a.js": true, "latest.go": false, "contest/x.py": false} {
		if isTestFile(p) != want {
			t.Errorf("isTestFile(%q) = %v", p, !want)
		}
	}
}

// A command grown by thousands of `+=` (each one remembers how the string
// began) is followed to its sink without deep recursion or a blown budget,
// in every language.
func TestLongCompoundAssignmentChains(t *testing.T) {
	const n = 3000
	var py, js, goSrc strings.Builder
	py.WriteString("import subprocess\nfrom flask import request\n\ndef f():\n    s = 'echo '\n")
	js.WriteString("const { exec } = require('child_process');\nfunction f(req) {\n  let s = 'echo ';\n")
	goSrc.WriteString("package main\n\nimport (\n\t\"net/http\"\n\t\"os/exec\"\n)\n\nfunc f(r *http.Request) {\n\ts := \"echo \"\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&py, "    s += request.args.get('a%d')\n", i)
		fmt.Fprintf(&js, "  s += req.query.a%d;\n", i)
		fmt.Fprintf(&goSrc, "\ts += r.FormValue(\"a%d\")\n", i)
	}
	py.WriteString("    subprocess.run(s, shell=True)\n")
	js.WriteString("  exec(s);\n}\n")
	goSrc.WriteString("\texec.Command(\"sh\", \"-c\", s).Run()\n}\n")
	rep := scan(t, map[string]string{"a.py": py.String(), "a.js": js.String(), "a.go": goSrc.String()})
	found := map[string]bool{}
	for _, f := range rep.Findings {
		if f.RuleID == "code/command-injection" && f.StartLine > n {
			found[f.Path] = true
		}
	}
	for _, p := range []string{"a.py", "a.js", "a.go"} {
		if !found[p] {
			t.Errorf("%s: the command built by %d appends was not followed to its sink; notes: %v", p, n, rep.Notes)
		}
	}
}
