package workflows

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rhysd/actionlint"

	"github.com/wardenbot/warden/checks"
)

const injection = "workflows/script-injection"

// onTarget is a workflow on pull_request_target whose one step runs run.
func onTarget(run string) string {
	return "on: pull_request_target\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: " + run + "\n"
}

// laughsMatrix hides a billion-laughs document in a job's matrix, which
// actionlint expands node by node.
func laughsMatrix(levels int) string {
	var sb strings.Builder
	sb.WriteString("on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        l0: &l0 [x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&sb, "        l%d: &l%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d, ", i-1), 9), ", "))
	}
	sb.WriteString("    steps:\n      - run: echo hi\n")
	return sb.String()
}

// mergeBombJob merges a mapping that merges the one before it nine times.
func mergeBombJob(levels int) string {
	var sb strings.Builder
	sb.WriteString("on: push\npermissions: {}\nx0: &m0 {k: v}\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&sb, "x%d: &m%d {<<: [%s]}\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*m%d, ", i-1), 9), ", "))
	}
	fmt.Fprintf(&sb, "jobs:\n  a:\n    <<: *m%d\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n", levels)
	return sb.String()
}

func unscannedNotes(rep *checks.Report) []checks.Note {
	var out []checks.Note
	for _, n := range rep.Notes {
		if n.Unscanned {
			out = append(out, n)
		}
	}
	return out
}

// A workflow or action whose aliases expand past the budget, or whose
// expressions nest or run on past theirs, is reported unscanned, naming
// the file; findings the check can still see are kept, and workflows that
// use anchors and expressions the usual way are analysed in full.
func TestLimits(t *testing.T) {
	deepTitle := "echo ${{ " + strings.Repeat("(", 60_000) + "github.event.pull_request.title" + strings.Repeat(")", 60_000) + " }}"
	longChain := "echo ${{ " + strings.Repeat("github.sha || ", 20_000) + "github.event.pull_request.title }}"
	cases := []struct {
		name, path, src string
		want            string // substring of the unscanned note; "" for none
		injections      int
	}{
		{"billion laughs in a matrix", ".github/workflows/ci.yml", laughsMatrix(9), "expand to more than", 0},
		{"merge-key bomb", ".github/workflows/ci.yml", mergeBombJob(12), "expand to more than", 0},
		{"a job that contains itself", ".github/workflows/ci.yml", "on: push\njobs:\n  a: &a\n    runs-on: ubuntu-latest\n    x: *a\n    steps:\n      - run: echo hi\n", "contains itself", 0},
		{"billion laughs in an action", "act/action.yml", "runs:\n  using: composite\n  x0: &l0 [x, x, x, x, x, x, x, x, x]\n" + laughsIn("  ", 9) + "  steps:\n    - run: echo hi\n      shell: bash\n", "expand to more than", 0},
		{"60000 parentheses around an untrusted title", ".github/workflows/ci.yml", onTarget(deepTitle), "nested deeper than 64", 1},
		{"a chain of 20000 ors", ".github/workflows/ci.yml", onTarget(longChain), "longer than 32 KiB", 1},

		{"steps shared through an anchor (trap)", ".github/workflows/ci.yml", "on: pull_request_target\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: &steps\n      - run: echo ${{ github.event.pull_request.title }}\n  b:\n    runs-on: ubuntu-latest\n    steps: *steps\n", "", 2},
		{"nested function calls (trap)", ".github/workflows/ci.yml", onTarget("echo ${{ format('{0}-{1}', github.sha, toJSON(fromJSON(toJSON(github.event.pull_request.title)))) }}"), "", 1},
		{"parentheses inside a string (trap)", ".github/workflows/ci.yml", onTarget("echo ${{ format('" + strings.Repeat("(", 5_000) + "{0}', github.event.pull_request.title) }}"), "", 1},
		{"a trusted value in deep parentheses (trap)", ".github/workflows/ci.yml", onTarget("echo ${{ " + strings.Repeat("(", 40) + "github.sha" + strings.Repeat(")", 40) + " }}"), "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			rep := scanFiles(t, map[string]string{c.path: c.src}, Options{})
			if took := time.Since(start); took > 20*time.Second {
				t.Errorf("took %s", took)
			}
			if n := len(findingsOf(rep, injection)); n != c.injections {
				t.Errorf("%d script injections, want %d\n%s", n, c.injections, summary(rep))
			}
			notes := unscannedNotes(rep)
			if c.want == "" {
				if len(notes) > 0 {
					t.Fatalf("unscanned: %+v", notes)
				}
				return
			}
			if len(notes) != 1 || notes[0].Path != c.path || !strings.Contains(notes[0].Message, c.want) {
				t.Fatalf("notes = %+v, want one naming %s with %q", rep.Notes, c.path, c.want)
			}
			if rep.Passes() {
				t.Errorf("a report with an unscanned workflow passes")
			}
		})
	}
}

