package secrets

import "github.com/wardenbot/warden/checks"

// Rules documents every rule: gitleaks' default set and warden's own.
func (c *Check) Rules() []checks.Rule {
	rs := c.rules.sortedRules()
	out := make([]checks.Rule, 0, len(rs))
	for _, r := range rs {
		out = append(out, checks.Rule{
			ID:          r.id,
			Title:       r.meta.title,
			Category:    checks.CategorySecrets,
			Severity:    r.meta.severity,
			Description: r.meta.description,
			Remediation: r.meta.remediation,
			HelpURI:     r.meta.helpURI,
			References:  append([]string(nil), r.meta.references...),
		})
	}
	return out
}
