package secrets

import (
	"encoding/base64"
	"strings"
	"unicode"

	"github.com/wardenbot/warden/checks"
	"github.com/zricethezav/gitleaks/v8/config"
	"github.com/zricethezav/gitleaks/v8/regexp"
)

// Warden's own rules cover leaks the gitleaks default set misses (each has
// a test proving gitleaks does not find its true positives). They are
// gitleaks config.Rules so the same engine, allowlists and decoding apply;
// accept, when set, is an extra check on the extracted secret.
type wardenRule struct {
	cfg    config.Rule
	meta   ruleMeta
	accept func(secret string) bool
}

// placeholderSecret matches values that stand for a secret rather than
// being one: template and env references, format verbs, masks and the
// stock defaults of local development containers.
var placeholderSecret = `(?i)^(?:` +
	`\$\{?[a-z_][a-z0-9_]*\}?|\$\(.*\)|\{\{.*\}\}|\{[a-z_][a-z0-9_]*\}|%[sv]|%\([a-z_]+\)s|<[^>]*>|\[[^\]]*\]|` +
	`[*x.#_-]+|(?:your|my|the|some)[_-]?\w*|password\d*|passwd|pass|pwd|secret|changeme|change_me|example|test|dummy|fake|sample|` +
	`user(?:name)?|postgres|root|admin|guest|mysql|redis|rabbitmq|mongo|sa|dev|local|none|null|todo|redacted|hidden|removed)$`

func mustAllowlist(a *config.Allowlist) *config.Allowlist {
	if err := a.Validate(); err != nil {
		panic("secrets: invalid built-in allowlist: " + err.Error())
	}
	return a
}

func placeholderAllowlist() *config.Allowlist {
	return mustAllowlist(&config.Allowlist{
		Description: "placeholders and template references",
		Regexes:     []*regexp.Regexp{regexp.MustCompile(placeholderSecret)},
	})
}

var wardenRuleDefs = []wardenRule{
	{
		cfg: config.Rule{
			RuleID:      "url-credentials",
			Description: "A URL with a user name and password in it, such as a database, message broker or cache connection string.",
			// scheme://user:password@host — user may be empty (redis://:pw@host).
			// Brackets, braces, "|" and "^" are never part of RFC 3986 userinfo, so
			// `docker://image[:tag@digest]` and `{user}:{pass}@` templates
			// do not match.
			Regex:       regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.-]{1,20})://([^\s:/?#@'"\x60<>\\\[\]{}|^]{0,64}):([^\s/?#@'"\x60<>\\\[\]{}|^]{3,128})@([a-z0-9][a-z0-9.-]{0,252}|\[[0-9a-f:.]+\])`),
			SecretGroup: 3,
			Keywords:    []string{"://"},
			Allowlists:  []*config.Allowlist{placeholderAllowlist()},
		},
		meta: ruleMeta{title: "Password in a connection URL", severity: checks.SeverityHigh,
			description: "A URL carries a password (postgres://user:password@host, mongodb+srv://, amqp://, redis://:password@, https://user:token@). Anyone who can read the repository can connect as that user."},
	},
	{
		cfg: config.Rule{
			RuleID:      "netrc-password",
			Description: "A password in a .netrc file.",
			Path:        regexp.MustCompile(`(?:^|/)[._]netrc$`),
			Regex:       regexp.MustCompile(`(?i)\bpassword[ \t]+(\S{3,})`),
			SecretGroup: 1,
			Keywords:    []string{"password"},
			Allowlists:  []*config.Allowlist{placeholderAllowlist()},
		},
		meta: ruleMeta{title: "Password in .netrc", severity: checks.SeverityHigh,
			description: "A .netrc file holds a login password that tools such as curl, git and pip send automatically."},
	},
	{
		cfg: config.Rule{
			RuleID:      "pypirc-password",
			Description: "A password or API token in a .pypirc file.",
			Path:        regexp.MustCompile(`(?:^|/)\.pypirc$`),
			Regex:       regexp.MustCompile(`(?im)^[ \t]*password[ \t]*[=:][ \t]*(\S[^\r\n]{2,}?)[ \t]*$`),
			SecretGroup: 1,
			Keywords:    []string{"password"},
			Allowlists:  []*config.Allowlist{placeholderAllowlist()},
		},
		meta: ruleMeta{title: "Password in .pypirc", severity: checks.SeverityHigh,
			description: "A .pypirc file holds the password or API token used to upload packages to a Python package index."},
	},
	{
		cfg: config.Rule{
			RuleID:      "discord-webhook-url",
			Description: "A Discord webhook URL, which lets anyone post to the channel.",
			Regex:       regexp.MustCompile(`https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/[0-9]{17,20}/([A-Za-z0-9_-]{60,80})`),
			SecretGroup: 1,
			Keywords:    []string{"discord.com/api/webhooks", "discordapp.com/api/webhooks"},
		},
		meta: ruleMeta{title: "Discord webhook URL", severity: checks.SeverityMedium,
			description: "A Discord webhook URL embeds its token: anyone with it can post messages (including phishing links) to the channel."},
	},
	{
		cfg: config.Rule{
			RuleID:      "github-installation-token",
			Description: "A GitHub App installation access token (ghs_) of the variable-length format.",
			Regex:       regexp.MustCompile(`\b(ghs_[A-Za-z0-9_]{36,255})\b`),
			SecretGroup: 1,
			Entropy:     3,
			Keywords:    []string{"ghs_"},
		},
		meta: ruleMeta{title: "GitHub App installation token", severity: checks.SeverityCritical,
			description: "A GitHub App installation access token (ghs_…). It acts with the app's permissions on the installation's repositories until it expires (one hour) or is revoked."},
	},
	{
		cfg: config.Rule{
			RuleID:      "basic-auth-header",
			Description: "An HTTP Authorization header with Basic credentials.",
			Regex:       regexp.MustCompile(`(?i)\bauthorization["']?\s*[:=,]\s*["']?basic\s+([A-Za-z0-9+/]{8,}={0,2})`),
			SecretGroup: 1,
			Keywords:    []string{"basic"},
		},
		meta: ruleMeta{title: "HTTP Basic credentials", severity: checks.SeverityHigh,
			description: "An Authorization: Basic header carries a base64-encoded user:password pair, which anyone can decode."},
		accept: isBasicCredential,
	},
}

// wardenMeta indexes the metadata of warden's rules by id.
var wardenMeta = func() map[string]ruleMeta {
	m := make(map[string]ruleMeta, len(wardenRuleDefs))
	for _, w := range wardenRuleDefs {
		m[w.cfg.RuleID] = w.meta
	}
	return m
}()

func wardenRules() []wardenRule { return wardenRuleDefs }

// isBasicCredential accepts base64 that decodes to printable "user:password"
// with a non-placeholder password, so "Basic dGVzdA==" style samples and
// random base64 are not reported.
func isBasicCredential(b64 string) bool {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		raw, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(b64, "="))
		if err != nil {
			return false
		}
	}
	s := string(raw)
	user, pass, ok := strings.Cut(s, ":")
	if !ok || len(pass) < 3 || user == pass {
		return false
	}
	for _, r := range s {
		if r > unicode.MaxASCII || !unicode.IsPrint(r) {
			return false
		}
	}
	return !placeholderRe.MatchString(pass)
}

var placeholderRe = regexp.MustCompile(placeholderSecret)
