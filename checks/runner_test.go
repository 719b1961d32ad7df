package checks_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wardenbot/warden/checks"
)

// lineFinder reports a finding on every line containing "BAD".
func lineFinder(rule string, sev checks.Severity) funcCheck {
	return funcCheck{name: "finder", run: func(ctx context.Context, t *checks.Target) ([]checks.Finding, error) {
		var out []checks.Finding
		for _, p := range t.Paths {
			b, err := t.Head.ReadFile(ctx, p)
			if err != nil {
				return nil, err
			}
			for i, l := range strings.Split(string(b), "\n") {
				if strings.Contains(l, "BAD") {
					out = append(out, checks.Finding{RuleID: rule, Severity: sev, Path: p, StartLine: i + 1, Message: "bad thing"})
				}
			}
		}
		return out, nil
	}}
}

func run(t *testing.T, target *checks.Target, opts checks.Options) *checks.Report {
	t.Helper()
	rep, err := checks.Run(context.Background(), target, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestFailingCheckDoesNotStopTheOthers(t *testing.T) {
	tree := memTree{"a.go": "x := BAD\n"}
	panics := funcCheck{name: "panicky", run: func(context.Context, *checks.Target) ([]checks.Finding, error) {
		var m map[string]int
		m["boom"]++ // nil map write: a real bug in a check
		return nil, nil
	}}
	fails := funcCheck{name: "failing", run: func(context.Context, *checks.Target) ([]checks.Finding, error) {
		return nil, errors.New("parser exploded")
	}}
	rep := run(t, &checks.Target{Head: tree}, checks.Options{Checks: []checks.Check{panics, fails, lineFinder("code/bad", checks.SeverityHigh)}})
	if len(rep.Findings) != 1 {
		t.Fatalf("want the healthy check's finding, got %d", len(rep.Findings))
	}
	if len(rep.Errors) != 2 {
		t.Fatalf("want 2 check errors, got %+v", rep.Errors)
	}
	for _, e := range rep.Errors {
		switch e.Check {
		case "panicky":
			if !strings.HasPrefix(e.Error, "panic:") {
				t.Errorf("panic not reported as such: %q", e.Error)
			}
		case "failing":
			if e.Error != "parser exploded" {
				t.Errorf("error not passed through: %q", e.Error)
			}
		}
	}
}

func TestCheckTimeout(t *testing.T) {
	slow := funcCheck{name: "slow", run: func(ctx context.Context, _ *checks.Target) ([]checks.Finding, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}}
	start := time.Now()
	rep := run(t, &checks.Target{Head: memTree{}}, checks.Options{Checks: []checks.Check{slow}, CheckTimeout: 50 * time.Millisecond})
	if time.Since(start) > 3*time.Second {
		t.Fatal("runner waited far past the timeout")
	}
	if len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0].Error, "timed out") {
		t.Fatalf("want a timeout error, got %+v", rep.Errors)
	}
}

func TestInvalidFindingBecomesCheckError(t *testing.T) {
	bad := funcCheck{name: "sloppy", run: func(context.Context, *checks.Target) ([]checks.Finding, error) {
		return []checks.Finding{{RuleID: "code/x", Path: "a.go", StartLine: 0, Severity: checks.SeverityLow, Message: "m"}}, nil
	}}
	rep := run(t, &checks.Target{Head: memTree{"a.go": ""}}, checks.Options{Checks: []checks.Check{bad}})
	if len(rep.Findings) != 0 || len(rep.Errors) != 1 {
		t.Fatalf("want the malformed finding turned into an error, got %+v / %+v", rep.Findings, rep.Errors)
	}
}

