package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wardenbot/warden/internal/gittest"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// githubToken builds a realistic-looking token at run time, so this file
// itself holds no secret for warden (or anyone) to find.
func githubToken() string {
	return "gh" + "p_" + "R8sQ2vLx7KpZ3nW9yT4bH6cJ1mF5dG0aE2uV"
}

type jsonOut struct {
	Mode     string `json:"mode"`
	Findings []struct {
		ID       string `json:"id"`
		RuleID   string `json:"rule_id"`
		Category string `json:"category"`
		Severity string `json:"severity"`
		Path     string `json:"path"`
		Line     int    `json:"start_line"`
		Message  string `json:"message"`
		Commit   string `json:"commit"`
		Snippet  string `json:"snippet"`
		Blocking bool   `json:"blocking"`
	} `json:"findings"`
	Summary struct {
		Blocking    int `json:"blocking"`
		Preexisting int `json:"preexisting"`
	} `json:"summary"`
}

func decode(t *testing.T, s string) jsonOut {
	t.Helper()
	var out jsonOut
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, s)
	}
	return out
}

// TestDeletedSecretIsStillReported is the history scenario: a key added in one
// commit and deleted in the next is still leaked, and the finding names the
// commit that added it.
func TestDeletedSecretIsStillReported(t *testing.T) {
	r := gittest.New(t)
	base := r.Commit("initial", map[string]string{"README.md": "# app\n", "main.go": "package main\n\nfunc main() {}\n"})
	r.Branch("feature", base)
	addKey := r.Commit("add deploy config", map[string]string{"deploy/config.env": "REGION=eu-west-1\nGITHUB_TOKEN=" + githubToken() + "\n"})
	r.Commit("remove the token", map[string]string{"deploy/config.env": "REGION=eu-west-1\nGITHUB_TOKEN=${GITHUB_TOKEN}\n"})
	r.Commit("unrelated change", map[string]string{"main.go": "package main\n\nfunc main() { println(1) }\n"})

	code, stdout, stderr := runCLI(t, "scan", "--base", "main", "--format", "json", r.Dir)
	if code != exitFindings {
		t.Fatalf("exit %d, want 1 (blocking finding); stderr: %s", code, stderr)
	}
	out := decode(t, stdout)
	if out.Mode != "diff" || len(out.Findings) != 1 {
		t.Fatalf("want one finding in diff mode, got %+v", out)
	}
	f := out.Findings[0]
	if f.Category != "secrets" || f.Path != "deploy/config.env" || f.Line != 2 || !f.Blocking {
		t.Errorf("finding %+v", f)
	}
	if f.Commit != addKey.Hash.String() || !strings.Contains(f.Message, addKey.Hash.String()[:7]) {
		t.Errorf("finding should name the commit that added the key (%s): commit=%q message=%q", addKey.Hash.String()[:7], f.Commit, f.Message)
	}
	if strings.Contains(stdout, githubToken()) {
		t.Error("the secret itself appears in the output")
	}

	// Without --base the whole tree is scanned: the key is gone from it.
	code, stdout, _ = runCLI(t, "scan", "--format", "json", r.Dir)
	if code != exitOK || len(decode(t, stdout).Findings) != 0 {
		t.Errorf("tree scan of the final state: exit %d, %s", code, stdout)
	}
}

func TestPreexistingSecretDoesNotBlockAChange(t *testing.T) {
	r := gittest.New(t)
	base := r.Commit("initial", map[string]string{"old.env": "GITHUB_TOKEN=" + githubToken() + "\n"})
	r.Branch("feature", base)
	r.Commit("docs", map[string]string{"docs.md": "hello\n"})
	code, stdout, stderr := runCLI(t, "scan", "--base", "main", "--format", "json", r.Dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s %s", code, stdout, stderr)
	}
	if out := decode(t, stdout); len(out.Findings) != 0 {
		t.Errorf("pre-existing secret reported as new: %+v", out.Findings)
	}
	if code, _, _ := runCLI(t, "scan", r.Dir); code != exitFindings {
		t.Errorf("a tree scan must report it: exit %d", code)
	}
}

func TestConfigFromBaseCannotBeWeakenedByTheChange(t *testing.T) {
	r := gittest.New(t)
	base := r.Commit("initial", map[string]string{"a.txt": "a\n"})
	r.Branch("feature", base)
	r.Commit("sneaky", map[string]string{
		".github/warden.yml": "checks:\n  secrets: {enabled: false}\n",
		"leak.env":           "GITHUB_TOKEN=" + githubToken() + "\n",
	})
	code, stdout, _ := runCLI(t, "scan", "--base", "main", "--format", "json", r.Dir)
	if code != exitFindings || len(decode(t, stdout).Findings) == 0 {
		t.Errorf("a change disabled its own secret check: exit %d %s", code, stdout)
	}
}

// genericKey is a medium-severity generic API key, built at run time.
func genericKey() string { return "Zq8vN3kP" + "7wXr2LmT9bYc" }

