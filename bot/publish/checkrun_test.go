package publish_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wardenbot/warden/bot/publish"
	"github.com/wardenbot/warden/checks"
)

// renderCheckRun is what a reviewer sees of the check run, as one file.
func renderCheckRun(cr publish.CheckRun) string {
	return "conclusion: " + cr.Conclusion + "\ntitle: " + cr.Title + "\n\n" + cr.Summary
}

func TestCheckRunGolden(t *testing.T) {
	ignoredAndPreexisting := uxInput()
	ignoredAndPreexisting.Report.Findings = ignoredAndPreexisting.Report.Findings[4:] // only the ignored one and the old ones

	approval := cleanInput()
	approval.Approval = publish.Approval{Required: true, Paths: []string{".github/workflows/ci.yml", "Dockerfile"}, By: "acme/security"}

	approved := approval
	approved.Approval.ApprovedBy = "carol"

	configError := publish.Input{
		Config:      publish.ConfigSource{Path: ".github/warden.yml", SHA: baseSHA},
		ConfigError: ".github/warden.yml:3:1: unknown key \"fial_on\" (did you mean fail_on?)",
		Version:     "v0.3.0",
	}
	superseded := uxInput()
	superseded.SupersededBy = "0123456789abcdef0123456789abcdef01234567"

	partial := cleanInput()
	partial.Report.Errors = []checks.CheckError{{Check: "dependencies", Error: "OSV API unavailable: 503 Service Unavailable"}}
	partial.Report.Notes = []checks.Note{
		{Check: "code", Path: "assets/logo.png", Message: "binary file skipped"},
		{Check: "warden", Path: "web/bundle.min.js", Message: "not scanned: 80.0 MiB is over the 5.0 MiB file size limit", Unscanned: true},
	}
	partialAccepted := cleanInput()
	partialAccepted.OnUnscanned = "neutral"
	partialAccepted.Report.Errors = []checks.CheckError{{Check: "dependencies", Error: "OSV API unavailable: 503 Service Unavailable"}}

	draft := publish.Input{NotReviewed: &publish.NotReviewed{Why: publish.Draft}, HeadSHA: headSHA, Version: "v0.3.0"}
	overLimit := publish.Input{NotReviewed: &publish.NotReviewed{Why: publish.OverLimit, Detail: "the repository is larger than the 2048 MiB fetch limit"}, HeadSHA: headSHA, Version: "v0.3.0"}
	crashed := publish.Input{NotReviewed: &publish.NotReviewed{Why: publish.Crashed, Detail: "ran out of memory (limit 2.0 GiB)"}, HeadSHA: headSHA, Version: "v0.3.0"}

	for name, in := range map[string]publish.Input{
		"checkrun_blocking.md":            uxInput(),
		"checkrun_clean.md":               cleanInput(),
		"checkrun_ignored_preexisting.md": ignoredAndPreexisting,
		"checkrun_approval_required.md":   approval,
		"checkrun_approved.md":            approved,
		"checkrun_config_error.md":        configError,
		"checkrun_superseded.md":          superseded,
		"checkrun_partial.md":             partial,
		"checkrun_partial_accepted.md":    partialAccepted,
		"checkrun_draft.md":               draft,
		"checkrun_over_limit.md":          overLimit,
		"checkrun_crashed.md":             crashed,
		"checkrun_truncated_70kb.md":      truncatedInput(),
		"checkrun_not_blocking_low.md":    oneLow(),
	} {
		t.Run(name, func(t *testing.T) {
			cr := publish.CheckRunOutput(in)
			assertOutputLimits(t, cr)
			golden(t, name, renderCheckRun(cr))
		})
	}
}

func oneLow() publish.Input {
	in := cleanInput()
	in.Report.Findings = []checks.Finding{finding("code/weak-hash", checks.CategoryCode, checks.SeverityLow, "internal/auth/token.go", 30, "MD5 used for a cache key.", true)}
	return in
}

