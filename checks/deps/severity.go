package deps

import (
	"encoding/json"
	"strings"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/deps/cvss"
	"github.com/wardenbot/warden/checks/deps/osv"
)

// unknownSeverity is used when no record of a vulnerability carries a score
// or rating (most Go vulndb entries): medium, so it is shown but does not
// block on the default fail_on: high.
const unknownSeverity = checks.SeverityMedium

// groupSeverity is the highest severity any record of the group states:
// a CVSS v3 vector scored by warden, else the database's own rating (used
// for CVSS v4-only records too).
func groupSeverity(g osv.Group) (checks.Severity, bool) {
	best, known := checks.Severity(0), false
	for _, v := range g.Records {
		if s, ok := recordSeverity(v); ok {
			known = true
			best = max(best, s)
		}
	}
	if !known {
		return unknownSeverity, false
	}
	return best, true
}

func recordSeverity(v *osv.Vuln) (checks.Severity, bool) {
	scores := append([]osv.Severity{}, v.Severity...)
	for _, a := range v.Affected {
		scores = append(scores, a.Severity...)
	}
	best, found := checks.Severity(0), false
	for _, s := range scores {
		if s.Type != "CVSS_V3" {
			continue
		}
		score, err := cvss.Score(s.Score)
		if err != nil {
			continue
		}
		if sev, ok := fromRating(string(cvss.RatingOf(score))); ok {
			best, found = max(best, sev), true
		}
	}
	if found {
		return best, true
	}
	var ds struct {
		Severity string `json:"severity"`
	}
	if len(v.DatabaseSpecific) > 0 && json.Unmarshal(v.DatabaseSpecific, &ds) == nil {
		return fromRating(ds.Severity)
	}
	return 0, false
}

// fromRating maps CVSS ratings and database ratings (GHSA's MODERATE) to
// warden's severities. A CVSS "none" is informational.
func fromRating(r string) (checks.Severity, bool) {
	switch strings.ToLower(strings.TrimSpace(r)) {
	case "critical":
		return checks.SeverityCritical, true
	case "high":
		return checks.SeverityHigh, true
	case "moderate", "medium":
		return checks.SeverityMedium, true
	case "low":
		return checks.SeverityLow, true
	case "none":
		return checks.SeverityInfo, true
	}
	return 0, false
}
