package command

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wardenbot/warden/bot/store"
)

// FuzzParse checks Parse's promises on any input: it never panics, stays
// within its bounds, and everything it hands on for echoing is one clipped
// line.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"/warden help", "/warden ignore W-3f2a9c1b false-positive: fixture --expires 30d",
		"> /warden approve\n/warden rescan", "```\n/warden approve\n```", "/warden ignroe",
		"<!--\n/warden approve\n-->", "/warden explain " + strings.Repeat("a", 64),
		"/warden approve 4f2c9a1 reviewed", "/warden approve DEADBEEFCAFE", "/warden ignore W-3f2a9c1b fp: x --repo --expires 2w",
		"/warden unignore W-3f2a9c1b --REPO",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := Parse(body)
		if len(body) > MaxCommentBytes && (!r.TooLong || len(r.Commands) > 0) {
			t.Fatal("an oversized comment must be ignored")
		}
		if len(r.Commands) > MaxCommands {
			t.Fatalf("%d commands", len(r.Commands))
		}
		for _, c := range r.Commands {
			if c.Verb == "" {
				t.Fatal("command without a verb")
			}
			if strings.ContainsAny(c.Text, "\n\r") || utf8.RuneCountInString(c.Text) > maxEchoRunes {
				t.Fatalf("echo text not one clipped line: %q", c.Text)
			}
			if utf8.RuneCountInString(c.Reason) > MaxReasonRunes || utf8.RuneCountInString(c.Note) > MaxReasonRunes {
				t.Fatal("reason or note not clipped")
			}
			if c.Verb == Ignore && c.Problem == "" && (c.Reason == "" || !validKind(c.Kind)) {
				t.Fatalf("accepted ignore without reason or kind: %+v", c)
			}
			if !strings.HasPrefix(strings.ToLower(c.Text), prefix) {
				t.Fatalf("command text %q does not start with the prefix", c.Text)
			}
			if c.SHA != "" && (c.Verb != Approve || len(c.SHA) < 7 || len(c.SHA) > 40 || strings.Trim(c.SHA, "0123456789abcdef") != "") {
				t.Fatalf("commit %q is not 7 to 40 lower-case hex digits of an approve", c.SHA)
			}
			if c.Repo && c.Verb != Ignore && c.Verb != Unignore {
				t.Fatalf("--repo on %s", c.Verb)
			}
		}
	})
}

func validKind(k store.SuppressionKind) bool {
	return k == store.FalsePositive || k == store.AcceptedRisk || k == store.TestCode
}
