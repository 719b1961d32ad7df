package deps

import "github.com/wardenbot/warden/checks"

// Rules documents the check's rules for `/warden explain` and SARIF.
func (c *Check) Rules() []checks.Rule {
	return []checks.Rule{
		{
			ID:       ruleOSV,
			Title:    "Dependency with a known vulnerability",
			Category: checks.CategoryDependencies,
			Severity: checks.SeverityHigh,
			Description: "A lockfile or manifest declares a package version that a published advisory (GitHub Advisory Database, Go vulnerability database, PyPA, RustSec… via OSV) says is vulnerable. " +
				"Severity is the highest CVSS v3 base score among the advisories, else the database's own rating; advisories without either are medium. " +
				"In a pull request only package versions the change adds or changes are reported as new; vulnerable versions already on the base branch are counted, not commented on. " +
				"For a Go module whose advisories name the vulnerable functions (Go vulnerability database), the message says whether the module's own non-test code calls one, and where; the dependencies' code is not analysed, so \"not reachable\" findings are still reported.",
			Remediation: "Upgrade to the version the finding names: the lowest release that fixes every listed advisory. For a transitive dependency, raise it through its parent or an override, then regenerate the lockfile.",
			HelpURI:     "https://osv.dev/",
			References:  []string{"https://ossf.github.io/osv-schema/", "https://www.first.org/cvss/v3.1/specification-document"},
		},
		{
			ID:       ruleLicense,
			Title:    "Dependency license not allowed by policy",
			Category: checks.CategoryDependencies,
			Severity: checks.SeverityHigh,
			Description: "A package the change introduces is under a license the repository's policy (licenses.deny / licenses.allow in .github/warden.yml) forbids. " +
				"SPDX expressions are honoured: `MIT OR GPL-3.0-only` passes a GPL deny list because MIT can be chosen; `MIT AND GPL-3.0-only` does not. " +
				"Denied licenses are high, licenses missing from an allow list medium, unknown licenses low (only with report_unknown).",
			Remediation: "Replace the dependency, or have the license reviewed and add it to licenses.allow.",
			HelpURI:     "https://spdx.org/licenses/",
			References:  []string{"https://spdx.github.io/spdx-spec/v2.3/SPDX-license-expressions/"},
		},
	}
}