// truncatedInput is a scan whose finding list alone is over 70 KB of
// multibyte text.
func truncatedInput() publish.Input {
	in := cleanInput()
	var fs []checks.Finding
	for i := range 400 {
		fs = append(fs, finding("code/unicode", checks.CategoryCode, checks.SeverityHigh, "src/日本語/ファイル.go", i+1,
			strings.Repeat("秘密の鍵が漏れています🔑", 8), true))
	}
	in.Report = report(fs)
	return in
}

func assertOutputLimits(t *testing.T, cr publish.CheckRun) {
	t.Helper()
	if len(cr.Summary) > publish.MaxOutputBytes {
		t.Errorf("summary is %d bytes, over GitHub's %d", len(cr.Summary), publish.MaxOutputBytes)
	}
	if !utf8.ValidString(cr.Summary) || !utf8.ValidString(cr.Title) {
		t.Error("output is not valid UTF-8")
	}
	if cr.Summary == "" || cr.Title == "" {
		t.Error("GitHub requires a title and a summary")
	}
}

func TestTitle(t *testing.T) {
	twoBlocking := cleanInput()
	twoBlocking.Report.Findings = []checks.Finding{
		finding("a/b", checks.CategoryCode, checks.SeverityHigh, "a.go", 1, "m", true),
		finding("a/c", checks.CategoryCode, checks.SeverityCritical, "a.go", 2, "m", true),
		finding("a/d", checks.CategoryCode, checks.SeverityLow, "a.go", 3, "m", true),
	}
	for _, tc := range []struct {
		name string
		in   publish.Input
		want string
	}{
		{"two blocking", twoBlocking, "2 new findings block this PR (1 critical, 1 high)"},
		{"clean", cleanInput(), "No new findings"},
		{"one low", oneLow(), "1 new low finding (not blocking)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := publish.CheckRunOutput(tc.in).Title; got != tc.want {
				t.Errorf("title = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSummaryTruncationKeepsCountsAndFooter(t *testing.T) {
	cr := publish.CheckRunOutput(truncatedInput())
	if len(cr.Summary) < publish.MaxOutputBytes-2000 {
		t.Errorf("summary uses only %d of %d bytes", len(cr.Summary), publish.MaxOutputBytes)
	}
	for _, want := range []string{"| **New in this PR** | 0 | 400 |", "more findings in the annotations.", "warden v0.3.0"} {
		if !strings.Contains(cr.Summary, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
}

func TestSummaryRowsPartitionFindings(t *testing.T) {
	// Every finding is counted in exactly one row: the ux example has 4 new
	// (one of them ignored), 20 pre-existing.
	s := publish.CheckRunOutput(uxInput()).Summary
	for _, row := range []string{
		"| **New in this PR** | 1 | 1 | 0 | 2 |",
		"| Already on main (not blocking) | 0 | 3 | 5 | 12 |",
		"| Ignored | 0 | 1 | 0 | 0 |",
	} {
		if !strings.Contains(s, row) {
			t.Errorf("summary lacks row %q\n%s", row, s)
		}
	}
}

func TestSummaryHugeUntrustedTextStillFits(t *testing.T) {
	in := cleanInput()
	huge := strings.Repeat("<img src=x onerror=alert(1)>@org/team ", 30000)
	in.ConfigError = huge
	in.BaseBranch = huge
	in.Report.Notes = []checks.Note{{Path: huge, Message: huge}, {Check: huge, Path: huge, Message: huge, Unscanned: true}}
	in.Report.Errors = []checks.CheckError{{Check: huge, Error: huge}}
	cr := publish.CheckRunOutput(in)
	assertOutputLimits(t, cr)
	outside := stripCode(cr.Summary)
	if strings.Contains(outside, "<img") || strings.Contains(outside, "@org") {
		t.Errorf("untrusted HTML or mention survived outside code")
	}
}
