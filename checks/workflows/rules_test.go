package workflows

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wardenbot/warden/checks"
)

// ruleCase is one workflow and the lines where a rule must fire (none for
// the safe twin of a vulnerable example).
type ruleCase struct {
	name string
	src  string
	want []int
}

func runRuleCases(t *testing.T, rule string, opts Options, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep := scanWorkflow(t, tc.src, opts)
			var got []int
			for _, f := range findingsOf(rep, rule) {
				got = append(got, f.StartLine)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s lines = %v, want %v\nall findings:\n%s", rule, got, tc.want, summary(rep))
			}
		})
	}
}

// wf assembles a workflow from an on: block and a jobs: block so cases stay short.
func wf(on, jobs string) string {
	return "name: t\n" + on + "\npermissions:\n  contents: read\njobs:\n" + jobs
}

func TestScriptInjection(t *testing.T) {
	runRuleCases(t, "workflows/script-injection", Options{}, []ruleCase{
		{"issue title in run", wf("on: issues", `  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ github.event.issue.title }}"
`), []int{9}},
		{"issue title through env (safe twin)", wf("on: issues", `  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo "$TITLE"
        env:
          TITLE: ${{ github.event.issue.title }}
`), nil},
		{"head_ref in block script, exact line", wf("on: pull_request", `  a:
    runs-on: ubuntu-latest
    steps:
      - run: |
          git fetch origin
          git checkout ${{ github.head_ref }}
          echo done
`), []int{11}},
		{"sha and number are not attacker text", wf("on: pull_request_target", `  a:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo ${{ github.event.pull_request.head.sha }} ${{ github.event.pull_request.number }}
          echo ${{ github.event.pull_request.user.login }} ${{ github.sha }} ${{ github.ref }}
`), nil},
		{"boolean use of untrusted text is safe", wf("on: issue_comment", `  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo ${{ contains(github.event.comment.body, '/deploy') }} ${{ github.event.comment.body == 'x' }} ${{ !github.event.comment.body }}
`), nil},
		{"commit messages array and toJSON of the whole PR", wf("on: push", `  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ github.event.commits[0].message }}"
      - run: echo '${{ toJSON(github.event.pull_request) }}'
      - run: echo "${{ join(github.event.commits.*.author.name, ', ') }}"
`), []int{9, 10, 11}},
		{"untrusted text in if: is not a script", wf("on: issues", `  a:
    if: github.event.issue.title == 'x'
    runs-on: ubuntu-latest
    steps:
      - if: startsWith(github.event.issue.body, 'y')
        run: echo ok
        name: ${{ github.event.issue.title }}
`), nil},
		{"github-script", wf("on: pull_request_target", `  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/github-script@v7
        with:
          script: |
            const t = '${{ github.event.pull_request.title }}'
            console.log(context.payload.pull_request.title)
`), []int{12}},
		{"other action inputs are not scripts", wf("on: pull_request_target", `  a:
    runs-on: ubuntu-latest
    steps:
      - uses: peter-evans/create-or-update-comment@v4
        with:
          body: ${{ github.event.pull_request.title }}
`), nil},
		{"env taint at job level, shadowed in step", wf("on: discussion", `  a:
    runs-on: ubuntu-latest
    env:
      T: ${{ github.event.discussion.title }}
    steps:
      - run: echo "${{ env.T }}"
      - env:
          T: constant
        run: echo "${{ env.T }}"
`), []int{11}},
		{"two expressions on one line", wf("on: pull_request_target", `  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ github.event.pull_request.title }}" "${{ github.event.pull_request.body }}"
`), []int{9, 9}},
	})
}

