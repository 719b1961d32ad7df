package format_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/format"
	"github.com/wardenbot/warden/internal/npmcache"
)

var update = flag.Bool("update", false, "rewrite golden files")

// sampleReport is a diff-scan report with a blocking secret, a blocking
// dependency, a low finding, a pre-existing one, an informational note, a
// file that could not be checked and a check error.
func sampleReport() *checks.Report {
	fs := []checks.Finding{
		{
			RuleID: "secrets/aws-access-token", Category: checks.CategorySecrets, Severity: checks.SeverityHigh,
			Path: "internal/cloud/aws.go", StartLine: 7, EndLine: 7,
			Message:     "AWS access key ID committed (AKIA…, 20 chars), added in a1b2c3d",
			Remediation: "Revoke the key in AWS IAM, then load credentials from the environment.",
			Snippet:     `	awsAccessKeyID = "AKIA****************"`,
			Commit:      "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
			Fingerprint: checks.Fingerprint("secrets/aws-access-token", "internal/cloud/aws.go", "k1"), New: true,
		},
		{
			RuleID: "dependencies/osv", Category: checks.CategoryDependencies, Severity: checks.SeverityCritical,
			Path: "web/package-lock.json", StartLine: 12, EndLine: 12,
			Message:     "lodash 4.17.15 has 2 advisories (GHSA-p6mc-m468-83gw, GHSA-35jh-r3h4-6jhm); upgrade to 4.17.21",
			References:  []string{"https://osv.dev/vulnerability/GHSA-p6mc-m468-83gw"},
			Fingerprint: checks.Fingerprint("dependencies/osv", "web/package-lock.json", "npm/lodash@4.17.15"), New: true,
		},
		{
			RuleID: "iac/dockerfile-base-not-pinned", Category: checks.CategoryIaC, Severity: checks.SeverityLow,
			Path: "my dir/Dockerfile", StartLine: 1, EndLine: 1, StartColumn: 6, EndColumn: 20,
			Message:     "Base image golang:1.22 is not pinned by digest",
			Fix:         &checks.Fix{StartLine: 1, EndLine: 1, Replacement: "FROM golang:1.22@sha256:0123", Description: "Pin the digest"},
			Snippet:     "FROM golang:1.22",
			Fingerprint: checks.Fingerprint("iac/dockerfile-base-not-pinned", "my dir/Dockerfile", "golang:1.22"), New: true,
		},
		{
			RuleID: "code/sql-injection", Category: checks.CategoryCode, Severity: checks.SeverityHigh,
			Path: "db/query.go", StartLine: 40, Message: "old problem",
			Fingerprint: checks.Fingerprint("code/sql-injection", "db/query.go", "old"), New: false,
		},
	}
	return &checks.Report{
		Findings: fs,
		Errors:   []checks.CheckError{{Check: "code", Error: "timed out after 5m0s"}},
		Notes: []checks.Note{
			{Check: "secrets", Path: "assets/logo.png", Message: "binary file skipped"},
			{Check: "warden", Path: "web/dist/app.min.js", Message: "not scanned: 6.2 MiB is over the 5.0 MiB file size limit (searched for secrets only)", Unscanned: true},
		},
		Rules: map[string]checks.Rule{
			"secrets/aws-access-token": {ID: "secrets/aws-access-token", Title: "AWS access key", Category: checks.CategorySecrets, Severity: checks.SeverityHigh, Description: "An AWS access key ID.", Remediation: "Revoke it."},
			"dependencies/osv":         {ID: "dependencies/osv", Title: "Vulnerable dependency", Category: checks.CategoryDependencies, Severity: checks.SeverityHigh, HelpURI: "https://osv.dev/"},
		},
		FailOn: checks.SeverityHigh,
		Base:   "1111111111111111111111111111111111111111",
		Head:   "2222222222222222222222222222222222222222",
		Stats:  checks.Stats{Files: 9, Bytes: 12345, AddedLines: 214, Commits: 3, Checks: 6, Duration: 1800 * time.Millisecond},
	}
}

func render(t *testing.T, name string, color bool) []byte {
	t.Helper()
	w, err := format.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := w(&buf, sampleReport(), format.Options{Version: "v0.0.0-test", Color: color}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func golden(t *testing.T, file string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", file)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden file:\n--- got ---\n%s\n--- want ---\n%s", file, got, want)
	}
}

func TestGoldenOutputs(t *testing.T) {
	for _, tc := range []struct {
		format, file string
		color        bool
	}{
		{"text", "report.txt", false},
		{"text", "report.color.txt", true},
		{"json", "report.json", false},
		{"sarif", "report.sarif", false},
	} {
		t.Run(tc.file, func(t *testing.T) { golden(t, tc.file, render(t, tc.format, tc.color)) })
	}
}

func TestTextShowsOnlyNewFindingsAndCountsTheRest(t *testing.T) {
	out := string(render(t, "text", false))
	if strings.Contains(out, "old problem") {
		t.Error("pre-existing finding is shown")
	}
	for _, want := range []string{"1 already on base", "2 blocking findings (1 critical, 1 high), 1 not blocking", "W-", "internal/cloud/aws.go"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("uncoloured output contains ANSI escapes")
	}
}

