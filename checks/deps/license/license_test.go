package license

import (
	"slices"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		expr, want string
		bad        bool
	}{
		{expr: "MIT", want: "mit"},
		{expr: "MIT OR Apache-2.0", want: "apache-2.0 OR mit"},
		{expr: "(MIT AND BSD-3-Clause) or GPL-2.0-only WITH Classpath-exception-2.0", want: "bsd-3-clause AND mit OR gpl-2.0-only with classpath-exception-2.0"},
		{expr: "(MIT OR ISC) AND Apache-2.0", want: "apache-2.0 AND isc OR apache-2.0 AND mit"},
		{expr: "", bad: true},
		{expr: "MIT OR", bad: true},
		{expr: "(MIT", bad: true},
		{expr: "MIT)", bad: true},
		{expr: "AND MIT", bad: true},
		{expr: "GPL-2.0 WITH", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			alts, err := Parse(tt.expr)
			if tt.bad {
				if err == nil {
					t.Fatalf("Parse accepted %q as %v", tt.expr, alts)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := alts.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestEvaluate(t *testing.T) {
	deny := Policy{Deny: []string{"AGPL-3.0-only", "GPL-3.0-only"}}
	allow := Policy{Allow: []string{"MIT", "Apache-2.0", "BSD-3-Clause", "MIT OR GPL-3.0-only"}}
	tests := []struct {
		name      string
		p         Policy
		expr      string
		want      Verdict
		offending []string
	}{
		{"denied id", deny, "AGPL-3.0-only", Denied, []string{"AGPL-3.0-only"}},
		{"case-insensitive", deny, "agpl-3.0-ONLY", Denied, []string{"agpl-3.0-ONLY"}},
		{"a permitted choice avoids the denied one", deny, "MIT OR GPL-3.0-only", Allowed, nil},
		{"AND cannot avoid it", deny, "MIT AND GPL-3.0-only", Denied, []string{"GPL-3.0-only"}},
		{"exception does not launder", deny, "GPL-3.0-only WITH GCC-exception-3.1", Denied, []string{"GPL-3.0-only WITH GCC-exception-3.1"}},
		{"similar id is not denied", deny, "AGPL-3.0-or-later", Allowed, nil},
		{"allow list hit", allow, "Apache-2.0", Allowed, nil},
		{"allow list miss", allow, "LGPL-2.1-only", NotAllowed, []string{"LGPL-2.1-only"}},
		{"allow list: one choice suffices", allow, "LGPL-2.1-only OR MIT", Allowed, nil},
		{"allow list: every part of an AND", allow, "MIT AND WTFPL", NotAllowed, []string{"WTFPL"}},
		{"allowed as a whole expression", allow, "GPL-3.0-only OR MIT", Allowed, nil},
		{"unknown", allow, "", Unknown, nil},
		{"no assertion", allow, "NOASSERTION", Unknown, nil},
		{"npm see-license", allow, "SEE LICENSE IN LICENSE.md", Unknown, nil},
		{"malformed", allow, "MIT OR OR", Unknown, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, off := tt.p.Evaluate(tt.expr)
			if got != tt.want || !slices.Equal(off, tt.offending) {
				t.Errorf("Evaluate(%q) = %v %v, want %v %v", tt.expr, got, off, tt.want, tt.offending)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add("(MIT AND BSD-3-Clause) OR GPL-2.0-only WITH Classpath-exception-2.0")
	f.Add("((((MIT))))")
	f.Add("A AND (B OR C) AND (D OR E) AND (F OR G)")
	f.Fuzz(func(t *testing.T, expr string) {
		alts, err := Parse(expr)
		if err != nil {
			return
		}
		if len(alts) == 0 || len(alts) > maxAlternatives {
			t.Fatalf("%d alternatives for %q", len(alts), expr)
		}
		again, err := Parse(alts.String())
		if err != nil {
			t.Fatalf("canonical form %q does not parse: %v", alts.String(), err)
		}
		if again.String() != alts.String() {
			t.Fatalf("canonical form not stable: %q -> %q", alts.String(), again.String())
		}
		Policy{Deny: []string{"MIT"}, Allow: []string{"Apache-2.0"}}.Evaluate(expr)
	})
}