func TestScriptInjectionSeverityAndColumn(t *testing.T) {
	src := wf("on: pull_request", `  a:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo hi
          echo "${{ github.event.pull_request.title }}"
`)
	fs := findingsOf(scanWorkflow(t, src, Options{}), "workflows/script-injection")
	if len(fs) != 1 {
		t.Fatalf("want 1 finding, got %d", len(fs))
	}
	f := fs[0]
	if f.StartLine != 11 || f.StartColumn != 17 || f.EndColumn != 17+len("${{ github.event.pull_request.title }}")-1 {
		t.Errorf("position = %d:%d-%d, want 11:17-53", f.StartLine, f.StartColumn, f.EndColumn)
	}
	if f.Severity.String() != "high" {
		t.Errorf("severity on pull_request = %s, want high", f.Severity)
	}
	crit := findingsOf(scanWorkflow(t, strings.Replace(src, "on: pull_request", "on: pull_request_target", 1), Options{}), "workflows/script-injection")
	if len(crit) != 1 || crit[0].Severity.String() != "critical" {
		t.Errorf("pull_request_target should make it critical: %+v", crit)
	}
}

func TestPwnRequest(t *testing.T) {
	const job = `  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: REF
      - run: npm install
`
	runRuleCases(t, "workflows/pwn-request", Options{}, []ruleCase{
		{"head sha then npm install", wf("on: pull_request_target", strings.Replace(job, "REF", "${{ github.event.pull_request.head.sha }}", 1)), []int{11}},
		{"merge ref", wf("on: pull_request_target", strings.Replace(job, "REF", "refs/pull/${{ github.event.pull_request.number }}/merge", 1)), []int{11}},
		{"base checkout is safe", wf("on: pull_request_target", strings.Replace(job, "REF", "${{ github.event.pull_request.base.sha }}", 1)), nil},
		{"same shape on pull_request is fine", wf("on: pull_request", strings.Replace(job, "REF", "${{ github.event.pull_request.head.sha }}", 1)), nil},
		{"checkout without running code", wf("on: pull_request_target", `  diff:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: git diff --stat HEAD~1
      - uses: actions/upload-artifact@v4
        with:
          name: diff
          path: diff.txt
`), nil},
		{"workflow_run head sha then local action", wf("on:\n  workflow_run:\n    workflows: [ci]\n    types: [completed]", `  post:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.workflow_run.head_sha }}
      - uses: ./.github/actions/report
`), []int{14}},
		{"git fetch of the PR in run", wf("on: pull_request_target", `  t:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: |
          git fetch origin pull/${{ github.event.pull_request.number }}/head:pr
          git checkout pr
      - run: make
`), []int{11}},
	})
}

func TestUnpinnedAction(t *testing.T) {
	const job = `  a:
    runs-on: ubuntu-latest
    steps:
      - uses: USES
`
	cases := []struct {
		uses string
		opts Options
		want bool
	}{
		{"codecov/codecov-action@v4", Options{}, true},
		{"codecov/codecov-action@main", Options{}, true},
		{"codecov/codecov-action@b9fd7d1", Options{}, true}, // short sha is not immutable
		{"codecov/codecov-action@b9fd7d16f6d7d1b5d2bec1a2887e65ceed900238", Options{}, false},
		{"actions/checkout@v4", Options{}, false},
		{"github/codeql-action/analyze@v3", Options{}, false},
		{"actions/checkout@v4", Options{TrustedOwners: []string{}}, true},
		{"my-org/tools/lint@v1", Options{Owner: "My-Org"}, false},
		{"codecov/codecov-action@v4", Options{TrustedOwners: []string{"codecov"}}, false},
		{"./local/action", Options{}, false},
		{"docker://ghcr.io/org/tool:1.2", Options{}, true},
		{"docker://ghcr.io/org/tool@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5", Options{}, false},
	}
	for _, tc := range cases {
		rep := scanWorkflow(t, wf("on: push", strings.Replace(job, "USES", tc.uses, 1)), tc.opts)
		got := ruleLines(rep, "workflows/unpinned-action")
		if (len(got) == 1 && got[0] == "9:15") != tc.want || len(got) > 1 {
			t.Errorf("%s (%+v): findings at %v, want finding=%v", tc.uses, tc.opts, got, tc.want)
		}
	}
}

