package iac_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/iac"
	"github.com/wardenbot/warden/checks/source"
)

var update = flag.Bool("update", false, "rewrite golden files")

// evalDate pins end-of-life judgements so the golden files do not age.
var evalDate = time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)

func runDir(t *testing.T, dir string) (*checks.Report, []checks.Finding) {
	t.Helper()
	tree, err := source.Dir(dir)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := checks.Run(context.Background(), &checks.Target{Head: tree}, checks.Options{Checks: []checks.Check{iac.New(iac.Options{Now: evalDate})}})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range rep.Errors {
		t.Errorf("check error: %s: %s", e.Check, e.Error)
	}
	return rep, rep.Findings
}

// render is the golden form: path:line severity rule, sorted.
func render(fs []checks.Finding) string {
	lines := make([]string, 0, len(fs))
	for _, f := range fs {
		lines = append(lines, fmt.Sprintf("%s:%d %s %s", f.Path, f.StartLine, f.Severity, f.RuleID))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n") + "\n"
}

func TestGoldenCases(t *testing.T) {
	cases, err := filepath.Glob("testdata/cases/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range cases {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			continue
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			_, fs := runDir(t, dir)
			got := render(fs)
			golden := dir + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("findings differ from %s (-update to accept):\ngot:\n%swant:\n%s", golden, got, want)
			}
		})
	}
}

func TestOKSetIsClean(t *testing.T) {
	rep, fs := runDir(t, "testdata/ok")
	for _, f := range fs {
		t.Errorf("unexpected finding %s:%d %s: %s", f.Path, f.StartLine, f.RuleID, f.Message)
	}
	var helmNoted bool
	for _, n := range rep.Notes {
		if n.Check == iac.Name && strings.Contains(n.Path, "chart/templates/") && strings.Contains(n.Message, "Helm") {
			helmNoted = true
		}
	}
	if !helmNoted {
		t.Errorf("Helm template was not reported as skipped; notes: %+v", rep.Notes)
	}
}

func TestFindingsAreComplete(t *testing.T) {
	c := iac.New(iac.Options{})
	docs := map[string]checks.Rule{}
	for _, r := range c.Rules() {
		if r.ID == "" || r.Title == "" || r.Description == "" || r.Remediation == "" || r.HelpURI == "" || len(r.References) == 0 || r.Category != checks.CategoryIaC {
			t.Errorf("rule %s is not fully documented: %+v", r.ID, r)
		}
		if strings.Contains(r.Title, "\n") {
			t.Errorf("rule %s title spans lines", r.ID)
		}
		docs[r.ID] = r
	}
	_, fs := runDir(t, "testdata/cases/webapp")
	seen := map[string]bool{}
	for _, f := range fs {
		if _, ok := docs[f.RuleID]; !ok {
			t.Errorf("finding with undocumented rule %s", f.RuleID)
		}
		if f.Fingerprint == "" || seen[f.Fingerprint] {
			t.Errorf("finding %s:%d %s has a missing or duplicate fingerprint", f.Path, f.StartLine, f.RuleID)
		}
		seen[f.Fingerprint] = true
		if strings.Contains(f.Message, "s3cr3t") || strings.Contains(f.Message, "tok_live") {
			t.Errorf("message leaks a secret value: %s", f.Message)
		}
	}
}

func TestDisabledRules(t *testing.T) {
	tree, err := source.Dir("testdata/cases/webapp")
	if err != nil {
		t.Fatal(err)
	}
	c := iac.New(iac.Options{Now: evalDate, DisableEOL: true, DisabledRules: []string{"iac/k8s-missing-limits"}})
	rep, err := checks.Run(context.Background(), &checks.Target{Head: tree}, checks.Options{Checks: []checks.Check{c}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		if f.RuleID == "iac/eol-runtime" || f.RuleID == "iac/k8s-missing-limits" {
			t.Errorf("disabled rule reported: %s at %s:%d", f.RuleID, f.Path, f.StartLine)
		}
	}
	if len(rep.Findings) == 0 {
		t.Fatal("disabling two rules removed every finding")
	}
}