func laughsIn(indent string, levels int) string {
	var sb strings.Builder
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&sb, "%sx%d: &l%d [%s]\n", indent, i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d, ", i-1), 9), ", "))
	}
	return sb.String()
}

// A script of many expressions that are not verbatim in the source (here
// written with YAML escapes) is located in linear time.
func TestLocatingManyEscapedExpressions(t *testing.T) {
	run := `"` + strings.Repeat(`\x24{{ github.event.pull_request.title }}\n`, 5_000) + `"`
	src := onTarget(run) + strings.Repeat("# padding\n", 5_000)
	start := time.Now()
	rep := scanWorkflow(t, src, Options{})
	if took := time.Since(start); took > 20*time.Second {
		t.Fatalf("took %s", took)
	}
	if n := len(findingsOf(rep, injection)); n == 0 {
		t.Fatalf("no injection found\n%.2000s", summary(rep))
	}
}

type panickingRule struct{}

func (panickingRule) Doc() checks.Rule { return checks.Rule{ID: "workflows/test-panic"} }
func (panickingRule) Check(_ context.Context, _ *scan, f *file) []checks.Finding {
	if strings.Contains(f.Path, "boom") {
		var m map[string]int
		m["x"]++ // a nil map write: a runtime error
	}
	return nil
}

// A rule that panics on one file leaves that file unscanned and the
// others analysed.
func TestPanicInOneFile(t *testing.T) {
	c := New(Options{})
	c.rules = append([]rule{panickingRule{}}, c.rules...)
	tree := memTree{
		".github/workflows/boom.yml": onTarget("echo hi"),
		".github/workflows/ok.yml":   onTarget("echo ${{ github.event.pull_request.title }}"),
	}
	rep, err := checks.Run(context.Background(), &checks.Target{Head: tree}, checks.Options{Checks: []checks.Check{c}})
	if err != nil || len(rep.Errors) > 0 {
		t.Fatalf("run: %v %v", err, rep.Errors)
	}
	notes := unscannedNotes(rep)
	if len(notes) != 1 || notes[0].Path != ".github/workflows/boom.yml" || !strings.Contains(notes[0].Message, "internal error (assignment to entry in nil map)") {
		t.Fatalf("notes = %+v", rep.Notes)
	}
	if n := len(findingsOf(rep, injection)); n != 1 {
		t.Errorf("%d injections in the other file, want 1", n)
	}
}

// Locating needles that are not in the source verbatim costs a bounded
// number of lines however many needles there are: 50,000 failed searches
// of a 50,000-line scalar would otherwise read 2.5 billion lines.
func TestScalarScanWorkIsBounded(t *testing.T) {
	const n = 50_000
	f := &file{Lines: splitLines("run: |\n" + strings.Repeat("  echo x\n", n))}
	s := &actionlint.String{Value: strings.Repeat("echo x\n", n), Pos: &actionlint.Pos{Line: 1, Col: 6}}
	sc := f.scan(s)
	start := time.Now()
	for i := 0; i < n; i++ {
		if p, exact := sc.find("${{ absent }}", position{Line: 1, Col: 6}); exact || p.Line != 1 {
			t.Fatalf("found an absent needle at %v", p)
		}
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("took %s", took)
	}
	if sc.lines != 0 {
		t.Fatalf("%d lines of budget left after %d failed searches", sc.lines, n)
	}
	// The budget covers the scalar several times over: a needle found
	// after a failed search still gets its exact position.
	sc = f.scan(s)
	sc.find("absent", position{})
	if p, exact := sc.find("echo x", position{}); !exact || p.Line != 2 {
		t.Fatalf("echo x at %v (exact %v), want line 2", p, exact)
	}
}

// A workflow holding a NUL byte is not passed over: GitHub reads it as
// YAML, and what it makes of the byte is not warden's to guess, so a file
// warden cannot read is a gap that blocks.
func TestWorkflowWithANulByteIsUnscanned(t *testing.T) {
	rep := scanWorkflow(t, "# \x00\n"+onTarget("echo ${{ github.event.pull_request.title }}"), Options{})
	notes := unscannedNotes(rep)
	if len(notes) != 1 || notes[0].Path != ".github/workflows/test.yml" || !strings.Contains(notes[0].Message, "not analysed") {
		t.Fatalf("notes = %+v", rep.Notes)
	}
}
