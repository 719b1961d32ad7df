// Package osv reads vulnerability records in the OSV format
// (https://ossf.github.io/osv-schema/), fetches them from an OSV API or a
// local export, and decides which package versions they affect and which
// versions fix them.
package osv

import (
	"encoding/json"
	"strings"
)

// Vuln is the part of an OSV record warden uses.
type Vuln struct {
	ID               string          `json:"id"`
	Modified         string          `json:"modified,omitempty"`
	Published        string          `json:"published,omitempty"`
	Withdrawn        string          `json:"withdrawn,omitempty"`
	Aliases          []string        `json:"aliases,omitempty"`
	Summary          string          `json:"summary,omitempty"`
	Details          string          `json:"details,omitempty"`
	Severity         []Severity      `json:"severity,omitempty"`
	Affected         []Affected      `json:"affected,omitempty"`
	References       []Reference     `json:"references,omitempty"`
	DatabaseSpecific json.RawMessage `json:"database_specific,omitempty"`
}

// Severity is one score of a record or of an affected package.
type Severity struct {
	Type  string `json:"type"` // CVSS_V2, CVSS_V3, CVSS_V4, Ubuntu
	Score string `json:"score"`
}

// Affected is one affected package with its version ranges.
type Affected struct {
	Package           Package         `json:"package"`
	Severity          []Severity      `json:"severity,omitempty"`
	Ranges            []Range         `json:"ranges,omitempty"`
	Versions          []string        `json:"versions,omitempty"`
	EcosystemSpecific json.RawMessage `json:"ecosystem_specific,omitempty"`
	DatabaseSpecific  json.RawMessage `json:"database_specific,omitempty"`
}

// Package names a package in an ecosystem.
type Package struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
	PURL      string `json:"purl,omitempty"`
}

// Range is a list of events over one version ordering.
type Range struct {
	Type   string  `json:"type"` // SEMVER, ECOSYSTEM, GIT
	Repo   string  `json:"repo,omitempty"`
	Events []Event `json:"events"`
}

// Event is one boundary of a range; exactly one field is set.
type Event struct {
	Introduced   string `json:"introduced,omitempty"`
	Fixed        string `json:"fixed,omitempty"`
	LastAffected string `json:"last_affected,omitempty"`
	Limit        string `json:"limit,omitempty"`
}

// Reference is a link about the vulnerability.
type Reference struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

// IsWithdrawn reports whether the record was retracted; such records
// describe no vulnerability and are never reported.
func (v *Vuln) IsWithdrawn() bool { return strings.TrimSpace(v.Withdrawn) != "" }

// PackageKey identifies one package version to look up.
type PackageKey struct {
	Ecosystem string
	Name      string
	Version   string
}

func (k PackageKey) String() string { return k.Ecosystem + "/" + k.Name + "@" + k.Version }

// baseEcosystem drops a release suffix ("Debian:12" -> "Debian").
func baseEcosystem(eco string) string {
	if i := strings.IndexByte(eco, ':'); i >= 0 {
		return eco[:i]
	}
	return eco
}

// NormalizeName folds a package name the way its ecosystem compares names:
// PyPI names are case-insensitive with runs of -_. equivalent (PEP 503);
// NuGet and Packagist names are case-insensitive; others are exact.
func NormalizeName(ecosystem, name string) string {
	switch baseEcosystem(ecosystem) {
	case "PyPI":
		var b strings.Builder
		sep := false
		for _, r := range strings.ToLower(name) {
			if r == '-' || r == '_' || r == '.' {
				sep = true
				continue
			}
			if sep && b.Len() > 0 {
				b.WriteByte('-')
			}
			sep = false
			b.WriteRune(r)
		}
		return b.String()
	case "NuGet", "Packagist":
		return strings.ToLower(name)
	}
	return name
}
