package deps

import (
	"fmt"
	"strings"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/deps/osv"
)

const (
	ruleOSV     = "dependencies/osv"
	ruleLicense = "dependencies/license"
	maxRefs     = 10
	maxListed   = 4
)

// vulnFinding reports one declared package with its advisories, or ok=false
// when none applies.
func vulnFinding(p declared, vulns []*osv.Vuln) (checks.Finding, bool) {
	groups := osv.GroupAliases(vulns)
	if len(groups) == 0 {
		return checks.Finding{}, false
	}
	key := osv.PackageKey{Ecosystem: p.Ecosystem, Name: p.Name, Version: p.Version}
	severity := checks.Severity(0)
	var records []*osv.Vuln
	ids := make([]string, 0, len(groups))
	for _, g := range groups {
		s, _ := groupSeverity(g)
		severity = max(severity, s)
		records = append(records, g.Records...)
		ids = append(ids, g.ID)
	}
	fix, fixed := osv.LowestFix(key, records)

	var msg strings.Builder
	fmt.Fprintf(&msg, "%s %s has %s (%s)", p.Name, p.Version, plural(len(groups), "advisory", "advisories"), listIDs(ids))
	if len(groups) == 1 && groups[0].Records[0].Summary != "" {
		fmt.Fprintf(&msg, ": %s", oneLine(groups[0].Records[0].Summary))
	}
	var remediation string
	if fixed {
		fmt.Fprintf(&msg, "; upgrade to %s", fix)
		remediation = fmt.Sprintf("Upgrade %s to %s or later, the lowest version that fixes every advisory listed%s.", p.Name, fix, regenerateHint(p.Path))
	} else {
		msg.WriteString("; no release fixes all of them yet")
		remediation = fmt.Sprintf("No published version of %s fixes every advisory listed. Read them for workarounds, limit the affected feature, or replace the dependency.", p.Name)
	}
	f := checks.Finding{
		RuleID:      ruleOSV,
		Category:    checks.CategoryDependencies,
		Severity:    severity,
		Path:        p.Path,
		StartLine:   p.Line,
		EndLine:     p.Line,
		Message:     msg.String(),
		Remediation: remediation,
		References:  references(groups),
		Key:         key.String(),
		Introduced:  p.introduced,
		Baseline:    p.preexisting,
	}
	if fixed {
		f.Fix = bumpFix(p, fix)
	}
	return f, true
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func listIDs(ids []string) string {
	if len(ids) <= maxListed {
		return strings.Join(ids, ", ")
	}
	return strings.Join(ids[:maxListed], ", ") + fmt.Sprintf(" and %d more", len(ids)-maxListed)
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

// regenerateHint tells lockfile users to change the manifest, not the lock.
func regenerateHint(path string) string {
	base := path[strings.LastIndexByte(path, '/')+1:]
	switch {
	case strings.HasSuffix(base, ".txt"), base == "go.mod", base == "pom.xml":
		return ""
	}
	return " (raise the requirement in the manifest, or add an override for a transitive dependency, then regenerate " + base + ")"
}

// references lists each advisory's page and its ADVISORY links, bounded.
func references(groups []osv.Group) []string {
	seen := map[string]bool{}
	var out []string
	add := func(u string) {
		if u != "" && !seen[u] && len(out) < maxRefs {
			seen[u] = true
			out = append(out, u)
		}
	}
	for _, g := range groups {
		add("https://osv.dev/vulnerability/" + g.ID)
	}
	for _, g := range groups {
		for _, r := range g.Records {
			for _, ref := range r.References {
				if ref.Type == "ADVISORY" && strings.HasPrefix(ref.URL, "https://") {
					add(ref.URL)
				}
			}
		}
	}
	return out
}
