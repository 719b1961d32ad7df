package secrets

import (
	"strings"

	"github.com/wardenbot/warden/checks"
	"github.com/zricethezav/gitleaks/v8/config"
)

// ruleMeta is what people see about a rule.
type ruleMeta struct {
	title       string // "AWS access key"
	severity    checks.Severity
	description string
	remediation string
	helpURI     string
	references  []string
}

const (
	cweHardcoded  = "https://cwe.mitre.org/data/definitions/798.html"
	gitleaksRules = "https://github.com/gitleaks/gitleaks/blob/v8.30.1/config/gitleaks.toml"
	wardenDocs    = "https://github.com/wardenbot/warden/blob/main/docs/rules/secrets.md#"

	remediationGeneric = "Revoke or rotate this credential now: deleting the line does not un-leak it (it stays in git history, forks and clones). " +
		"Then load it at runtime from an environment variable or a secret manager."
)

// Severity by gitleaks rule id; everything else is high. Private keys,
// cloud and source-hosting credentials and live payment keys are critical;
// the generic heuristic is medium; identifiers that are not secrets on
// their own and test-mode keys are low.
var severityByRule = map[string]checks.Severity{
	"private-key":                        checks.SeverityCritical,
	"aws-access-token":                   checks.SeverityCritical,
	"gcp-api-key":                        checks.SeverityHigh,
	"azure-ad-client-secret":             checks.SeverityCritical,
	"github-pat":                         checks.SeverityCritical,
	"github-fine-grained-pat":            checks.SeverityCritical,
	"github-oauth":                       checks.SeverityCritical,
	"github-app-token":                   checks.SeverityCritical,
	"github-refresh-token":               checks.SeverityCritical,
	"gitlab-pat":                         checks.SeverityCritical,
	"gitlab-pat-routable":                checks.SeverityCritical,
	"gitlab-ptt":                         checks.SeverityCritical,
	"gitlab-rrt":                         checks.SeverityCritical,
	"gitlab-deploy-token":                checks.SeverityCritical,
	"stripe-access-token":                checks.SeverityCritical, // test keys lowered per occurrence
	"generic-api-key":                    checks.SeverityMedium,
	"easypost-test-api-token":            checks.SeverityLow,
	"flutterwave-public-key":             checks.SeverityLow,
	"discord-client-id":                  checks.SeverityLow,
	"linkedin-client-id":                 checks.SeverityLow,
	"looker-client-id":                   checks.SeverityLow,
	"messagebird-client-id":              checks.SeverityLow,
	"yandex-aws-access-token":            checks.SeverityHigh,
	"github-installation-token":          checks.SeverityCritical,
	"gitlab-runner-authentication-token": checks.SeverityHigh,
}

// References by rule family: where to revoke the credential.
var referencesByPrefix = map[string][]string{
	"aws-":    {"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console"},
	"github-": {"https://docs.github.com/en/code-security/secret-scanning/working-with-secret-scanning-and-push-protection/remediating-a-leaked-secret"},
	"gitlab-": {"https://docs.gitlab.com/ee/security/token_overview.html"},
	"stripe-": {"https://docs.stripe.com/keys#rolling-keys"},
	"slack-":  {"https://api.slack.com/authentication/rotation"},
	"gcp-":    {"https://cloud.google.com/docs/authentication/api-keys#securing"},
	"azure-":  {"https://learn.microsoft.com/en-us/entra/identity-platform/howto-create-service-principal-portal"},
}

// Remediation by rule family where a specific console helps.
var remediationByPrefix = map[string]string{
	"aws-":            "Deactivate and delete the key in AWS IAM now (deleting the line does not un-leak it), review CloudTrail for its use, then load credentials from the environment, an instance role or a secret manager.",
	"github-":         "Revoke the token in GitHub settings now (deleting the line does not un-leak it), then load it from the environment or a secret manager (in Actions: a repository secret).",
	"gitlab-":         "Revoke the token in GitLab now (deleting the line does not un-leak it), then load it from the environment or a secret manager (in CI: a masked variable).",
	"stripe-":         "Roll the key in the Stripe dashboard now (deleting the line does not un-leak it), then load it from the environment or a secret manager.",
	"private-key":     "Treat the key as compromised: revoke or replace it and any certificate issued for it now (deleting the line does not un-leak it), then keep keys out of the repository (a secret manager or mounted file).",
	"slack-":          "Revoke the token or webhook in Slack now (deleting the line does not un-leak it), then load it from the environment or a secret manager.",
	"url-credentials": "Change that password now (deleting the line does not un-leak it), then build the URL at runtime from the environment or a secret manager.",
}

func metaFor(c config.Rule, warden bool) ruleMeta {
	m := ruleMeta{
		title:       titleFromID(c.RuleID),
		severity:    checks.SeverityHigh,
		description: c.Description,
		remediation: remediationGeneric,
		helpURI:     gitleaksRules,
		references:  []string{cweHardcoded},
	}
	if warden {
		if wm, ok := wardenMeta[c.RuleID]; ok {
			m.title, m.severity = wm.title, wm.severity
			m.description = wm.description
		}
		m.helpURI = wardenDocs + c.RuleID
	} else if m.description != "" {
		m.description += " (gitleaks rule " + c.RuleID + ".)"
	}
	if s, ok := severityByRule[c.RuleID]; ok {
		m.severity = s
	}
	for prefix, refs := range referencesByPrefix {
		if strings.HasPrefix(c.RuleID, prefix) {
			m.references = append(refs[:len(refs):len(refs)], m.references...)
		}
	}
	for prefix, rem := range remediationByPrefix {
		if strings.HasPrefix(c.RuleID, prefix) {
			m.remediation = rem
		}
	}
	return m
}

// occurrenceSeverity refines a rule's severity for one secret: test-mode
// keys of services that mark them are low.
func occurrenceSeverity(r *rule, secret string) checks.Severity {
	low := strings.ToLower(secret)
	switch r.cfg.RuleID {
	case "stripe-access-token":
		if strings.Contains(low, "_test_") {
			return checks.SeverityLow
		}
	case "lob-api-key", "lob-pub-api-key", "gocardless-api-token":
		if strings.HasPrefix(low, "test_") || strings.Contains(low, "sandbox") {
			return checks.SeverityLow
		}
	}
	return r.meta.severity
}

// words that titleFromID spells specially.
var titleWords = map[string]string{
	"api": "API", "aws": "AWS", "gcp": "GCP", "jwt": "JWT", "url": "URL", "id": "ID",
	"pat": "personal access token", "github": "GitHub", "gitlab": "GitLab",
	"npm": "npm", "pypi": "PyPI", "ssh": "SSH", "ci": "CI", "cicd": "CI/CD",
	"oauth": "OAuth", "sdk": "SDK", "tf": "Terraform", "yaml": "YAML",
	"1password": "1Password", "openai": "OpenAI", "hashicorp": "HashiCorp",
	"digitalocean": "DigitalOcean", "sendgrid": "SendGrid", "huggingface": "Hugging Face",
	"launchdarkly": "LaunchDarkly", "pkcs12": "PKCS#12", "rubygems": "RubyGems",
	"jfrog": "JFrog", "ptt": "pipeline trigger token", "rrt": "runner registration token",
	"ad": "AD", "ca": "CA", "netrc": ".netrc", "npmrc": ".npmrc", "pypirc": ".pypirc",
}

// titleFromID turns "aws-access-token" into "AWS access token".
func titleFromID(id string) string {
	parts := strings.Split(id, "-")
	for i, p := range parts {
		if w, ok := titleWords[p]; ok {
			parts[i] = w
		} else if i == 0 && p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, " ")
}
