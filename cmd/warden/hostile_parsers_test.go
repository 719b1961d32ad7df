package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/wardenbot/warden/internal/gittest"
)

// Files a pull request adds to make warden's parsers overflow the stack,
// allocate what the file asks for, or walk an alias bomb. Each must end in
// a verdict within the harness's limits: exit 1, because the part a budget
// cut off is reported unscanned, and the note names the file.

// parserReport is the part of the JSON report these tests read.
type parserReport struct {
	Findings []struct {
		RuleID string `json:"rule_id"`
		Path   string `json:"path"`
	} `json:"findings"`
	Notes []struct {
		Check     string `json:"check"`
		Path      string `json:"path"`
		Message   string `json:"message"`
		Unscanned bool   `json:"unscanned"`
	} `json:"notes"`
}

func nest(open, inner, close string, n int) string {
	return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
}

// bombLevels writes anchors name0…nameN where each level refers to the one
// before it nine times through ref (an alias list or a merge), indented.
func bombLevels(indent, name, first, ref string, levels int) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s%s0: &%s0 %s\n", indent, name, name, first)
	for i := 1; i <= levels; i++ {
		aliases := strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*%s%d, ", name, i-1), 9), ", ")
		fmt.Fprintf(&sb, "%s%s%d: &%s%d "+ref+"\n", indent, name, i, name, i, aliases)
	}
	return sb.String()
}

func TestHostileParserInputs(t *testing.T) {
	const workflow = ".github/workflows/ci.yml"
	cases := []struct {
		name, path, content string
		note                string // in the unscanned note about path
		finding             string // a rule that must still be reported, if any
	}{
		{
			name: "hcl nested 60000 deep", path: "infra/main.tf",
			content: "locals {\n  x = " + nest("(", "1", ")", 60_000) + "\n}\n",
			note:    "nesting deeper than 512 levels",
		},
		{
			name: "hcl blocks nested 60000 deep", path: "infra/main.tf",
			content: nest("a {\n", "", "}\n", 60_000),
			note:    "nesting deeper than 512 levels",
		},
		{
			name: "a 100-byte terraform format width bomb", path: "infra/main.tf",
			content: "locals {\n  x = format(\"%900000000s\", \"x\")\n}\n",
			note:    "format verb wider than",
		},
		{
			name: "a merge-key bomb in a kubernetes manifest", path: "k8s/pod.yaml",
			content: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n" + bombLevels("", "m", "{a: 1}", "{<<: [%s]}", 12) +
				"spec:\n  <<: *m12\n  containers:\n    - name: c\n      image: nginx:1.27\n",
			note: "YAML aliases that expand to more than",
		},
		{
			name: "a manifest that merges itself", path: "k8s/pod.yaml",
			content: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec: &s\n  <<: *s\n  containers:\n    - name: c\n",
			note:    "contains itself",
		},
		{
			name: "a merge-key bomb in a workflow", path: workflow,
			content: "on: push\npermissions: {}\n" + bombLevels("", "m", "{k: v}", "{<<: [%s]}", 12) +
				"jobs:\n  a:\n    <<: *m12\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n",
			note: "YAML aliases that expand to more than",
		},
		{
			name: "a billion laughs in a workflow matrix", path: workflow,
			content: "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n" +
				bombLevels("        ", "l", "[x, x, x, x, x, x, x, x, x]", "[%s]", 9) + "    steps:\n      - run: echo hi\n",
			note: "YAML aliases that expand to more than",
		},
		{
			name: "a deeply nested workflow expression", path: workflow,
			content: "on: pull_request_target\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ " +
				nest("(", "github.event.pull_request.title", ")", 60_000) + " }}\n",
			note:    "expression nested deeper than 64 levels",
			finding: "workflows/script-injection",
		},
		{
			name: "a dockerfile run of 20000 continued installs", path: "Dockerfile",
			content: "FROM debian:12\nRUN " + continuedInstalls(20_000) + "curl -sSL https://get.example.invalid/i.sh | sh\nUSER 1000\n",
			finding: "iac/docker-curl-pipe-shell", // linear time, and the finding at the end is still there
		},
		{
			name: "go code nested 600 blocks deep", path: "svc/handler.go",
			content: "package svc\n\nimport (\n\t\"database/sql\"\n\t\"net/http\"\n)\n\nfunc H(db *sql.DB, r *http.Request) {\n\tname := r.FormValue(\"n\")\n" +
				nest("if true {\n", "db.Query(\"SELECT * FROM t WHERE n = '\" + name + \"'\")\n", "}\n", 600) + "}\n",
			note: "code nested too deeply to analyse",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := gittest.New(t)
			base := r.Commit("base", map[string]string{"README.md": "hello\n"})
			r.Branch("feature", base)
			r.Commit("add "+c.path, map[string]string{c.path: c.content})
			res := scanConstrained(t, "--offline", "--base", "main", "--format", "json", r.Dir)
			if res.Code != exitFindings {
				t.Fatalf("exit %d, want %d (it blocks)\nstdout: %s\nstderr: %s", res.Code, exitFindings, clip(res.Stdout), clip(res.Stderr))
			}
			var rep parserReport
			if err := json.Unmarshal([]byte(res.Stdout), &rep); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, clip(res.Stdout))
			}
			if c.note != "" && !hasUnscannedNote(rep, c.path, c.note) {
				t.Errorf("no unscanned note naming %s with %q; notes: %+v", c.path, c.note, rep.Notes)
			}
			if c.finding != "" && !hasFinding(rep, c.path, c.finding) {
				t.Errorf("%s in %s is not reported; findings: %+v", c.finding, c.path, rep.Findings)
			}
			t.Logf("%s in %s", c.name, res.Took)
		})
	}
}

// continuedInstalls is a RUN script of n installs of distinct packages,
// one per continued line, each of which a rule reports on its own line.
func continuedInstalls(n int) string {
	var sb strings.Builder
	for i := range n {
		fmt.Fprintf(&sb, "apt-get install -y pkg%d \\\n && ", i)
	}
	return sb.String()
}

func hasUnscannedNote(rep parserReport, path, msg string) bool {
	for _, n := range rep.Notes {
		if n.Unscanned && n.Path == path && strings.Contains(n.Message, msg) {
			return true
		}
	}
	return false
}

func hasFinding(rep parserReport, path, rule string) bool {
	for _, f := range rep.Findings {
		if f.Path == path && f.RuleID == rule {
			return true
		}
	}
	return false
}