func TestDiffScanMarksOnlyAddedLinesNew(t *testing.T) {
	tree := memTree{
		"a.go":         "ok\nBAD old\nBAD new\n",
		"untouched.go": "BAD elsewhere\n",
	}
	diff := checks.NewDiff("base", "head", []checks.FileChange{{Path: "a.go", Status: checks.StatusModified, Added: checks.Lines{{Start: 3, End: 3}}}}, nil)
	rep := run(t, &checks.Target{Head: tree, Diff: diff}, checks.Options{Checks: []checks.Check{lineFinder("code/bad", checks.SeverityHigh)}})
	if len(rep.Findings) != 2 {
		t.Fatalf("unchanged files must not be scanned in a diff; got %+v", rep.Findings)
	}
	if rep.Findings[0].New || !rep.Findings[1].New {
		t.Errorf("line 2 (pre-existing) and line 3 (added): got new=%v,%v", rep.Findings[0].New, rep.Findings[1].New)
	}
	if len(rep.Blocking()) != 1 || rep.Preexisting() != 1 {
		t.Errorf("blocking=%d preexisting=%d", len(rep.Blocking()), rep.Preexisting())
	}
}

func TestIntroducedFindingIsNewOffTheDiff(t *testing.T) {
	hist := funcCheck{name: "history", run: func(context.Context, *checks.Target) ([]checks.Finding, error) {
		return []checks.Finding{{RuleID: "secrets/x", Category: checks.CategorySecrets, Severity: checks.SeverityHigh, Path: "gone.txt", StartLine: 4, Message: "leaked earlier", Commit: "abc", Introduced: true, Key: "h"}}, nil
	}}
	diff := checks.NewDiff("b", "h", nil, nil)
	rep := run(t, &checks.Target{Head: memTree{}, Diff: diff}, checks.Options{Checks: []checks.Check{hist}})
	if len(rep.Findings) != 1 || !rep.Findings[0].New {
		t.Fatalf("a finding the check established from history must be new: %+v", rep.Findings)
	}
}

func TestFailOnThreshold(t *testing.T) {
	tree := memTree{"a.go": "BAD\n"}
	for _, tc := range []struct {
		sev, failOn checks.Severity
		blocking    int
	}{
		{checks.SeverityMedium, checks.SeverityHigh, 0},
		{checks.SeverityHigh, checks.SeverityHigh, 1},
		{checks.SeverityLow, checks.SeverityLow, 1},
		{checks.SeverityCritical, checks.SeverityHigh, 1},
	} {
		rep := run(t, &checks.Target{Head: tree}, checks.Options{Checks: []checks.Check{lineFinder("code/bad", tc.sev)}, FailOn: tc.failOn})
		if got := len(rep.Blocking()); got != tc.blocking {
			t.Errorf("%s finding with fail_on %s: %d blocking, want %d", tc.sev, tc.failOn, got, tc.blocking)
		}
	}
}

func TestInlineAllowComment(t *testing.T) {
	tree := memTree{"a.go": strings.Join([]string{
		"BAD plain",
		"BAD // warden:allow",
		"// warden:allow code/bad",
		"BAD allowed by the line above",
		"BAD // warden:allow code/other",
		"BAD // warden:allowance is not the marker",
		"BAD /* warden:allow */",
		"BAD # warden:allow secrets false positive",
		"BAD # warden:allow code test fixture",
	}, "\n")}
	rep := run(t, &checks.Target{Head: tree}, checks.Options{Checks: []checks.Check{lineFinder("code/bad", checks.SeverityHigh)}})
	var lines []int
	for _, f := range rep.Findings {
		lines = append(lines, f.StartLine)
	}
	if len(lines) != 4 || lines[0] != 1 || lines[1] != 5 || lines[2] != 6 || lines[3] != 8 {
		t.Fatalf("want findings on lines 1, 5, 6 and 8 only, got %v", lines)
	}
}

