package checks_test

import (
	"context"
	"strings"
	"testing"

	"github.com/wardenbot/warden/checks"
)

// markerFinder reports a finding of its category on every line with "BAD".
func markerFinder(rule string, cat checks.Category) funcCheck {
	c := lineFinder(rule, checks.SeverityHigh)
	return funcCheck{name: c.name, run: func(ctx context.Context, t *checks.Target) ([]checks.Finding, error) {
		fs, err := c.run(ctx, t)
		for i := range fs {
			fs[i].Category = cat
			fs[i].Key = "k" + fs[i].Snippet
		}
		return fs, err
	}}
}

type shown struct {
	rule string
	line int
	new  bool
}

func findings(rep *checks.Report) []shown {
	var out []shown
	for _, f := range rep.Findings {
		out = append(out, shown{f.RuleID, f.StartLine, f.New})
	}
	return out
}

// TestSuppressionMarkersCountOnlyFromTheBase: a marker silences a finding
// in a change only when neither the marker nor the finding's line is one
// the change adds; a marker the change adds is reported and blocks.
func TestSuppressionMarkersCountOnlyFromTheBase(t *testing.T) {
	const added = "warden/suppression-added"
	for _, tc := range []struct {
		name  string
		cat   checks.Category
		file  string
		added checks.Lines
		want  []shown
	}{
		{"marker on the finding's line, both added", checks.CategoryCode,
			"ok\nBAD // warden:allow\n", checks.Lines{{Start: 2, End: 2}},
			[]shown{{"code/bad", 2, true}, {added, 2, true}}},
		{"marker line added above a base finding", checks.CategoryCode,
			"// warden:allow code/bad\nBAD\n", checks.Lines{{Start: 1, End: 1}},
			[]shown{{added, 1, true}, {"code/bad", 2, false}}},
		{"marker and finding from the base", checks.CategoryCode,
			"// warden:allow code/bad\nBAD\nnew line\n", checks.Lines{{Start: 3, End: 3}},
			nil},
		{"base marker above a line the change rewrote", checks.CategoryCode,
			"// warden:allow code/bad\nBAD rewritten\n", checks.Lines{{Start: 2, End: 2}},
			[]shown{{"code/bad", 2, true}}},
		{"gitleaks:allow added with a secret", checks.CategorySecrets,
			"key = BAD // gitleaks:allow\n", checks.Lines{{Start: 1, End: 1}},
			[]shown{{"code/bad", 1, true}, {added, 1, true}}},
		{"#nosec added to code", checks.CategoryCode,
			"query(BAD) # nosec\n", checks.Lines{{Start: 1, End: 1}},
			[]shown{{"code/bad", 1, true}, {added, 1, true}}},
		{"#nosec does not speak for secrets", checks.CategorySecrets,
			"# nosec\nBAD\n", checks.Lines{{Start: 2, End: 2}},
			[]shown{{"code/bad", 2, true}}},
		{"a marker with nothing to silence is no finding", checks.CategoryCode,
			"// warden:allow\nfine\n", checks.Lines{{Start: 1, End: 2}},
			nil},
		{"marker for another rule", checks.CategoryCode,
			"BAD // warden:allow code/other\n", checks.Lines{{Start: 1, End: 1}},
			[]shown{{"code/bad", 1, true}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tree := memTree{"a.go": tc.file}
			diff := checks.NewDiff("b", "h", []checks.FileChange{{Path: "a.go", Status: checks.StatusModified, Added: tc.added}}, nil)
			rep := run(t, &checks.Target{Head: tree, Diff: diff}, checks.Options{Checks: []checks.Check{markerFinder("code/bad", tc.cat)}})
			got := findings(rep)
			if len(got) != len(tc.want) {
				t.Fatalf("findings %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("finding %+v, want %+v", got[i], tc.want[i])
				}
			}
			for _, f := range rep.Findings {
				if f.RuleID != added {
					continue
				}
				if f.Severity != checks.SeverityHigh || !strings.Contains(f.Message, "suppression added by this change") || rep.Passes() {
					t.Errorf("an added marker must block: %+v", f)
				}
				if doc := rep.Rules[added]; doc.Title == "" || doc.Remediation == "" {
					t.Errorf("rule %s is not documented in the report: %+v", added, doc)
				}
			}
		})
	}
}

// TestSuppressionMarkersWorkInATreeScan: without a base every marker is
// the repository's own and silences as it always did.
func TestSuppressionMarkersWorkInATreeScan(t *testing.T) {
	tree := memTree{"a.py": "q(BAD) # nosec\n# warden:allow\nBAD\nBAD # gitleaks:allow\n"}
	rep := run(t, &checks.Target{Head: tree}, checks.Options{Checks: []checks.Check{markerFinder("code/bad", checks.CategoryCode)}})
	if got := findings(rep); len(got) != 1 || got[0].line != 4 {
		t.Errorf("want only line 4 reported (gitleaks:allow is for secrets), got %+v", got)
	}
}

func TestBuiltinRulesAreDocumented(t *testing.T) {
	for _, r := range checks.BuiltinRules() {
		if r.ID == "" || r.Title == "" || r.Description == "" || r.Remediation == "" || r.HelpURI == "" || r.Severity != checks.SeverityHigh {
			t.Errorf("rule %+v lacks documentation", r)
		}
	}
}
