package workflows

import (
	"testing"

	"github.com/wardenbot/warden/checks"
)

// Cases added after comparing warden with zizmor's test suite
// (testdata/EVAL.md): each change has a true positive and a trap.

func TestUnpinnedActionWithoutRef(t *testing.T) {
	runRuleCases(t, "workflows/unpinned-action", Options{}, []ruleCase{
		{"trusted owner without a ref", wf("on: push", "  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout\n      - uses: github/codeql-action/upload-sarif\n"), []int{9, 10}},
		{"trusted owner with a tag, local action (traps)", wf("on: push", "  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - uses: ./.github/actions/setup\n"), nil},
	})
}

func TestInsecureCommandsRunnerParsing(t *testing.T) {
	job := func(v string) string {
		return wf("on: push", "  a:\n    runs-on: x\n    steps:\n      - run: echo\n        env:\n          ACTIONS_ALLOW_UNSECURE_COMMANDS: "+v+"\n")
	}
	runRuleCases(t, "workflows/insecure-commands", Options{}, []ruleCase{
		{"True in any case", job("True"), []int{11}},
		{"expression", job("${{ vars.LEGACY }}"), []int{11}},
		{"yes is not true for the runner (trap)", job("yes"), nil},
		{"1 is not true for the runner (trap)", job("'1'"), nil},
	})
}

func TestScriptInjectionActionInputs(t *testing.T) {
	action := `name: greet
inputs:
  who:
    description: who
runs:
  using: composite
  steps:
    - run: echo "hello ${{ inputs.who }}"
      shell: bash
    - run: echo "hello $WHO"
      shell: bash
      env:
        WHO: ${{ inputs.who }}
    - uses: azure/cli@089eac9d8cc39f5d003e94f8b65efc51076c9cbd
      with:
        inlineScript: az group show -n "${{ inputs.who }}"
`
	rep := scanFiles(t, map[string]string{"greet/action.yml": action}, Options{})
	fs := findingsOf(rep, "workflows/script-injection")
	if len(fs) != 2 || fs[0].StartLine != 8 || fs[1].StartLine != 16 {
		t.Fatalf("want findings at lines 8 and 16, got\n%s", summary(rep))
	}
	for _, f := range fs {
		if f.Severity != checks.SeverityMedium {
			t.Errorf("line %d: severity %s, want medium (depends on what callers pass)", f.StartLine, f.Severity)
		}
	}

	// In a workflow, inputs come from whoever may dispatch it (write
	// access): not attacker-controlled.
	runRuleCases(t, "workflows/script-injection", Options{}, []ruleCase{
		{"workflow_dispatch input (trap)", wf("on:\n  workflow_dispatch:\n    inputs:\n      who: {}", "  a:\n    runs-on: x\n    steps:\n      - run: echo ${{ inputs.who }}\n"), nil},
		{"azure/cli inline script", wf("on: issues", "  a:\n    runs-on: x\n    steps:\n      - uses: azure/cli@089eac9d8cc39f5d003e94f8b65efc51076c9cbd\n        with:\n          inlineScript: echo \"${{ github.event.issue.title }}\"\n"), []int{11}},
		{"azure/cli non-script input (trap)", wf("on: issues", "  a:\n    runs-on: x\n    steps:\n      - uses: azure/cli@089eac9d8cc39f5d003e94f8b65efc51076c9cbd\n        with:\n          azcliversion: ${{ github.event.issue.title }}\n          inlineScript: az version\n"), nil},
	})
}

func TestPermissionsReusableAndShared(t *testing.T) {
	runRuleCases(t, "workflows/permissions", Options{}, []ruleCase{
		{"reusable workflow call without permissions", "on: workflow_dispatch\njobs:\n  call:\n    uses: ./.github/workflows/child.yml\n", []int{2}},
		{"reusable workflow call with permissions (trap)", "on: workflow_dispatch\njobs:\n  call:\n    permissions:\n      contents: read\n    uses: ./.github/workflows/child.yml\n", nil},
		{"workflow-level write shared by two jobs", "on: push\npermissions:\n  contents: write\n  issues: read\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n  b:\n    runs-on: x\n    steps:\n      - run: echo\n", []int{3}},
		{"workflow-level write, single job (trap)", "on: push\npermissions:\n  contents: write\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n", nil},
		{"workflow-level write, every job sets its own (trap)", "on: push\npermissions:\n  contents: write\njobs:\n  a:\n    runs-on: x\n    permissions: {}\n    steps:\n      - run: echo\n  b:\n    runs-on: x\n    permissions:\n      contents: write\n    steps:\n      - run: echo\n", nil},
	})
}
