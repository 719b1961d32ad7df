package publish_test

import (
	"testing"

	"github.com/wardenbot/warden/bot/publish"
	"github.com/wardenbot/warden/checks"
)

// TestVerdict is the whole decision of whether the check passes, as a
// table. GitHub counts success, neutral and skipped as passing a required
// check: only a change warden reviewed in full with nothing blocking may end
// success, and only the repository's own on_unscanned: neutral may let a
// partial review end neutral.
func TestVerdict(t *testing.T) {
	blocking := finding("secrets/github-pat", checks.CategorySecrets, checks.SeverityCritical, "deploy.sh", 3, "token", true)
	low := finding("code/weak-hash", checks.CategoryCode, checks.SeverityLow, "a.go", 1, "md5", true)
	gap := checks.Note{Check: "warden", Path: "big.js", Message: "not scanned: over the limit", Unscanned: true}
	info := checks.Note{Check: "code", Path: "x.py", Message: "syntax error; the rest analysed"}
	failedCheck := checks.CheckError{Check: "secrets", Error: "timed out after 5m0s"}

	with := func(mod func(*publish.Input)) publish.Input {
		in := cleanInput()
		mod(&in)
		return in
	}
	for _, tc := range []struct {
		name string
		in   publish.Input
		want string
	}{
		{"clean review", cleanInput(), "success"},
		{"a low finding below fail_on", with(func(in *publish.Input) { in.Report.Findings = []checks.Finding{low} }), "success"},
		{"an informational note", with(func(in *publish.Input) { in.Report.Notes = []checks.Note{info} }), "success"},
		{"a blocking finding", with(func(in *publish.Input) { in.Report.Findings = []checks.Finding{blocking} }), "failure"},
		{"several blocking findings", uxInput(), "failure"},
		{"a medium finding at fail_on: medium", with(func(in *publish.Input) {
			in.Report.Findings, in.FailOn = []checks.Finding{finding("code/x", checks.CategoryCode, checks.SeverityMedium, "a.go", 1, "m", true)}, checks.SeverityMedium
		}), "failure"},
		{"a critical finding already on the base", with(func(in *publish.Input) {
			in.Report.Findings = []checks.Finding{finding("code/x", checks.CategoryCode, checks.SeverityCritical, "a.go", 1, "m", false)}
		}), "success"},
		{"a blocking finding ignored", with(func(in *publish.Input) {
			in.Report.Findings = []checks.Finding{blocking}
			in.Ignored = map[string]publish.Suppression{blocking.Fingerprint: {Reason: "test fixture", By: "sec"}}
		}), "success"},
		{"approval missing", with(func(in *publish.Input) { in.Approval = publish.Approval{Required: true, By: "acme/security"} }), "failure"},
		{"approval given", with(func(in *publish.Input) {
			in.Approval = publish.Approval{Required: true, By: "acme/security", ApprovedBy: "carol"}
		}), "success"},
		{"a file not scanned", with(func(in *publish.Input) { in.Report.Notes = []checks.Note{gap} }), "failure"},
		{"a check that failed", with(func(in *publish.Input) { in.Report.Errors = []checks.CheckError{failedCheck} }), "failure"},
		{"gaps, on_unscanned: action_required", with(func(in *publish.Input) {
			in.Report.Notes, in.OnUnscanned = []checks.Note{gap}, "action_required"
		}), "action_required"},
		{"gaps, on_unscanned: neutral", with(func(in *publish.Input) {
			in.Report.Errors, in.OnUnscanned = []checks.CheckError{failedCheck}, "neutral"
		}), "neutral"},
		{"gaps accepted but a finding blocks", with(func(in *publish.Input) {
			in.Report.Notes, in.OnUnscanned, in.Report.Findings = []checks.Note{gap}, "neutral", []checks.Finding{blocking}
		}), "failure"},
		{"an unknown on_unscanned value fails closed", with(func(in *publish.Input) {
			in.Report.Notes, in.OnUnscanned = []checks.Note{gap}, "success"
		}), "failure"},
		{"no report", publish.Input{HeadSHA: headSHA}, "failure"},
		{"configuration error", publish.Input{ConfigError: "bad key", HeadSHA: headSHA}, "failure"},
		{"superseded", with(func(in *publish.Input) { in.SupersededBy = headSHA }), "cancelled"},
		{"draft", publish.Input{NotReviewed: &publish.NotReviewed{Why: publish.Draft}}, "action_required"},
		{"draft, even with on_unscanned: neutral", publish.Input{NotReviewed: &publish.NotReviewed{Why: publish.Draft}, OnUnscanned: "neutral"}, "action_required"},
		{"over a fetch limit", publish.Input{NotReviewed: &publish.NotReviewed{Why: publish.OverLimit, Detail: "too big"}}, "failure"},
		{"over a fetch limit, on_unscanned: neutral", publish.Input{NotReviewed: &publish.NotReviewed{Why: publish.OverLimit, Detail: "too big"}, OnUnscanned: "neutral"}, "neutral"},
		{"clone refused", publish.Input{NotReviewed: &publish.NotReviewed{Why: publish.CloneRefused, Detail: "refused"}, OnUnscanned: "neutral"}, "failure"},
		{"scan crashed", publish.Input{NotReviewed: &publish.NotReviewed{Why: publish.Crashed, Detail: "killed"}, OnUnscanned: "neutral"}, "failure"},
		{"gave up after retries", publish.Input{NotReviewed: &publish.NotReviewed{Why: publish.GaveUp, Detail: "502"}, OnUnscanned: "neutral"}, "failure"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := publish.CheckRunOutput(tc.in)
			if got.Conclusion != tc.want {
				t.Errorf("conclusion %q, want %q (title %q)", got.Conclusion, tc.want, got.Title)
			}
		})
	}
}