func TestUnpinnedActionFixNeedsResolver(t *testing.T) {
	src := wf("on: push", `  a:
    runs-on: ubuntu-latest
    steps:
      - uses: codecov/codecov-action@v4 # upload coverage
`)
	without := findingsOf(scanWorkflow(t, src, Options{}), "workflows/unpinned-action")
	if len(without) != 1 || without[0].Fix != nil {
		t.Fatalf("without resolver: want one finding and no fix, got %+v", without)
	}
	sha := "b9fd7d16f6d7d1b5d2bec1a2887e65ceed900238"
	with := findingsOf(scanWorkflow(t, src, Options{Resolver: fakeResolver{"codecov/codecov-action@v4": sha}}), "workflows/unpinned-action")
	if len(with) != 1 || with[0].Fix == nil {
		t.Fatalf("with resolver: want a fix, got %+v", with)
	}
	if want := "      - uses: codecov/codecov-action@" + sha + " # v4"; with[0].Fix.Replacement != want {
		t.Errorf("fix = %q, want %q", with[0].Fix.Replacement, want)
	}
	failing := scanWorkflow(t, src, Options{Resolver: fakeResolver{}})
	if fs := findingsOf(failing, "workflows/unpinned-action"); len(fs) != 1 || fs[0].Fix != nil {
		t.Errorf("failed resolution must keep the finding without a fix: %+v", fs)
	}
	if len(failing.Notes) != 1 {
		t.Errorf("failed resolution should leave one note, got %v", failing.Notes)
	}
}

func TestPermissions(t *testing.T) {
	runRuleCases(t, "workflows/permissions", Options{}, []ruleCase{
		{"none at all", "on: issues\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n", []int{2}},
		{"job-level everywhere is enough", "on: issues\njobs:\n  a:\n    runs-on: x\n    permissions:\n      issues: write\n    steps:\n      - run: echo\n", nil},
		{"one job without", "on: push\njobs:\n  a:\n    runs-on: x\n    permissions: {}\n    steps:\n      - run: echo\n  b:\n    runs-on: x\n    steps:\n      - run: echo\n", []int{8}},
		{"workflow_call inherits from caller", "on: workflow_call\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n", nil},
		{"write-all", "on: push\npermissions: write-all\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n", []int{2}},
		{"read-all is fine", "on: push\npermissions: read-all\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n", nil},
		{"write scope on pull_request_target", "on: pull_request_target\npermissions:\n  contents: read\n  pull-requests: write\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n", []int{4}},
		{"write scope on push is fine", "on: push\npermissions:\n  contents: write\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n", nil},
		{"secrets inherit to third party", "on: push\npermissions: {}\njobs:\n  a:\n    uses: other/wf/.github/workflows/x.yml@v1\n    secrets: inherit\n", []int{6}},
		{"secrets inherit to local", "on: push\npermissions: {}\njobs:\n  a:\n    uses: ./.github/workflows/x.yml\n    secrets: inherit\n", nil},
	})
}

func TestPermissionsFix(t *testing.T) {
	src := "name: ci\non: push\n\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n"
	fs := findingsOf(scanWorkflow(t, src, Options{}), "workflows/permissions")
	if len(fs) != 1 || fs[0].Fix == nil {
		t.Fatalf("want one finding with a fix, got %+v", fs)
	}
	fixed := applyFix(src, fs[0].Fix)
	if !strings.Contains(fixed, "permissions:\n  contents: read\n\njobs:") {
		t.Errorf("unexpected fixed workflow:\n%s", fixed)
	}
	if left := findingsOf(scanWorkflow(t, fixed, Options{}), "workflows/permissions"); len(left) != 0 {
		t.Errorf("fix did not resolve the finding: %+v", left)
	}
	writer := strings.Replace(src, "make", "git push origin HEAD", 1)
	if fs := findingsOf(scanWorkflow(t, writer, Options{}), "workflows/permissions"); len(fs) != 1 || fs[0].Fix != nil {
		t.Errorf("a workflow that pushes must not get the read-only fix: %+v", fs)
	}
}