func TestFailOnFromConfig(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "settings.py"), []byte("config = {\n  \"api_key\": \""+genericKey()+"\",\n}\n"), 0o644)
	code, stdout, _ := runCLI(t, "scan", dir)
	if code != exitOK || !strings.Contains(stdout, "not blocking; fail_on: high") {
		t.Errorf("a medium finding must not block under the default fail_on high: exit %d\n%s", code, stdout)
	}
	cfg := filepath.Join(t.TempDir(), "warden.yml")
	os.WriteFile(cfg, []byte("fail_on: medium\n"), 0o644)
	if code, stdout, _ := runCLI(t, "scan", "--config", cfg, dir); code != exitFindings {
		t.Errorf("with fail_on medium it must block: exit %d\n%s", code, stdout)
	}
	os.WriteFile(cfg, []byte("fail_on: medium\npaths:\n  ignore: [\"*.py\"]\n"), 0o644)
	if code, stdout, _ := runCLI(t, "scan", "--config", cfg, dir); code != exitOK || !strings.Contains(stdout, "No findings") {
		t.Errorf("ignored path still reported: exit %d\n%s", code, stdout)
	}
	os.WriteFile(cfg, []byte("fail_on: medium\nchecks:\n  secrets: {enabled: false}\n"), 0o644)
	if code, _, _ := runCLI(t, "scan", "--config", cfg, dir); code != exitOK {
		t.Errorf("disabled category still ran: exit %d", code)
	}
}

func TestSARIFOutputOfARealScan(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "sub dir"), 0o755)
	os.WriteFile(filepath.Join(dir, "sub dir", "leak.env"), []byte("\nGITHUB_TOKEN="+githubToken()+"\n"), 0o644)
	code, stdout, _ := runCLI(t, "scan", "--format", "sarif", dir)
	if code != exitFindings {
		t.Fatalf("exit %d", code)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &log); err != nil {
		t.Fatal(err)
	}
	res := log.Runs[0].Results
	if len(res) != 1 || res[0].Locations[0].PhysicalLocation.ArtifactLocation.URI != "sub%20dir/leak.env" || res[0].Locations[0].PhysicalLocation.Region.StartLine != 2 {
		t.Errorf("results %+v", res)
	}
}

func TestBadInputExitsTwoWithOneLine(t *testing.T) {
	notRepo := t.TempDir()
	file := filepath.Join(notRepo, "file.txt")
	os.WriteFile(file, []byte("x"), 0o644)
	repo := gittest.New(t)
	repo.Commit("c", map[string]string{"a": "a\n"})
	badCfg := filepath.Join(t.TempDir(), "bad.yml")
	os.WriteFile(badCfg, []byte("fail_on: high\nchecks:\n  secret: {enabled: true}\n"), 0o644)
	badRepoCfg := t.TempDir()
	os.MkdirAll(filepath.Join(badRepoCfg, ".github"), 0o755)
	os.WriteFile(filepath.Join(badRepoCfg, ".github", "warden.yml"), []byte("fail_on: sometimes\n"), 0o644)
	unreadable := t.TempDir()
	os.WriteFile(filepath.Join(unreadable, "secret.yml"), []byte("x"), 0o000)

	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no path", []string{"scan"}, "want exactly one PATH"},
		{"two paths", []string{"scan", notRepo, notRepo}, "want exactly one PATH"},
		{"missing path", []string{"scan", filepath.Join(notRepo, "nope")}, "no such file or directory"},
		{"file not dir", []string{"scan", file}, "not a directory"},
		{"base outside git", []string{"scan", "--base", "main", notRepo}, "not inside a git repository"},
		{"unknown base", []string{"scan", "--base", "no-such-ref", repo.Dir}, `unknown revision "no-such-ref"`},
		{"unknown head", []string{"scan", "--base", "main", "--head", "nope", repo.Dir}, `unknown revision "nope"`},
		{"unknown format", []string{"scan", "--format", "xml", notRepo}, `unknown format "xml"`},
		{"unknown flag", []string{"scan", "--frobnicate", notRepo}, "flag provided but not defined"},
		{"config file missing", []string{"scan", "--config", filepath.Join(notRepo, "none.yml"), notRepo}, "cannot read config"},
		{"invalid config", []string{"scan", "--config", badCfg, notRepo}, `bad.yml:3:3: unknown key "secret" in checks (did you mean "secrets"?)`},
		{"invalid repo config", []string{"scan", badRepoCfg}, `.github/warden.yml:1:10: fail_on: unknown severity "sometimes"`},
		{"unknown command", []string{"scna"}, `unknown command "scna"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tc.args...)
			if code != exitError {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr %q lacks %q", stderr, tc.want)
			}
			if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "warden: ") {
				t.Errorf("stderr must be exactly one line starting with 'warden: ': %q", stderr)
			}
		})
	}
	// An unreadable file is skipped, not fatal: the scan still completes.
	if code, _, stderr := runCLI(t, "scan", unreadable); code == exitError {
		t.Errorf("an unreadable file aborted the scan: %s", stderr)
	}
}

func TestFlagsAfterThePath(t *testing.T) {
	code, stdout, stderr := runCLI(t, "scan", t.TempDir(), "--format", "json")
	if code != exitOK || decode(t, stdout).Mode != "tree" {
		t.Errorf("exit %d %s %s", code, stdout, stderr)
	}
}

func TestHelpPrintsFlagsAndExitsZero(t *testing.T) {
	for _, cmd := range []string{"scan", "demo"} {
		for _, flagName := range []string{"-h", "--help"} {
			code, stdout, stderr := runCLI(t, cmd, flagName)
			if code != exitOK || stderr != "" {
				t.Errorf("%s %s: exit %d, stderr %q", cmd, flagName, code, stderr)
			}
			if !strings.HasPrefix(stdout, "Usage: warden "+cmd) || !strings.Contains(stdout, "-no-color") {
				t.Errorf("%s %s: want usage and flags on stdout, got %q", cmd, flagName, stdout)
			}
		}
	}
}