func TestIgnoredPathsAndFingerprints(t *testing.T) {
	tree := memTree{"vendor/x/a.go": "BAD\n", "pkg/testdata/b.go": "BAD\n", "testdata/c.go": "BAD\n", "main.go": "BAD\nBAD 2\n"}
	ignore, err := checks.NewPathMatcher([]string{"vendor/**", "**/testdata/**"})
	if err != nil {
		t.Fatal(err)
	}
	rep := run(t, &checks.Target{Head: tree}, checks.Options{Checks: []checks.Check{lineFinder("code/bad", checks.SeverityHigh)}, Ignore: ignore})
	if len(rep.Findings) != 2 {
		t.Fatalf("ignored paths reported: %+v", rep.Findings)
	}
	id := rep.Findings[0].ID()
	rep = run(t, &checks.Target{Head: tree}, checks.Options{Checks: []checks.Check{lineFinder("code/bad", checks.SeverityHigh)}, Ignore: ignore, IgnoreFingerprints: []string{id}})
	if len(rep.Findings) != 1 || rep.Findings[0].ID() == id {
		t.Fatalf("allowlisted %s still reported: %+v", id, rep.Findings)
	}
}

func TestFingerprintsSurviveLineShiftsAndAreUnique(t *testing.T) {
	before := memTree{"a.go": "BAD one\nBAD two\nBAD two\n"}
	after := memTree{"a.go": "// a new header\n\nBAD one\nBAD two\nBAD two\n"}
	opts := checks.Options{Checks: []checks.Check{lineFinder("code/bad", checks.SeverityHigh)}}
	r1, r2 := run(t, &checks.Target{Head: before}, opts), run(t, &checks.Target{Head: after}, opts)
	seen := map[string]bool{}
	for i := range r1.Findings {
		a, b := r1.Findings[i], r2.Findings[i]
		if a.Fingerprint != b.Fingerprint {
			t.Errorf("fingerprint of %q changed when lines moved", a.Snippet)
		}
		if seen[a.Fingerprint] {
			t.Errorf("two findings share fingerprint %s", a.ID())
		}
		seen[a.Fingerprint] = true
		if !strings.HasPrefix(a.ID(), "W-") || len(a.ID()) != 10 {
			t.Errorf("bad id %q", a.ID())
		}
	}
}

func TestOversizedFilesAreSkippedWithANote(t *testing.T) {
	tree := memTree{"big.js": strings.Repeat("BAD ", 100), "small.js": "BAD"}
	rep := run(t, &checks.Target{Head: tree}, checks.Options{Checks: []checks.Check{lineFinder("code/bad", checks.SeverityHigh)}, MaxFileSize: 50})
	if len(rep.Findings) != 1 || rep.Findings[0].Path != "small.js" {
		t.Fatalf("want only small.js scanned: %+v", rep.Findings)
	}
	if len(rep.Notes) != 1 || rep.Notes[0].Path != "big.js" || !strings.Contains(rep.Notes[0].Message, "size limit") {
		t.Fatalf("want a note about big.js: %+v", rep.Notes)
	}
	if !rep.Notes[0].Unscanned || rep.Passes() {
		t.Fatalf("an unscanned file must keep the review from passing: %+v", rep.Notes)
	}
}

