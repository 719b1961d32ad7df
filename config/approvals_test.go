package config_test

import (
	"reflect"
	"testing"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/config"
)

func changed(paths ...string) []checks.FileChange {
	var out []checks.FileChange
	for _, p := range paths {
		out = append(out, checks.FileChange{Path: p})
	}
	return out
}

func parse(t *testing.T, src string) *config.Config {
	t.Helper()
	cfg, err := config.Parse(".github/warden.yml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// touched renders touched rules as "approver: paths" for comparison.
func touched(rules []config.TouchedRule) map[string][]string {
	out := map[string][]string{}
	for _, r := range rules {
		out[r.Who.String()] = append(out[r.Who.String()], r.Touched...)
	}
	return out
}

const twoTeams = `security_team: acme/security
approvals:
  - paths: [".github/workflows/**", "Dockerfile"]
    by: security_team
  - paths: ["auth/**"]
    by: acme/identity
`

func TestTwoRulesTwoTeamsEachCoverTheirOwnPaths(t *testing.T) {
	cfg := parse(t, twoTeams)
	cases := []struct {
		name  string
		files []checks.FileChange
		want  map[string][]string
	}{
		{"both rules", changed("auth/login.go", "Dockerfile", "README.md"),
			map[string][]string{"acme/security": {"Dockerfile"}, "acme/identity": {"auth/login.go"}}},
		{"one rule", changed("auth/session.go", "main.go"), map[string][]string{"acme/identity": {"auth/session.go"}}},
		{"nothing sensitive", changed("authors.md", "docs/auth/x.md", "Dockerfile.md"), map[string][]string{}},
		{"rename out of a protected directory", []checks.FileChange{{Path: "legacy/login.go", OldPath: "auth/login.go"}},
			map[string][]string{"acme/identity": {"legacy/login.go"}}},
		{"warden's own configuration", changed(".github/warden.yml", ".github/warden/rules.yml"),
			map[string][]string{"acme/security": {".github/warden.yml", ".github/warden/rules.yml"}}},
		{"look-alikes of the configuration", changed(".github/warden.yml.bak", ".github/wardens.yml", "warden.yml"), map[string][]string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := touched(config.TouchedRules(cfg, tc.files))
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("touched = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestConfigurationChangesNeedTheSecurityTeamUnlessTheOrgSaysOtherwise(t *testing.T) {
	files := changed(".github/warden.yml")
	cases := []struct {
		name   string
		layers []config.Source
		want   map[string][]string
	}{
		{"default", []config.Source{{Name: "repo", Data: []byte("security_team: acme/security\n")}},
			map[string][]string{"acme/security": {".github/warden.yml"}}},
		{"no security team: admins", nil, map[string][]string{"admin": {".github/warden.yml"}}},
		{"org names a team", []config.Source{{Name: "org", Org: true, Data: []byte("config_approval: acme/platform\n")}},
			map[string][]string{"acme/platform": {".github/warden.yml"}}},
		{"org turns it off", []config.Source{{Name: "org", Org: true, Data: []byte("config_approval: none\n")}}, map[string][]string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := config.Load(tc.layers...)
			if err != nil {
				t.Fatal(err)
			}
			rules := config.TouchedRules(cfg, files)
			if got := touched(rules); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("touched = %v, want %v", got, tc.want)
			}
			for _, r := range rules {
				if !r.Implicit || r.AllowAuthor {
					t.Fatalf("the configuration rule must be implicit and refuse the author: %+v", r)
				}
			}
		})
	}
	_, err := config.Parse(".github/warden.yml", []byte("config_approval: none\n"))
	if err == nil || err.Error() != ".github/warden.yml:1:1: config_approval can only be set in the organisation's defaults (.github/warden.yml in the organisation's .github repository)" {
		t.Fatalf("a repository waived review of its own configuration: %v", err)
	}
}

func TestRuleDigestFollowsTheRuleAndItsFiles(t *testing.T) {
	digest := func(src string, files ...string) string {
		t.Helper()
		rules := config.TouchedRules(parse(t, src), changed(files...))
		for _, r := range rules {
			if !r.Implicit {
				return r.Digest
			}
		}
		t.Fatalf("no rule touched by %v", files)
		return ""
	}
	base := digest(twoTeams, "auth/a.go", "auth/b.go")
	if base != digest(twoTeams, "auth/b.go", "auth/a.go", "README.md") {
		t.Error("the digest depends on the order of files, or on files outside the rule")
	}
	for name, other := range map[string]string{
		"another file":     digest(twoTeams, "auth/a.go"),
		"another team":     digest("approvals:\n  - paths: [\"auth/**\"]\n    by: acme/other\n", "auth/a.go", "auth/b.go"),
		"allow_author now": digest("approvals:\n  - paths: [\"auth/**\"]\n    by: acme/identity\n    allow_author: true\n", "auth/a.go", "auth/b.go"),
		"wider paths":      digest("approvals:\n  - paths: [\"auth/**\", \"sso/**\"]\n    by: acme/identity\n", "auth/a.go", "auth/b.go"),
	} {
		if other == base {
			t.Errorf("%s: same digest, so an old approval would still count", name)
		}
	}
	if base != digest("approvals:\n  - paths: [\"auth/**\"]\n    by: acme/identity\n", "auth/a.go", "auth/b.go") {
		t.Error("the same rule at a new base must keep its digest")
	}
}

func TestWhoMayIgnore(t *testing.T) {
	cases := []struct {
		name, cfg, rule, severity string
		want, key                 string
	}{
		{"a secret needs the security team", "security_team: acme/sec\n", "secrets/aws-access-key", "high", "acme/sec", "ignore_by.secrets"},
		{"a low secret too", "security_team: acme/sec\n", "secrets/generic-api-key", "low", "acme/sec", "ignore_by.secrets"},
		{"a critical finding needs the security team", "security_team: acme/sec\n", "workflows/pwn-request", "critical", "acme/sec", "ignore_by.critical"},
		{"the rest needs write", "security_team: acme/sec\n", "iac/docker-root-user", "high", "write", "ignore_by.default"},
		{"no security team: admins", "", "secrets/github-pat", "critical", "admin", "ignore_by.secrets"},
		{"secrets rule wins for a critical secret", "security_team: acme/sec\nignore_by: {secrets: write}\n", "secrets/github-pat", "critical", "write", "ignore_by.secrets"},
		{"a team for everything else", "ignore_by: {default: acme/leads}\n", "code/sql-injection", "medium", "acme/leads", "ignore_by.default"},
		{"a rule id without a category", "", "secretsless", "info", "write", "ignore_by.default"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			who, key := parse(t, tc.cfg).IgnoreWho(tc.rule, tc.severity)
			if who.String() != tc.want || key != tc.key {
				t.Fatalf("IgnoreWho = %s (%s), want %s (%s)", who, key, tc.want, tc.key)
			}
		})
	}
}
