package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/demo"
)

// TestDemo plays `warden demo --no-color` for real: the GitHub fake, warden
// serve, both acts. It checks the story a newcomer reads, not its wording.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("plays the whole demo (~15 s)")
	}
	t.Setenv("NO_COLOR", "")
	start := time.Now()
	code, out, errOut := runCLI(t, "demo", "--no-color")
	t.Logf("demo took %s", time.Since(start).Round(time.Millisecond))
	if code != exitOK {
		t.Fatalf("exit %d, want 0; stderr: %s\n%s", code, errOut, out)
	}
	if errOut != "" {
		t.Errorf("stderr should be empty without --verbose, got:\n%s", errOut)
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("--no-color output holds ANSI escapes")
	}
	if strings.Contains(out, demo.PlantedSecret()) {
		t.Fatal("the output shows the planted secret in full")
	}
	act1, act2, ok := strings.Cut(out, "Act 2 ·")
	if !ok {
		t.Fatalf("no second act:\n%s", out)
	}

	// The narration, in order, in each act.
	steps := []string{"webhook received", "queued", "picked up", "check run", "cloned", "checks run", "check run"}
	for name, act := range map[string]string{"act 1": act1, "act 2": act2} {
		rest := act
		for _, s := range steps {
			i := strings.Index(rest, "✓ "+s)
			if i < 0 {
				t.Fatalf("%s: step %q missing or out of order:\n%s", name, s, act)
			}
			rest = rest[i+len(s):]
		}
	}
	// Counts are not pinned: the demo shows whatever checks this build has
	// (a Python SQL injection appears once checks/all wires the code check).
	if !regexp.MustCompile(`✓ review\s+commented · \d+ inline comments`).MatchString(act1) {
		t.Errorf("act 1 narrates no review:\n%s", act1)
	}

	// The check run as a reviewer sees it.
	if !regexp.MustCompile(`✗ Check run warden · failure · \d+ new findings block this PR \(\d+ critical, \d+ high\)`).MatchString(act1) {
		t.Errorf("act 1 check-run line missing:\n%s", act1)
	}
	if !regexp.MustCompile(`(?m)^\s+New in this PR\s+[1-9]\d*\s+[1-9]\d*\s+[1-9]\d*\s+\d+$`).MatchString(act1) {
		t.Errorf("the summary table is not rendered as an aligned text table:\n%s", act1)
	}
	if strings.Contains(out, "|---|") || strings.Contains(out, "<!--") || strings.Contains(out, "](http") {
		t.Error("raw Markdown leaked into the terminal output")
	}

	// At least one inline comment per planted category, with its anchor line.
	for _, want := range []struct{ path, rule, source string }{
		{"deploy/settings.py", "secrets/github-pat", `API_TOKEN = os.environ["API_TOKEN"]`},
		{".github/workflows/greet.yml", "workflows/script-injection", `run: echo "Thanks for`},
		{"Dockerfile", "iac/docker-root-user", "FROM python:3.7-slim"},
		{"Dockerfile", "iac/eol-runtime", "FROM python:3.7-slim"},
		{"k8s/deployment.yaml", "iac/k8s-privileged", "privileged: true"},
	} {
		re := regexp.MustCompile(`(?m)^\s+\d+\s+(CRIT|HIGH|MED |LOW )\s+` + regexp.QuoteMeta(want.rule) + `\s+W-[0-9a-f]{8}\n\s+│ .*` + regexp.QuoteMeta(want.source))
		if !re.MatchString(act1) {
			t.Errorf("no inline comment %s on %s showing %q:\n%s", want.rule, want.path, want.source, act1)
		}
		if !strings.Contains(act1, "\n  "+want.path+"\n") {
			t.Errorf("comments are not grouped under %s", want.path)
		}
	}

	// Act 2: warden answers the fixes, resolves their threads, keeps the
	// leaked token open and posts nothing twice.
	replies := len(regexp.MustCompile(`✓ reply\s+“Fixed in [0-9a-f]{7}\.” → \S+:\d+`).FindAllString(act2, -1))
	if replies < 4 {
		t.Errorf("want a narrated “Fixed in” reply per fixed finding (4 or more), got %d:\n%s", replies, act2)
	}
	if n := strings.Count(act2, "✓ resolved"); n != replies {
		t.Errorf("%d replies but %d resolved threads:\n%s", replies, n, act2)
	}
	if n := strings.Count(act2, "↳ Fixed in "); n != replies {
		t.Errorf("%d replies but %d threads show one:\n%s", replies, n, act2)
	}
	if !regexp.MustCompile(`● open\s+deploy/settings.py:4\s+CRIT\s+secrets/github-pat`).MatchString(act2) {
		t.Errorf("the leaked token's thread should stay open:\n%s", act2)
	}
	if !strings.Contains(act2, "✗ Check run warden · failure · 1 new critical finding blocks this PR") {
		t.Errorf("act 2 check run should be down to the token:\n%s", act2)
	}
	if !strings.Contains(act2, "none repeated") || strings.Contains(act2, "posted twice") {
		t.Errorf("duplicate comments after the push:\n%s", act2)
	}
	if !regexp.MustCompile(`(?m)^✓ Done in \d+\.\d s · webhook to completed check run in \d+ ms, and \d+ ms after the fix · \d+ findings: \d+ fixed, 1 left$`).MatchString(out) {
		t.Errorf("no closing total line:\n%s", out)
	}
}

func TestDemoRejectsArguments(t *testing.T) {
	code, _, errOut := runCLI(t, "demo", "extra")
	if code != exitError || !strings.HasPrefix(errOut, "warden: demo: unexpected argument") || strings.Count(errOut, "\n") != 1 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "demo", "--nope")
	if code != exitError || strings.Count(errOut, "\n") != 1 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}