// TestGapsKeepAReviewFromPassing: what a review could not check blocks it
// like a finding does, unless the policy accepts gaps.
func TestGapsKeepAReviewFromPassing(t *testing.T) {
	finding := func(sev checks.Severity) checks.Finding {
		return checks.Finding{RuleID: "code/x", Path: "a.go", StartLine: 1, Severity: sev, Message: "m", New: true}
	}
	for _, tc := range []struct {
		name   string
		rep    checks.Report
		passes bool
		gaps   int
	}{
		{"clean", checks.Report{FailOn: checks.SeverityHigh}, true, 0},
		{"low finding", checks.Report{FailOn: checks.SeverityHigh, Findings: []checks.Finding{finding(checks.SeverityLow)}}, true, 0},
		{"high finding", checks.Report{FailOn: checks.SeverityHigh, Findings: []checks.Finding{finding(checks.SeverityHigh)}}, false, 0},
		{"informational note", checks.Report{FailOn: checks.SeverityHigh, Notes: []checks.Note{{Check: "code", Message: "syntax error"}}}, true, 0},
		{"unscanned file", checks.Report{FailOn: checks.SeverityHigh, Notes: []checks.Note{{Check: "warden", Path: "big.js", Message: "over the limit", Unscanned: true}}}, false, 1},
		{"failed check", checks.Report{FailOn: checks.SeverityHigh, Errors: []checks.CheckError{{Check: "secrets", Error: "timed out after 5m0s"}}}, false, 1},
		{"gaps accepted", checks.Report{FailOn: checks.SeverityHigh, AcceptUnscanned: true, Errors: []checks.CheckError{{Check: "secrets", Error: "panic"}}}, true, 1},
		{"gaps accepted, finding still blocks", checks.Report{FailOn: checks.SeverityHigh, AcceptUnscanned: true, Findings: []checks.Finding{finding(checks.SeverityCritical)}}, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.rep.Passes(); got != tc.passes {
				t.Errorf("Passes() = %v, want %v", got, tc.passes)
			}
			if got := len(tc.rep.Unscanned()); got != tc.gaps {
				t.Errorf("Unscanned() has %d entries, want %d", got, tc.gaps)
			}
		})
	}
}

func TestPathMatcher(t *testing.T) {
	m, err := checks.NewPathMatcher([]string{"vendor/**", "**/testdata/**", "*.min.js", "docs/", "/build/out.txt"})
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{
		"vendor/a/b.go":     true,
		"vendorx/a.go":      false,
		"testdata/x":        true,
		"a/b/testdata/c/d":  true,
		"a/testdatax/c":     false,
		"web/app.min.js":    true,
		"app.min.js":        true,
		"app.js":            false,
		"docs/index.md":     true,
		"build/out.txt":     true,
		"src/build/out.txt": false,
	} {
		if got := m.Match(p); got != want {
			t.Errorf("Match(%q) = %v, want %v", p, got, want)
		}
	}
	if _, err := checks.NewPathMatcher([]string{"a/[b"}); err == nil {
		t.Error("invalid pattern accepted")
	}
}

func TestLines(t *testing.T) {
	var ls checks.Lines
	for _, n := range []int{1, 2, 3, 7, 9, 10} {
		ls = ls.Add(n)
	}
	if len(ls) != 3 || ls.Count() != 6 {
		t.Fatalf("ranges %+v", ls)
	}
	for n, want := range map[int]bool{0: false, 1: true, 3: true, 4: false, 7: true, 8: false, 10: true, 11: false} {
		if ls.Contains(n) != want {
			t.Errorf("Contains(%d) != %v", n, want)
		}
	}
	if !ls.Overlaps(4, 8) || ls.Overlaps(4, 6) {
		t.Error("Overlaps wrong")
	}
}

func TestBaselineFindingIsNotNewOnAnAddedLine(t *testing.T) {
	reordered := funcCheck{name: "deps", run: func(context.Context, *checks.Target) ([]checks.Finding, error) {
		return []checks.Finding{
			{RuleID: "dependencies/osv", Severity: checks.SeverityHigh, Path: "requirements.txt", StartLine: 1, Message: "old pin moved", Baseline: true, Key: "a"},
			{RuleID: "dependencies/osv", Severity: checks.SeverityHigh, Path: "requirements.txt", StartLine: 2, Message: "new pin", Introduced: true, Key: "b"},
		}, nil
	}}
	diff := checks.NewDiff("b", "h", []checks.FileChange{{Path: "requirements.txt", Status: checks.StatusModified, Added: checks.Lines{{Start: 1, End: 2}}}}, nil)
	rep := run(t, &checks.Target{Head: memTree{"requirements.txt": "a==1\nb==2\n"}, Diff: diff}, checks.Options{Checks: []checks.Check{reordered}})
	if len(rep.Findings) != 2 || rep.Findings[0].New || !rep.Findings[1].New {
		t.Fatalf("want the moved pin pre-existing and the new pin new: %+v", rep.Findings)
	}
}