func TestPersistCredentials(t *testing.T) {
	runRuleCases(t, "workflows/persist-credentials", Options{}, []ruleCase{
		{"uploads the workspace", wf("on: push", `  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/upload-artifact@v4
        with:
          path: ${{ github.workspace }}
`), []int{9}},
		{"persist-credentials false (safe twin)", wf("on: push", `  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - uses: actions/upload-artifact@v4
        with:
          path: .
`), nil},
		{"uploads only a build directory", wf("on: push", `  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: make dist
      - uses: actions/upload-artifact@v4
        with:
          path: dist/
`), nil},
		{"upload in another job does not see .git", wf("on: push", `  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
  b:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/upload-artifact@v4
        with:
          path: .
`), nil},
	})
}

func TestSelfHostedRunner(t *testing.T) {
	const jobs = "  a:\n    runs-on: RUNS\n    steps:\n      - run: echo\n"
	runRuleCases(t, "workflows/self-hosted-runner", Options{}, []ruleCase{
		{"pull_request self-hosted", wf("on: pull_request", strings.Replace(jobs, "RUNS", "[self-hosted, linux]", 1)), []int{7}},
		{"pull_request hosted", wf("on: pull_request", strings.Replace(jobs, "RUNS", "ubuntu-latest", 1)), nil},
		{"push self-hosted", wf("on: push", strings.Replace(jobs, "RUNS", "self-hosted", 1)), nil},
	})
}

func TestInsecureCommands(t *testing.T) {
	runRuleCases(t, "workflows/insecure-commands", Options{}, []ruleCase{
		{"step env true", wf("on: push", "  a:\n    runs-on: x\n    steps:\n      - run: echo\n        env:\n          ACTIONS_ALLOW_UNSECURE_COMMANDS: 'true'\n"), []int{11}},
		{"job env false", wf("on: push", "  a:\n    runs-on: x\n    env:\n      ACTIONS_ALLOW_UNSECURE_COMMANDS: false\n    steps:\n      - run: echo\n"), nil},
		{"mentioned in a script only", wf("on: push", "  a:\n    runs-on: x\n    steps:\n      - run: echo ACTIONS_ALLOW_UNSECURE_COMMANDS=true\n"), nil},
	})
}

func TestCurlPipeShell(t *testing.T) {
	step := func(script string) string {
		return wf("on: push", "  a:\n    runs-on: x\n    steps:\n      - run: |\n          echo start\n          "+script+"\n")
	}
	runRuleCases(t, "workflows/curl-pipe-shell", Options{}, []ruleCase{
		{"curl | sh", step("curl -fsSL https://get.example.com | sh"), []int{11}},
		{"curl | sudo -E bash -", step("curl -sL https://deb.example.com/setup | sudo -E bash -"), []int{11}},
		{"wget -O- | bash", step("wget -O- https://example.com/i.sh | bash"), []int{11}},
		{"bash <(curl)", step("bash <(curl -s https://example.com/i.sh)"), []int{11}},
		{"sh -c $(curl)", step(`sh -c "$(curl -fsSL https://example.com/install.sh)"`), []int{11}},
		{"curl | jq", step("curl -s https://api.example.com/x | jq .tag_name"), nil},
		{"curl | sha256sum", step("curl -sL https://example.com/a.tgz | sha256sum"), nil},
		{"curl to file then verified", step("curl -o i.sh https://example.com/i.sh && sha256sum -c i.sh.sha256 && sh i.sh"), nil},
		{"commented out", step("# curl https://example.com/i.sh | sh"), nil},
	})
}

func TestKnownVulnerableAction(t *testing.T) {
	const job = "  a:\n    runs-on: x\n    steps:\n      - uses: USES\n"
	cases := map[string]int{
		"tj-actions/changed-files@v45":                                      1,
		"tj-actions/changed-files@v45.0.7":                                  1,
		"tj-actions/changed-files@v46.0.1":                                  0,
		"tj-actions/changed-files@v46":                                      0,
		"tj-actions/changed-files@v40":                                      2, // also the file-name injection fixed in 41
		"tj-actions/changed-files@0e58ed8671d6b60d0890c21b07f8835ace038e67": 1,
		"tj-actions/changed-files@2f7c5bfce28377bc069a65ba478de0a74aa0ca32": 0, // an unknown sha: no claim
		"tj-actions/branch-names@v7.0.6":                                    1,
		"tj-actions/branch-names@v8":                                        0,
		"reviewdog/action-setup@v1":                                         1,
		"actions/checkout@v4":                                               0,
	}
	for uses, want := range cases {
		rep := scanWorkflow(t, wf("on: push", strings.Replace(job, "USES", uses, 1)), Options{})
		if got := len(findingsOf(rep, "workflows/known-vulnerable-action")); got != want {
			t.Errorf("%s: %d findings, want %d\n%s", uses, got, want, summary(rep))
		}
	}
}