func TestTextNeutralisesControlCharactersInPaths(t *testing.T) {
	rep := &checks.Report{FailOn: checks.SeverityHigh, Findings: []checks.Finding{{
		RuleID: "x/y", Category: checks.CategoryCode, Severity: checks.SeverityLow, Path: "evil\x1b[2Jname.go",
		StartLine: 1, Message: "m\x07", Fingerprint: strings.Repeat("a", 64), New: true,
	}}}
	var buf bytes.Buffer
	if err := format.Text(&buf, rep, format.Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(buf.String(), "\x1b\x07") {
		t.Errorf("control characters reached the terminal: %q", buf.String())
	}
}

func TestUnknownFormat(t *testing.T) {
	if _, err := format.Lookup("xml"); err == nil || !strings.Contains(err.Error(), "text, json, sarif") {
		t.Fatalf("want an error listing the formats, got %v", err)
	}
}

func TestSARIFContract(t *testing.T) {
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID                   string `json:"id"`
						ShortDescription     struct{ Text string }
						HelpURI              string `json:"helpUri"`
						DefaultConfiguration struct{ Level string }
						Properties           struct{ Category string }
					} `json:"rules"`
				}
			}
			Results []struct {
				RuleID    string `json:"ruleId"`
				Level     string
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine int }
					}
				}
				PartialFingerprints map[string]string
				Properties          struct{ Category, Severity string }
			}
		}
	}
	if err := json.Unmarshal(render(t, "sarif", false), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Name != "warden" {
		t.Fatalf("bad SARIF envelope: %+v", log)
	}
	run := log.Runs[0]
	if len(run.Results) != 3 {
		t.Fatalf("want the 3 new findings as results, got %d", len(run.Results))
	}
	rules := map[string]bool{}
	for _, r := range run.Tool.Driver.Rules {
		if r.ShortDescription.Text == "" || r.HelpURI == "" || r.Properties.Category == "" || r.DefaultConfiguration.Level == "" {
			t.Errorf("rule %s lacks a contract field: %+v", r.ID, r)
		}
		rules[r.ID] = true
	}
	for _, res := range run.Results {
		loc := res.Locations[0].PhysicalLocation
		if !rules[res.RuleID] || res.Level == "" || res.Message.Text == "" || loc.Region.StartLine < 1 ||
			len(res.PartialFingerprints["warden/v1"]) != 64 || res.Properties.Category == "" || res.Properties.Severity == "" {
			t.Errorf("result lacks a contract field: %+v", res)
		}
		if strings.Contains(loc.ArtifactLocation.URI, "\\") || strings.HasPrefix(loc.ArtifactLocation.URI, "/") {
			t.Errorf("uri %q is not relative with forward slashes", loc.ArtifactLocation.URI)
		}
	}
	if got := run.Results[2].Locations[0].PhysicalLocation.ArtifactLocation.URI; got != "my%20dir/Dockerfile" {
		t.Errorf("space in path not percent-encoded: %q", got)
	}
}

// TestSARIFValidatesAgainstOfficialSchema checks the output against the
// SARIF 2.1.0 JSON schema as published by its maintainers on npm.
func TestSARIFValidatesAgainstOfficialSchema(t *testing.T) {
	schemaPath, err := npmcache.File(context.Background(), "@microsoft/sarif-multitool-linux", "5.7.0", "package/sarif-2.1.0.json")
	if err != nil {
		if npmcache.Required() {
			t.Fatalf("SARIF schema unavailable: %v", err)
		}
		t.Skipf("SARIF schema unavailable: %v", err)
	}
	sch := compileSchema(t, schemaPath)
	for _, rep := range []*checks.Report{sampleReport(), {FailOn: checks.SeverityHigh}} {
		var buf bytes.Buffer
		if err := format.SARIF(&buf, rep, format.Options{Version: "test"}); err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(doc); err != nil {
			t.Errorf("SARIF output does not validate: %v", err)
		}
	}
}

func compileSchema(t *testing.T, path string) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("sarif-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// TestUnscannedPartsStandOut: what the review could not check is listed
// apart from informational notes and counted in the summary, in every
// format, so a change that was not fully reviewed never reads as clean.
func TestUnscannedPartsStandOut(t *testing.T) {
	rep := &checks.Report{FailOn: checks.SeverityHigh, Base: "b", Head: "h", Notes: []checks.Note{
		{Check: "warden", Message: "partial coverage: the change touches more than 500000 tree entries", Unscanned: true},
		{Check: "secrets", Message: "3 binary file(s): only the text inside them was searched for secrets"},
	}}
	var text, js, sarif bytes.Buffer
	for _, o := range []struct {
		w   format.Writer
		buf *bytes.Buffer
	}{{format.Text, &text}, {format.JSON, &js}, {format.SARIF, &sarif}} {
		if err := o.w(o.buf, rep, format.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	out := text.String()
	gapAt, summaryAt := strings.Index(out, "Not checked:\n  warden: partial coverage"), strings.Index(out, "No new findings · 1 part not checked")
	if gapAt < 0 || summaryAt < gapAt || !strings.Contains(out, "note: 3 binary file(s)") {
		t.Errorf("text output:\n%s", out)
	}
	var doc struct {
		Summary struct {
			Unscanned int  `json:"unscanned"`
			Passes    bool `json:"passes"`
		} `json:"summary"`
		Notes []map[string]any `json:"notes"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Summary.Unscanned != 1 || doc.Summary.Passes || doc.Notes[1]["unscanned"] != false {
		t.Errorf("json summary %+v notes %v", doc.Summary, doc.Notes)
	}
	if !strings.Contains(sarif.String(), `"level": "error",
              "message": {
                "text": "partial coverage`) {
		t.Errorf("sarif does not raise the gap as an error:\n%s", sarif.String())
	}
	rep.AcceptUnscanned = true
	text.Reset()
	format.Text(&text, rep, format.Options{})
	if !strings.Contains(text.String(), "1 part not checked (accepted by on_unscanned)") {
		t.Errorf("accepted gaps are not marked as such:\n%s", text.String())
	}
}
