package deps

import (
	"context"
	"fmt"
	"strings"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/deps/license"
)

// licenseFindings applies the license policy to the packages the change
// introduces (every package in a full scan).
func (c *Check) licenseFindings(ctx context.Context, t *checks.Target, pkgs []declared) []checks.Finding {
	if c.policy.Empty() {
		return nil
	}
	var subject []*declared
	for i := range pkgs {
		if !t.IsDiff() || pkgs[i].introduced {
			subject = append(subject, &pkgs[i])
		}
	}
	c.lookupLicenses(ctx, t, subject)
	var out []checks.Finding
	for _, p := range subject {
		verdict, offending := c.policy.Evaluate(p.License)
		var msg, remediation string
		severity := checks.SeverityHigh
		switch verdict {
		case license.Denied:
			msg = fmt.Sprintf("%s %s is licensed %s, which this repository's policy denies (%s)", p.Name, p.Version, p.License, strings.Join(offending, ", "))
			remediation = "Replace the dependency with one under an accepted license, or get the license approved and allowed in .github/warden.yml (licenses.allow)."
		case license.NotAllowed:
			msg = fmt.Sprintf("%s %s is licensed %s, which is not on this repository's allow list (%s)", p.Name, p.Version, p.License, strings.Join(offending, ", "))
			remediation = "Replace the dependency, or add the license to licenses.allow in .github/warden.yml after legal review."
			severity = checks.SeverityMedium
		case license.Unknown:
			if !c.opts.ReportUnknownLicenses {
				continue
			}
			what := "has no license recorded"
			if p.License != "" {
				what = fmt.Sprintf("has a license warden cannot read (%q)", p.License)
			}
			msg = fmt.Sprintf("%s %s %s, so the license policy cannot be checked", p.Name, p.Version, what)
			remediation = "Check the package's license by hand; if it is acceptable, silence this line with a warden:allow comment or add the package's license to the lockfile."
			severity = checks.SeverityLow
		default:
			continue
		}
		out = append(out, checks.Finding{
			RuleID:      ruleLicense,
			Category:    checks.CategoryDependencies,
			Severity:    severity,
			Path:        p.Path,
			StartLine:   p.Line,
			EndLine:     p.Line,
			Message:     msg,
			Remediation: remediation,
			References:  []string{"https://spdx.org/licenses/"},
			Key:         p.Key() + " " + p.License,
			Introduced:  p.introduced,
		})
	}
	return out
}

// lookupLicenses fills licenses the lockfile lacks from deps.dev, when it
// is configured and the network is allowed.
func (c *Check) lookupLicenses(ctx context.Context, t *checks.Target, pkgs []*declared) {
	if c.opts.DepsDevURL == "" || c.opts.Offline {
		return
	}
	dd := &depsDev{base: c.opts.DepsDevURL, http: c.opts.HTTPClient}
	var missing []*declared
	for _, p := range pkgs {
		if p.License == "" {
			missing = append(missing, p)
		}
	}
	failures := dd.fill(ctx, missing)
	if failures > 0 {
		t.AddNote(checks.Note{Check: c.Name(), Message: fmt.Sprintf("licenses of %d package(s) could not be looked up on deps.dev", failures)})
	}
}
