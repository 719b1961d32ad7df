package secrets

import "testing"

func TestKeywordAnchorShapes(t *testing.T) {
	rs, err := loadRuleSet()
	if err != nil {
		t.Fatal(err)
	}
	generic := rs.byID["generic-api-key"]
	if generic.anchor == nil || generic.anchor.prefixBytes == unbounded {
		t.Fatal("generic-api-key should get a keyword anchor")
	}
	if rs.byID["kubernetes-secret-yaml"].anchor != nil {
		t.Error("kubernetes-secret-yaml's keyword is not at the start of every match and must not get an anchor")
	}
	n := 0
	for _, r := range rs.rules {
		if r.anchor != nil {
			n++
		}
	}
	t.Logf("%d of %d rules anchored", n, len(rs.rules))
	for _, tc := range []struct {
		text string
		want bool
	}{
		{`token := "` + join("Zk9", "sQ2mVx81LpTr") + `"`, true},
		{`token := os.Getenv("TOKEN")`, false},
		{`// the token is read below`, false},
	} {
		if got := generic.anchor.re.MatchString(tc.text); got != tc.want {
			t.Errorf("anchor(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

func TestRequiredLiterals(t *testing.T) {
	rs, err := loadRuleSet()
	if err != nil {
		t.Fatal(err)
	}
	got := requiredLiterals(rs.byID["kubernetes-secret-yaml"].cfg.Regex.String())
	want := map[string]bool{"kind:": true, "data:": true}
	for _, g := range got {
		delete(want, g)
	}
	if len(want) > 0 {
		t.Errorf("kubernetes-secret-yaml requires %v, missing %v", got, want)
	}
	if got := requiredLiterals(`(?i)(?:ab|cd)efgh|x+efgh`); len(got) != 1 || got[0] != "efgh" {
		t.Errorf("requiredLiterals over an alternation = %v, want [efgh]", got)
	}
}
