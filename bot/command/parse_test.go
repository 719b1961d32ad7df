package command

import (
	"strings"
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/store"
)

// verbs lists the verbs Parse found, in order.
func verbs(r Result) []Verb {
	var out []Verb
	for _, c := range r.Commands {
		out = append(out, c.Verb)
	}
	return out
}

func sameVerbs(a, b []Verb) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestParseFindsCommandsOnlyWhereTheyRenderAsText(t *testing.T) {
	cases := map[string]struct {
		body string
		want []Verb
	}{
		"plain":                   {"/warden rescan", []Verb{Rescan}},
		"case-insensitive verb":   {"/warden ReScAn", []Verb{Rescan}},
		"case-insensitive name":   {"/Warden help", []Verb{Help}},
		"bare prefix is help":     {"/warden", []Verb{Help}},
		"after text lines":        {"Looks fine.\n\n/warden approve", []Verb{Approve}},
		"three spaces indent":     {"   /warden rescan", []Verb{Rescan}},
		"CRLF":                    {"hi\r\n/warden rescan\r\n", []Verb{Rescan}},
		"several":                 {"/warden rescan\n/warden help\n/warden explain W-3f2a9c1b", []Verb{Rescan, Help, Explain}},
		"mid-line":                {"please run /warden rescan", nil},
		"glued prefix":            {"/wardenrescan", nil},
		"other bot":               {"/wardens rescan", nil},
		"quoted":                  {"> /warden approve", nil},
		"quoted with indent":      {"  > /warden approve", nil},
		"lazy quote continuation": {"> earlier text\n/warden approve", nil},
		"after quote and blank":   {"> earlier text\n\n/warden approve", []Verb{Approve}},
		"nested quote":            {">> /warden approve", nil},
		"backtick fence":          {"```\n/warden approve\n```", nil},
		"tilde fence":             {"~~~sh\n/warden approve\n~~~\n/warden help", []Verb{Help}},
		"longer closing fence":    {"```\n/warden approve\n`````\n/warden help", []Verb{Help}},
		"shorter fence inside":    {"````\n```\n/warden approve\n````", nil},
		"unclosed fence":          {"```\n/warden approve", nil},
		"indented code":           {"text\n\n    /warden approve", nil},
		"tab-indented code":       {"\t/warden approve", nil},
		"inline code":             {"`/warden approve`", nil},
		"html comment":            {"<!--\n/warden approve\n-->\n/warden help", []Verb{Help}},
		"pre block":               {"<pre>\n/warden approve\n</pre>", nil},
		"unknown":                 {"/warden ignroe W-3f2a9c1b x", []Verb{Unknown}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := verbs(Parse(tc.body)); !sameVerbs(got, tc.want) {
				t.Fatalf("Parse(%q) verbs = %v, want %v", tc.body, got, tc.want)
			}
		})
	}
}

func TestParseBoundsTheWork(t *testing.T) {
	if r := Parse("/warden rescan\n" + strings.Repeat("x", MaxCommentBytes)); !r.TooLong || len(r.Commands) != 0 {
		t.Fatalf("a comment over 64 KB must be ignored whole, got %+v", r)
	}
	r := Parse(strings.Repeat("/warden help\n", MaxCommands+3))
	if len(r.Commands) != MaxCommands || r.Dropped != 3 {
		t.Fatalf("got %d commands, %d dropped; want %d and 3", len(r.Commands), r.Dropped, MaxCommands)
	}
}

