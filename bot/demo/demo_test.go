package demo

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/githubtest"
)

func TestTooSlowNamesTheStep(t *testing.T) {
	var out bytes.Buffer
	start := time.Now()
	// A limit no machine can meet: setting up alone takes longer.
	err := Run(context.Background(), Options{Out: &out, Limit: time.Millisecond})
	if !errors.Is(err, ErrTooSlow) {
		t.Fatalf("err %v, want ErrTooSlow; output:\n%s", err, out.String())
	}
	if !strings.Contains(err.Error(), "not finished within 1ms (waiting for ") || strings.Contains(err.Error(), "(waiting for )") ||
		strings.Contains(err.Error(), "\n") {
		t.Errorf("message %q", err)
	}
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("stopping took %s", took)
	}
}

func TestInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Run(ctx, Options{})
	if err == nil || errors.Is(err, ErrTooSlow) || err.Error() != "interrupted" {
		t.Fatalf("err %v", err)
	}
}

func TestInline(t *testing.T) {
	p := painter{}
	for in, want := range map[string]string{
		"- 🔴 high · `secrets/aws-access-key` AWS key in \\`x\\` — [internal/aws.go:7](http://h/blob/sha/internal/aws.go#L7)": "- 🔴 high · secrets/aws-access-key AWS key in `x` — internal/aws.go:7",
		"**Blocking** (fail\\_on: high)":           "Blocking (fail_on: high)",
		"a &lt;b&gt; &amp; @\u200dalice #\u200d12": "a <b> & @alice #12",
		"<sub>W-1 · `/warden explain W-1`</sub>":   "W-1 · /warden explain W-1",
		"`` a`b ``":               "a`b",
		"x <!-- warden:abc --> y": "x  y",
		"evil \x1b[2J":            "evil \\x1b[2J",
	} {
		if got := p.inline(in); got != want {
			t.Errorf("inline(%q) = %q, want %q", in, got, want)
		}
	}
	if got := (painter{on: true}).inline("**a** `b`"); got != "\x1b[1ma\x1b[0m \x1b[36mb\x1b[0m" {
		t.Errorf("coloured: %q", got)
	}
}

func TestBlockAlignsTables(t *testing.T) {
	md := "| | critical | high |\n|---|---|---|\n| **New in this PR** | 1 | 12 |\n| Ignored | 0 | 0 |\n\n\n**Notes**\n- one\n<!-- warden:x -->\n"
	got := strings.Join(painter{}.block(md, "  "), "\n")
	want := "                  critical  high\n" +
		"  New in this PR         1    12\n" +
		"  Ignored                0     0\n" +
		"\n" +
		"  Notes\n" +
		"  - one"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestWrapKeepsCodeSpansWhole(t *testing.T) {
	line := "- 🔴 critical · `workflows/script-injection` `${{ github.event.pull_request.title }}` expands attacker-controlled input"
	for _, piece := range wrapMarkdown(line, 30) {
		if strings.Count(piece, "`")%2 != 0 {
			t.Errorf("a code span was split: %q", piece)
		}
	}
}

func TestParseComment(t *testing.T) {
	body := "**🔴 Critical · Secret · GitHub personal access token** `secrets/github-pat`\n\n" +
		"GitHub personal access token (`ghp_…`, 40 chars) added in abc1234\n\n" +
		"**Fix:** Revoke the token now,\nthen load it from the environment.\n\n" +
		"```suggestion\nAPI_TOKEN = os.environ[\"API_TOKEN\"]\n```\n\n" +
		"<sub>W-3f2a9c1b · `/warden explain W-3f2a9c1b`</sub>\n<!-- warden:3f2a9c1b7d -->"
	c := parseComment(githubtest.ReviewComment{Body: body, DiffHunk: "@@ -0,0 +1,4 @@\n+import os\n+\n+x = 1\n+API_TOKEN = os.environ[\"API_TOKEN\"]"})
	if c.severity != "critical" || c.category != "Secret" || c.rule != "secrets/github-pat" || c.id != "W-3f2a9c1b" {
		t.Errorf("head: %+v", c)
	}
	if !strings.HasPrefix(c.message, "GitHub personal access token") || c.fix != "Revoke the token now, then load it from the environment." {
		t.Errorf("message %q fix %q", c.message, c.fix)
	}
	if len(c.suggestion) != 1 || c.source != `API_TOKEN = os.environ["API_TOKEN"]` {
		t.Errorf("suggestion %q source %q", c.suggestion, c.source)
	}
}
