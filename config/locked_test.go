package config_test

import (
	"strings"
	"testing"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/config"
)

const orgLocks = `fail_on: high
security_team: acme/security
checks:
  secrets: {enabled: true}
approvals:
  - paths: [".github/workflows/**"]
    by: security_team
locked: [fail_on, checks.secrets, approvals]
`

func org(src string) config.Source {
	return config.Source{Name: "acme/.github:.github/warden.yml", Data: []byte(src), Org: true}
}

func repo(src string) config.Source {
	return config.Source{Name: ".github/warden.yml", Data: []byte(src)}
}

func TestARepositoryCannotLoosenALockedKey(t *testing.T) {
	cases := []struct {
		name, repo string
		want       string // "" = accepted
	}{
		{"loosens fail_on", "fail_on: critical\n",
			".github/warden.yml:1:1: fail_on is locked by the organisation's defaults (acme/.github:.github/warden.yml): a repository cannot change it"},
		{"switches secrets off", "checks:\n  code: {enabled: false}\n  secrets:\n    enabled: false\n",
			".github/warden.yml:3:3: checks.secrets is locked"},
		{"allowlists a secret", "checks:\n  secrets: {allowlist: {paths: [\"**\"]}}\n", ".github/warden.yml:2:3: checks.secrets is locked"},
		{"drops the approvals", "approvals: []\n", ".github/warden.yml:1:1: approvals is locked"},
		{"adds an approval (still a change)", "approvals:\n  - paths: [\".github/workflows/**\"]\n    by: security_team\n  - paths: [x]\n    by: acme/x\n", "approvals is locked"},
		{"repeats the locked value", "fail_on: high\nchecks: {secrets: {enabled: true}}\n", ""},
		{"changes an unlocked key", "checks: {code: {enabled: false}}\npaths: {ignore: [\"vendor/**\"]}\n", ""},
		{"changes a sibling of a locked key", "checks:\n  workflows: {enabled: false}\n", ""},
		{"tries to unlock", "locked: []\n", ".github/warden.yml:1:1: locked can only be set in the organisation's defaults"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := config.Load(org(orgLocks), repo(tc.repo))
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if cfg.FailOn != checks.SeverityHigh || !cfg.Enabled(checks.CategorySecrets) || len(cfg.Approvals) != 1 {
					t.Fatalf("locked values changed: %+v", cfg)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			var errs config.Errors
			if !asErrors(err, &errs) || errs[0].File != ".github/warden.yml" {
				t.Fatalf("the error must be annotated on the repository's file: %#v", err)
			}
		})
	}
}

func TestLockedKeysAreValidated(t *testing.T) {
	for in, want := range map[string]string{
		"locked: [fail_onn]\n":        `"fail_onn" is not a configuration key`,
		"locked: [checks.sast]\n":     `"checks.sast" is not a configuration key`,
		"locked: [locked]\n":          `"locked" is set by the organisation only`,
		"locked: [config_approval]\n": `"config_approval" is set by the organisation only`,
		"locked: fail_on\n":           "locked must be a list",
	} {
		_, err := config.Load(org(in))
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "acme/.github:.github/warden.yml:1:") {
			t.Errorf("%q: %v, want %q in the organisation's file", in, err, want)
		}
	}
	if _, err := config.Load(org("locked: [checks.secrets.allowlist, ignore_by.secrets, on_unscanned]\n")); err != nil {
		t.Errorf("valid locks refused: %v", err)
	}
}

func TestOrganisationRepositoryReadsItsOwnFileAsTheDefaults(t *testing.T) {
	// The organisation's .github repository is reviewed with its own file
	// as the organisation layer: locked and config_approval are at home there.
	cfg, err := config.Load(org(orgLocks + "config_approval: acme/platform\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ConfigApproval != "acme/platform" || len(cfg.Locked) != 3 {
		t.Fatalf("got %+v", cfg)
	}
}

func FuzzLoadWithLocks(f *testing.F) {
	f.Add([]byte(orgLocks), []byte("fail_on: low\n"))
	f.Add([]byte("locked: [checks]\nchecks: {code: {enabled: true}}\n"), []byte("checks:\n  code: {enabled: false}\n"))
	f.Add([]byte("locked: [ignore_by]\n"), []byte("ignore_by: {secrets: write}\n"))
	f.Fuzz(func(t *testing.T, orgData, repoData []byte) {
		orgOnly, err := config.Load(org(string(orgData)))
		if err != nil {
			return
		}
		cfg, err := config.Load(org(string(orgData)), repo(string(repoData)))
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error: %q", err)
			}
			return
		}
		for _, key := range orgOnly.Locked {
			if key == "fail_on" && cfg.FailOn != orgOnly.FailOn {
				t.Fatalf("locked fail_on changed from %s to %s", orgOnly.FailOn, cfg.FailOn)
			}
			if key == "checks" && cfg.Checks.Secrets.Enabled != orgOnly.Checks.Secrets.Enabled {
				t.Fatal("locked checks changed")
			}
		}
		if cfg.ConfigApproval != orgOnly.ConfigApproval || len(cfg.Locked) != len(orgOnly.Locked) {
			t.Fatal("a repository changed an organisation-only key")
		}
	})
}
