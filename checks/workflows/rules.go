package workflows

import (
	"context"

	"github.com/wardenbot/warden/checks"
)

// rule is one workflows/* rule. Rules are stateless: per-run state lives
// in scan, per-file state in file.
type rule interface {
	Doc() checks.Rule
	Check(ctx context.Context, s *scan, f *file) []checks.Finding
}

// allRules lists the rules in the order their findings are produced.
func allRules() []rule {
	return []rule{
		scriptInjection{},
		pwnRequest{},
		unpinnedAction{},
		permissionsRule{},
		persistCredentials{},
		selfHostedRunner{},
		insecureCommands{},
		curlPipeShell{},
		knownVulnerableAction{},
	}
}

// Reference links shared by several rules.
const (
	refHardening       = "https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions"
	refScriptInjection = "https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#understanding-the-risk-of-script-injections"
	refThirdParty      = "https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions"
	refPwnRequests     = "https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/"
	refUntrustedInput  = "https://securitylab.github.com/resources/github-actions-untrusted-input/"
	refPermissions     = "https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#permissions"
	refTokenPerms      = "https://docs.github.com/en/actions/security-for-github-actions/security-guides/automatic-token-authentication#permissions-for-the-github_token"
	refCheckout        = "https://github.com/actions/checkout#usage"
	refSelfHosted      = "https://docs.github.com/en/actions/hosting-your-own-runners/managing-self-hosted-runners/about-self-hosted-runners#self-hosted-runner-security"
	refUnsecureCmds    = "https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/"
	refReusableSecrets = "https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idsecretsinherit"
	cwe78              = "https://cwe.mitre.org/data/definitions/78.html"
	cwe94              = "https://cwe.mitre.org/data/definitions/94.html"
	cwe250             = "https://cwe.mitre.org/data/definitions/250.html"
	cwe494             = "https://cwe.mitre.org/data/definitions/494.html"
	cwe522             = "https://cwe.mitre.org/data/definitions/522.html"
	cwe829             = "https://cwe.mitre.org/data/definitions/829.html"
	cwe1395            = "https://cwe.mitre.org/data/definitions/1395.html"
)
