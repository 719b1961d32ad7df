package workflows

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wardenbot/warden/checks"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.golden")

// fakeResolver resolves a fixed set of refs, as the GitHub API would.
type fakeResolver map[string]string

func (r fakeResolver) ResolveRef(_ context.Context, owner, repo, ref string) (string, error) {
	if sha, ok := r[owner+"/"+repo+"@"+ref]; ok {
		return sha, nil
	}
	return "", fmt.Errorf("ref %s not found", ref)
}

var goldenResolver = fakeResolver{
	"goreleaser/goreleaser-action@v6": "9c156ee8a17a598857849441385a2041ef570552",
	"softprops/action-gh-release@v2":  "c95fe1489396fe8a9eb87c0abf8aa5b2ef267fda",
	"shared-org/workflows@main":       "0123456789abcdef0123456789abcdef01234567",
	"tj-actions/changed-files@v45":    "48d8f15b2aaa3d255ca5af3eba4870f807ce6b3c",
	"reviewdog/action-shellcheck@v1":  "5ebd09ddbe2ebb471646ce234c6c8dd18663ca7c",
	"some-org/notify-action@v2":       "1111111111111111111111111111111111111111",
	"someone/setup-thing@main":        "2222222222222222222222222222222222222222",
}

// fixturePath maps a fixture file name to where it lives in the scanned
// repository: X.action.yml is an action's metadata, anything else a workflow.
func fixturePath(name string) string {
	if base, ok := strings.CutSuffix(name, ".action.yml"); ok {
		return base + "/action.yml"
	}
	return ".github/workflows/" + name
}

// renderReport is the golden form: one line per finding (path:line:col
// rule severity: message), its fix indented below, then notes.
func renderReport(rep *checks.Report) string {
	var b strings.Builder
	for _, f := range rep.Findings {
		fmt.Fprintf(&b, "%s:%d:%d %s %s: %s\n", f.Path, f.StartLine, f.StartColumn, f.RuleID, f.Severity, f.Message)
		if f.Fix != nil {
			fmt.Fprintf(&b, "  fix %d-%d:\n", f.Fix.StartLine, f.Fix.EndLine)
			for _, l := range strings.Split(f.Fix.Replacement, "\n") {
				b.WriteString("  | " + l + "\n")
			}
		}
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(&b, "note %s: %s\n", n.Path, n.Message)
	}
	return b.String()
}

func TestGolden(t *testing.T) {
	fixtures, err := filepath.Glob("testdata/golden/*.yml")
	if err != nil || len(fixtures) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, fx := range fixtures {
		name := filepath.Base(fx)
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(fx)
			if err != nil {
				t.Fatal(err)
			}
			rep := scanFiles(t, map[string]string{fixturePath(name): string(src)}, Options{Resolver: goldenResolver})
			got := renderReport(rep)
			goldenPath := strings.TrimSuffix(fx, ".yml") + ".golden"
			if *update {
				if err := os.WriteFile(goldenPath, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(goldenPath)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got != string(want) {
				t.Errorf("findings differ from %s (go test -update rewrites it)\n--- got\n%s--- want\n%s", goldenPath, got, want)
			}
		})
	}
}

// TestOK scans workflows written the safe way: none may produce a finding.
func TestOK(t *testing.T) {
	fixtures, err := filepath.Glob("testdata/ok/*.yml")
	if err != nil || len(fixtures) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, fx := range fixtures {
		name := filepath.Base(fx)
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(fx)
			if err != nil {
				t.Fatal(err)
			}
			rep := scanFiles(t, map[string]string{fixturePath(name): string(src)}, Options{})
			if len(rep.Findings) > 0 || len(rep.Notes) > 0 {
				t.Errorf("want no findings or notes, got:\n%s", summary(rep))
			}
		})
	}
}