// applyFix replaces the fix's lines in src.
func applyFix(src string, f *checks.Fix) string {
	lines := strings.Split(src, "\n")
	out := append([]string{}, lines[:f.StartLine-1]...)
	out = append(out, strings.Split(f.Replacement, "\n")...)
	return strings.Join(append(out, lines[f.EndLine:]...), "\n")
}

// TestFixesResolveFindings applies each suggested fix of the golden
// fixtures and checks that the file still parses and the finding is gone.
func TestFixesResolveFindings(t *testing.T) {
	fixtures, _ := filepath.Glob("testdata/golden/*.yml")
	for _, fx := range fixtures {
		src, err := os.ReadFile(fx)
		if err != nil {
			t.Fatal(err)
		}
		path := fixturePath(filepath.Base(fx))
		rep := scanFiles(t, map[string]string{path: string(src)}, Options{Resolver: goldenResolver})
		for _, f := range rep.Findings {
			if f.Fix == nil {
				continue
			}
			fixed := applyFix(string(src), f.Fix)
			after := scanFiles(t, map[string]string{path: fixed}, Options{Resolver: goldenResolver})
			if len(after.Notes) > 0 {
				t.Errorf("%s: fix for %s at line %d breaks the file: %v\n%s", fx, f.RuleID, f.StartLine, after.Notes, fixed)
			}
			for _, g := range after.Findings {
				if g.RuleID == f.RuleID && g.Key == f.Key {
					t.Errorf("%s: fix for %s at line %d leaves the finding:\n%s", fx, f.RuleID, f.StartLine, fixed)
				}
			}
		}
	}
}

// fakeAdvisories answers from a map keyed by name@version.
type fakeAdvisories map[string][]Advisory

func (db fakeAdvisories) Lookup(_ context.Context, ecosystem, name, version string) ([]Advisory, error) {
	if ecosystem != EcosystemActions {
		return nil, fmt.Errorf("unexpected ecosystem %q", ecosystem)
	}
	if advs, ok := db[name+"@"+version]; ok {
		return advs, nil
	}
	if name == "broken/action" {
		return nil, errors.New("service unavailable")
	}
	return nil, nil
}

func TestKnownVulnerableActionDB(t *testing.T) {
	db := fakeAdvisories{
		"example/deploy@2": {{ID: "GHSA-xxxx-yyyy-zzzz", Severity: "moderate", Summary: "token logged", Fixed: "2.1.0"}},
		// The database repeats a built-in advisory under its CVE id.
		"tj-actions/changed-files@45": {{ID: "CVE-2025-30066", Aliases: []string{"GHSA-mrrh-fwg8-r2c3"}, Severity: "critical"}},
	}
	src := wf("on: push", "  a:\n    runs-on: x\n    steps:\n      - uses: example/deploy@v2\n      - uses: tj-actions/changed-files@v45\n      - uses: broken/action@v1\n      - uses: broken/action@v1\n")
	rep := scanWorkflow(t, src, Options{Advisories: db})
	fs := findingsOf(rep, "workflows/known-vulnerable-action")
	if len(fs) != 2 {
		t.Fatalf("want 2 findings (db advisory + built-in, deduplicated), got:\n%s", summary(rep))
	}
	if fs[0].Severity.String() != "medium" || !strings.Contains(fs[0].Remediation, "2.1.0") {
		t.Errorf("db advisory finding = %+v", fs[0])
	}
	if len(rep.Notes) != 1 || !strings.Contains(rep.Notes[0].Message, "unavailable") {
		t.Errorf("a failing lookup should leave exactly one note, got %v", rep.Notes)
	}
}
