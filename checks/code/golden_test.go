package code

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// render prints findings the way a reviewer would read them.
func render(t *testing.T, files map[string]string) string {
	rep := scan(t, files)
	var b strings.Builder
	for _, f := range rep.Findings {
		fmt.Fprintf(&b, "%d %s %s %s\n", f.StartLine, f.Severity, f.RuleID, f.Message)
		if f.Fix != nil {
			fmt.Fprintf(&b, "  fix %d-%d: %s\n", f.Fix.StartLine, f.Fix.EndLine, strings.TrimSpace(f.Fix.Replacement))
		}
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(&b, "note %s\n", n.Message)
	}
	return b.String()
}

// TestGolden runs every sample under testdata/golden and compares the
// findings with the .golden file beside it. File names say what must hold:
// RULE.bad.EXT must raise code/RULE; RULE.good.EXT (the safe twin) must not.
func TestGolden(t *testing.T) {
	samples, err := filepath.Glob("testdata/golden/*/*.*")
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]map[string]bool{} // rule -> "bad"/"good"
	n := 0
	for _, path := range samples {
		if strings.HasSuffix(path, ".golden") {
			continue
		}
		n++
		base := filepath.Base(path)
		parts := strings.SplitN(base, ".", 3)
		if len(parts) != 3 || (parts[1] != "bad" && parts[1] != "good") {
			t.Errorf("%s: sample names must be RULE.bad.EXT or RULE.good.EXT", path)
			continue
		}
		rule, kind := parts[0], parts[1]
		for _, framework := range []string{"-react", "-next", "-angular", "-pyramid"} {
			rule = strings.TrimSuffix(rule, framework)
		}
		t.Run(filepath.ToSlash(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			rel := filepath.Base(filepath.Dir(path)) + "/" + base
			rep := scan(t, map[string]string{rel: string(src)})
			hits := 0
			for _, f := range rep.Findings {
				if f.RuleID == "code/"+rule {
					hits++
				}
			}
			if kind == "bad" && hits == 0 {
				t.Errorf("true positive missed: no code/%s finding", rule)
			}
			if kind == "good" && hits != 0 {
				t.Errorf("false positive on the safe twin: %d code/%s finding(s)", hits, rule)
			}
			got := render(t, map[string]string{rel: string(src)})
			golden := path + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("findings differ from %s (run go test -update after checking):\n--- got\n%s--- want\n%s", golden, got, want)
			}
		})
		if covered[rule] == nil {
			covered[rule] = map[string]bool{}
		}
		covered[rule][kind] = true
	}
	if n == 0 {
		t.Fatal("no samples found")
	}
	var missing []string
	for _, d := range ruleDocs {
		if !covered[d.name]["bad"] || !covered[d.name]["good"] {
			missing = append(missing, d.name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("rules without a true-positive and a safe-twin sample: %s", strings.Join(missing, ", "))
	}
}
