package publish_test

import (
	"strings"
	"testing"

	"github.com/wardenbot/warden/bot/publish"
)

func TestCheckRunListsEachApprovalRule(t *testing.T) {
	in := cleanInput()
	in.Approval = publish.Approval{Required: true, Paths: []string{".github/workflows/ci.yml", "auth/login.go"}, By: "acme/identity",
		Rules: []publish.RuleApproval{
			{Name: "approvals: .github/workflows/**", Paths: []string{".github/workflows/ci.yml"}, By: "acme/security", ApprovedBy: "@sec"},
			{Name: "approvals: auth/**", Paths: []string{"auth/login.go"}, By: "acme/identity"},
			{Name: "warden configuration", Paths: []string{".github/warden.yml"}, By: "write"},
		}}
	out := publish.CheckRunOutput(in)
	if out.Conclusion != publish.ConclusionFailure || out.Title != "Approval required from acme/identity" {
		t.Fatalf("conclusion %s, title %q", out.Conclusion, out.Title)
	}
	for _, want := range []string{
		"**Approvals:** 1 of 3 rules approved.",
		"- ✅ `.github/workflows/ci.yml` (approvals: .github/workflows/\\*\\*): approved by",
		"- ❌ `auth/login.go` (approvals: auth/\\*\\*): needs a member of `acme/identity` to comment `/warden approve`",
		"- ❌ `.github/warden.yml` (warden configuration): needs someone with write access",
	} {
		if !strings.Contains(out.Summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, out.Summary)
		}
	}
	if strings.Contains(out.Summary, "@sec") {
		t.Error("the approver's login pings them")
	}
	in.Approval.By, in.Approval.ApprovedBy = "", "sec, plat"
	for i := range in.Approval.Rules {
		in.Approval.Rules[i].ApprovedBy = "sec"
	}
	if out := publish.CheckRunOutput(in); out.Conclusion != publish.ConclusionSuccess || !strings.Contains(out.Summary, "3 of 3 rules approved") {
		t.Fatalf("all approved: %s\n%s", out.Conclusion, out.Summary)
	}
}
