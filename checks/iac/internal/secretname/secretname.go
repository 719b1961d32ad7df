// Package secretname decides whether a variable name and value look like a
// hard-coded credential, for ENV/ARG in Dockerfiles and env in manifests.
package secretname

import (
	"regexp"
	"strings"
)

// secretName matches names that say they hold a credential.
var secretName = regexp.MustCompile(`(?i)(^|_)(password|passwd|pass|pwd|token|secret|api_?key|access_?key|private_?key|auth_?key|credentials?|[a-z0-9]+_key)$`)

// publicName lists names that end like a secret but hold public data or
// references: official images set GPG_KEY to a signing key fingerprint.
var publicName = regexp.MustCompile(`(?i)(^|_)(gpg|pgp|public|pub)_?keys?$|_key_?(id|file|path|name|url|ref)$|(^|_)(sort|primary|foreign|partition|cache|hash|routing|idempotency)_key$|_(file|path|url|env|var)$`)

// IsSecretName reports whether a variable name says it holds a credential.
func IsSecretName(name string) bool {
	return secretName.MatchString(name) && !publicName.MatchString(name)
}

// IsLiteral reports whether a value is a literal rather than a reference
// to something else (a variable, a file path, a template, a placeholder).
func IsLiteral(v string) bool {
	v = strings.TrimSpace(strings.Trim(strings.TrimSpace(v), `"'`))
	switch strings.ToLower(v) {
	case "", "none", "null", "nil", "true", "false", "yes", "no", "0", "1", "-":
		return false
	}
	switch {
	case strings.HasPrefix(v, "$"), strings.HasPrefix(v, "/"), strings.HasPrefix(v, "./"),
		strings.HasPrefix(v, "{{"), strings.HasPrefix(v, "<") && strings.HasSuffix(v, ">"):
		return false
	}
	return true
}