func TestParseIgnore(t *testing.T) {
	cases := map[string]struct {
		line    string
		ref     string
		kind    store.SuppressionKind
		reason  string
		expires time.Duration
		problem string
	}{
		"kind with colon":     {line: "ignore W-3f2a9c1b false-positive: test fixture", ref: "W-3f2a9c1b", kind: store.FalsePositive, reason: "test fixture"},
		"kind without colon":  {line: "ignore W-3f2a9c1b test-code only used in tests", ref: "W-3f2a9c1b", kind: store.TestCode, reason: "only used in tests"},
		"kind glued":          {line: "ignore W-3f2a9c1b accepted-risk:internal only", ref: "W-3f2a9c1b", kind: store.AcceptedRisk, reason: "internal only"},
		"upper-case id, kind": {line: "IGNORE w-3F2A9C1B FALSE-POSITIVE: x", ref: "W-3f2a9c1b", kind: store.FalsePositive, reason: "x"},
		"default kind":        {line: "ignore W-3f2a9c1b we accept this", ref: "W-3f2a9c1b", kind: DefaultKind, reason: "we accept this"},
		"id with colon":       {line: "ignore W-3f2a9c1b: demo key", ref: "W-3f2a9c1b", kind: DefaultKind, reason: "demo key"},
		"full fingerprint":    {line: "ignore " + strings.Repeat("ab", 32) + " false-positive: x", ref: "W-abababab", kind: store.FalsePositive, reason: "x"},
		"id left out":         {line: "ignore false-positive: fixture", kind: store.FalsePositive, reason: "fixture"},
		"expires at end":      {line: "ignore W-3f2a9c1b accepted-risk: until migration --expires 30d", ref: "W-3f2a9c1b", kind: store.AcceptedRisk, reason: "until migration", expires: 30 * 24 * time.Hour},
		"expires with =":      {line: "ignore W-3f2a9c1b --expires=2w short term", ref: "W-3f2a9c1b", kind: DefaultKind, reason: "short term", expires: 14 * 24 * time.Hour},
		"expires in hours":    {line: "ignore W-3f2a9c1b x --expires 12h", ref: "W-3f2a9c1b", kind: DefaultKind, reason: "x", expires: 12 * time.Hour},
		"no reason":           {line: "ignore W-3f2a9c1b", ref: "W-3f2a9c1b", problem: "needs a reason"},
		"kind but no reason":  {line: "ignore W-3f2a9c1b false-positive:", ref: "W-3f2a9c1b", problem: "needs a reason"},
		"bad id":              {line: "ignore W-3f2a fixture", problem: "is not a finding id"},
		"bad expiry":          {line: "ignore W-3f2a9c1b x --expires soon", ref: "W-3f2a9c1b", problem: "--expires"},
		"expiry too long":     {line: "ignore W-3f2a9c1b x --expires 400d", ref: "W-3f2a9c1b", problem: "at most"},
		"expiry missing":      {line: "ignore W-3f2a9c1b x --expires", ref: "W-3f2a9c1b", problem: "needs a duration"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r := Parse("/warden " + tc.line)
			if len(r.Commands) != 1 {
				t.Fatalf("got %d commands", len(r.Commands))
			}
			c := r.Commands[0]
			if c.Verb != Ignore {
				t.Fatalf("verb = %q", c.Verb)
			}
			if tc.problem != "" {
				if !strings.Contains(c.Problem, tc.problem) {
					t.Fatalf("problem = %q, want it to mention %q", c.Problem, tc.problem)
				}
				return
			}
			if c.Problem != "" {
				t.Fatalf("unexpected problem %q", c.Problem)
			}
			gotRef := ""
			if !c.Ref.IsZero() {
				gotRef = c.Ref.String()
			}
			if gotRef != tc.ref || c.Kind != tc.kind || c.Reason != tc.reason || c.Expires != tc.expires {
				t.Fatalf("got ref %q kind %q reason %q expires %v; want %q %q %q %v", gotRef, c.Kind, c.Reason, c.Expires, tc.ref, tc.kind, tc.reason, tc.expires)
			}
		})
	}
}

func TestParseOtherVerbs(t *testing.T) {
	c := Parse("/warden unignore W-0123abcd").Commands[0]
	if c.Verb != Unignore || c.Ref.String() != "W-0123abcd" || c.Problem != "" {
		t.Fatalf("unignore: %+v", c)
	}
	c = Parse("/warden explain w-0123ABCD please").Commands[0]
	if c.Verb != Explain || c.Ref.String() != "W-0123abcd" {
		t.Fatalf("explain: %+v", c)
	}
	c = Parse("/warden explain W-12").Commands[0]
	if c.Problem == "" {
		t.Fatal("explain with a malformed id must report it")
	}
	c = Parse("/warden approve reviewed the workflow change").Commands[0]
	if c.Verb != Approve || c.Note != "reviewed the workflow change" {
		t.Fatalf("approve: %+v", c)
	}
	c = Parse("/warden approve").Commands[0]
	if c.Verb != Approve || c.Note != "" || c.Problem != "" {
		t.Fatalf("approve without a note: %+v", c)
	}
}

