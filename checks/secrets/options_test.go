package secrets

import (
	"strings"
	"testing"

	"github.com/wardenbot/warden/checks"
)

func TestOptions(t *testing.T) {
	if _, err := New(Options{AllowRegexes: []string{"("}}); err == nil || !strings.Contains(err.Error(), "allow_regexes[0]") {
		t.Errorf("invalid regex: err = %v", err)
	}
	key := join("AKIA", rnd(90, upper2, 16))
	files := memTree{"a/fixture.go": "k := \"" + key + "\"\n", "b/real.go": "k := \"" + key + "\"\n"}
	fs, _ := scanTree(t, newCheck(t, Options{AllowPaths: []string{"a/**"}}), files)
	if len(fs) != 1 || fs[0].Path != "b/real.go" {
		t.Errorf("allow_paths: %+v", fs)
	}
	fs, _ = scanTree(t, newCheck(t, Options{AllowRegexes: []string{"^AKIA"}}), files)
	if len(fs) != 0 {
		t.Errorf("allow_regexes: %+v", fs)
	}
}

func TestRulesDocumented(t *testing.T) {
	rules := newCheck(t, Options{}).Rules()
	if len(rules) < 200 {
		t.Fatalf("only %d rules", len(rules))
	}
	seen := map[string]bool{}
	for _, r := range rules {
		if seen[r.ID] || !strings.HasPrefix(r.ID, "secrets/") || r.Title == "" || r.Severity == 0 ||
			r.Description == "" || r.Remediation == "" || r.HelpURI == "" || len(r.References) == 0 || r.Category != checks.CategorySecrets {
			t.Errorf("rule %+v is incompletely documented", r)
		}
		seen[r.ID] = true
	}
	for _, id := range []string{"secrets/url-credentials", "secrets/aws-access-token", "secrets/generic-api-key"} {
		if !seen[id] {
			t.Errorf("missing %s", id)
		}
	}
}

// TestBinaryFilesAreNotedOnce: binary files are searched in their text
// runs and counted in one informational note, not one per file.
func TestBinaryFilesAreNotedOnce(t *testing.T) {
	files := memTree{"img.dat": "\x00\x01\x02\x03\x04binary", "lib.o": "\x00\x01\x02\x03", "big.txt": strings.Repeat("a", 100)}
	rep, err := checks.Run(t.Context(), &checks.Target{Head: files}, checks.Options{Checks: []checks.Check{newCheck(t, Options{})}, MaxFileSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	var notes []checks.Note
	for _, n := range rep.Notes {
		if n.Check == Name {
			notes = append(notes, n)
		}
	}
	if len(notes) != 1 || !strings.HasPrefix(notes[0].Message, "2 binary file(s)") || notes[0].Unscanned {
		t.Errorf("want one informational note counting 2 binary files: %+v", notes)
	}
}
