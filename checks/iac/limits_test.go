package iac_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/checkstest"
	"github.com/wardenbot/warden/checks/iac"
)

// runChange scans tree as a change that adds the files in changed.
func runChange(t *testing.T, tree checkstest.Tree, changed ...string) *checks.Report {
	t.Helper()
	var files []checks.FileChange
	for _, p := range changed {
		files = append(files, checks.FileChange{Path: p, Status: checks.StatusAdded, Added: checks.Lines{{Start: 1, End: 1 << 20}}})
	}
	target := &checks.Target{Head: tree, Base: checkstest.Tree{}, Diff: checks.NewDiff("base", "head", files, nil)}
	rep, err := checks.Run(context.Background(), target, checks.Options{Checks: []checks.Check{iac.New(iac.Options{Now: evalDate})}})
	if err != nil || len(rep.Errors) > 0 {
		t.Fatalf("run: %v %+v", err, rep.Errors)
	}
	return rep
}

func hasRule(rep *checks.Report, path, rule string) bool {
	for _, f := range rep.Findings {
		if f.Path == path && f.RuleID == rule {
			return true
		}
	}
	return false
}

const publicACL = "resource \"aws_s3_bucket_acl\" \"a\" {\n  bucket = \"b\"\n  acl    = \"public-read\"\n}\n"

// A changed .tf file is read however many files share its directory:
// 600 untouched siblings sorted before it used to push it past the cap on
// files read per module, and its findings vanished without a word.
func TestChangedTerraformFileBeyondTheSiblingCap(t *testing.T) {
	tree := checkstest.Tree{"infra/zz.tf": publicACL}
	for i := range 600 {
		tree[fmt.Sprintf("infra/a%03d.tf", i)] = fmt.Sprintf("locals {\n  v%d = %d\n}\n", i, i)
	}
	rep := runChange(t, tree, "infra/zz.tf")
	if !hasRule(rep, "infra/zz.tf", "iac/tf-s3-public-acl") {
		t.Fatalf("the public ACL in the changed file was not reported: %+v", rep.Findings)
	}
	var noted bool
	for _, n := range rep.Notes {
		noted = noted || n.Unscanned && n.Path == "infra/zz.tf" && strings.Contains(n.Message, "100 more .tf files")
	}
	if !noted {
		t.Errorf("the unread siblings are not noted: %+v", rep.Notes)
	}
}

// A NUL byte does not stop BuildKit from reading a Dockerfile, so it does
// not make warden skip one as binary.
func TestDockerfileWithANulByteIsScanned(t *testing.T) {
	tree := checkstest.Tree{"Dockerfile": "# \x00\nFROM debian:12\nRUN curl -sSL https://get.example.invalid/i.sh | sh\nUSER 1000\n"}
	rep := runChange(t, tree, "Dockerfile")
	if !hasRule(rep, "Dockerfile", "iac/docker-curl-pipe-shell") {
		t.Fatalf("findings = %+v, notes = %+v", rep.Findings, rep.Notes)
	}
}

// The Terraform evaluation budget is shared by the modules of a run: a
// change of many directories, each spending a module's budget, stops
// evaluating once the run's is spent, and says so.
func TestTerraformEvaluationBudgetIsPerRun(t *testing.T) {
	bomb := "locals {\n  l = [" + strings.Repeat("\"x\", ", 99) + "\"x\"]\n  x = [for a in local.l : [for b in local.l : [for c in local.l : [for d in local.l : \"xxxxxxxxxxxxxxxx\"]]]]\n}\n"
	tree := checkstest.Tree{}
	var changed []string
	for i := range 8 {
		p := fmt.Sprintf("m%d/main.tf", i)
		tree[p] = bomb
		changed = append(changed, p)
	}
	tree["z/main.tf"] = publicACL
	changed = append(changed, "z/main.tf")
	rep := runChange(t, tree, changed...)
	unscanned := map[string]string{}
	for _, n := range rep.Notes {
		if n.Unscanned {
			unscanned[n.Path] = n.Message
		}
	}
	if len(unscanned) != 9 {
		t.Fatalf("want every module unscanned (8 bombs, then z/ with nothing left), got %v", unscanned)
	}
	if !strings.Contains(unscanned["z/main.tf"], "evaluation budget") {
		t.Errorf("z/main.tf: %q", unscanned["z/main.tf"])
	}
}