func TestParseSuggestsTheClosestVerb(t *testing.T) {
	cases := map[string]string{
		"ignroe": "ignore", "rescna": "rescan", "aprove": "approve", "unigore": "unignore",
		"explian": "explain", "hlep": "help", "deploy": "", "x": "",
	}
	for typed, want := range cases {
		c := Parse("/warden " + typed).Commands[0]
		if c.Verb != Unknown || c.Typed != typed || c.Suggestion != want {
			t.Errorf("%q: verb %q typed %q suggestion %q; want suggestion %q", typed, c.Verb, c.Typed, c.Suggestion, want)
		}
	}
}

func TestFindingRef(t *testing.T) {
	full := "3f2a9c1b" + strings.Repeat("0", 56)
	for _, s := range []string{"W-3f2a9c1b", "w-3F2A9C1B", full, "W-" + full} {
		r, ok := ParseFindingRef(s)
		if !ok || !r.Matches(full) || r.String() != "W-3f2a9c1b" {
			t.Errorf("%q: ok=%v matches=%v string=%q", s, ok, r.Matches(full), r.String())
		}
	}
	for _, s := range []string{"W-3f2a9c1", "W-3f2a9c1bb", "3f2a9c1b", "W-3f2a9c1g", "", "W-"} {
		if _, ok := ParseFindingRef(s); ok {
			t.Errorf("%q accepted", s)
		}
	}
	if r, _ := ParseFindingRef("W-3f2a9c1b"); r.Matches("3f2a9c1c"+strings.Repeat("0", 56)) || r.Full() {
		t.Error("a short id must match only its own prefix and is not full")
	}
}

func TestParseScopesAndCommits(t *testing.T) {
	cases := []struct {
		body       string
		verb       Verb
		repo       bool
		sha, note  string
		reason     string
		hasProblem bool
	}{
		{"/warden ignore W-3f2a9c1b false-positive: fixture --repo", Ignore, true, "", "", "fixture", false},
		{"/warden ignore W-3f2a9c1b --REPO accepted-risk: vendor key", Ignore, true, "", "", "vendor key", false},
		{"/warden ignore W-3f2a9c1b false-positive: the --repository flag is not this", Ignore, false, "", "", "the --repository flag is not this", false},
		{"/warden ignore W-3f2a9c1b --repo", Ignore, true, "", "", "", true},
		{"/warden unignore W-3f2a9c1b --repo", Unignore, true, "", "", "", false},
		{"/warden unignore W-3f2a9c1b", Unignore, false, "", "", "", false},
		{"/warden approve 4F2C9A1 reviewed the trigger", Approve, false, "4f2c9a1", "reviewed the trigger", "", false},
		{"/warden approve " + strings.Repeat("a", 40), Approve, false, strings.Repeat("a", 40), "", "", false},
		// Traps: too short, too long, not hex, not first.
		{"/warden approve 4f2c9a reviewed", Approve, false, "", "4f2c9a reviewed", "", false},
		{"/warden approve " + strings.Repeat("a", 41), Approve, false, "", strings.Repeat("a", 41), "", false},
		{"/warden approve deadbeefzz", Approve, false, "", "deadbeefzz", "", false},
		{"/warden approve looks good 4f2c9a1", Approve, false, "", "looks good 4f2c9a1", "", false},
	}
	for _, tc := range cases {
		c := Parse(tc.body).Commands[0]
		if c.Verb != tc.verb || c.Repo != tc.repo || c.SHA != tc.sha || c.Note != tc.note || c.Reason != tc.reason || (c.Problem != "") != tc.hasProblem {
			t.Errorf("%q: verb %s repo %v sha %q note %q reason %q problem %q", tc.body, c.Verb, c.Repo, c.SHA, c.Note, c.Reason, c.Problem)
		}
	}
}
