package workflows

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/checkstest"
)

// memTree is an in-memory checks.Tree.
type memTree = checkstest.Tree

// scanFiles runs the check through warden's runner, as warden scan does,
// and returns the report.
func scanFiles(t testing.TB, files map[string]string, opts Options) *checks.Report {
	t.Helper()
	rep, err := checks.Run(context.Background(), &checks.Target{Head: memTree(files)}, checks.Options{Checks: []checks.Check{New(opts)}})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	for _, e := range rep.Errors {
		t.Errorf("check error: %s", e.Error)
	}
	return rep
}

// scanWorkflow scans one workflow file at .github/workflows/test.yml.
func scanWorkflow(t testing.TB, src string, opts Options) *checks.Report {
	return scanFiles(t, map[string]string{".github/workflows/test.yml": src}, opts)
}

// ruleLines renders the findings of one rule as "line:col" strings.
func ruleLines(rep *checks.Report, rule string) []string {
	var out []string
	for _, f := range rep.Findings {
		if f.RuleID == rule {
			out = append(out, fmt.Sprintf("%d:%d", f.StartLine, f.StartColumn))
		}
	}
	return out
}

func findingsOf(rep *checks.Report, rule string) []checks.Finding {
	var out []checks.Finding
	for _, f := range rep.Findings {
		if f.RuleID == rule {
			out = append(out, f)
		}
	}
	return out
}

// summary is one line per finding for failure messages.
func summary(rep *checks.Report) string {
	var b strings.Builder
	for _, f := range rep.Findings {
		fmt.Fprintf(&b, "  %s:%d:%d %s %s: %s\n", f.Path, f.StartLine, f.StartColumn, f.RuleID, f.Severity, f.Message)
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(&b, "  note %s: %s\n", n.Path, n.Message)
	}
	return b.String()
}
