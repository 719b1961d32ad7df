package publish

import (
	"sort"

	"github.com/wardenbot/warden/checks"
)

// sorted splits a report's findings into the rows of the summary table.
// Every finding lands in exactly one: ignored (by a person, on this PR) wins
// over new and pre-existing.
type sorted struct {
	open        []checks.Finding // new and not ignored, worst first
	blocking    []checks.Finding // open ones at or above fail_on
	notBlocking []checks.Finding // open ones below fail_on
	preexisting []checks.Finding
	ignored     []checks.Finding
}

func sortFindings(in *Input) sorted {
	var s sorted
	if in.Report == nil {
		return s
	}
	failOn := in.failOn()
	for _, f := range in.Report.Findings {
		switch _, ignored := in.Ignored[f.Fingerprint]; {
		case ignored:
			s.ignored = append(s.ignored, f)
		case !f.New:
			s.preexisting = append(s.preexisting, f)
		default:
			s.open = append(s.open, f)
		}
	}
	worstFirst(s.open)
	worstFirst(s.ignored)
	for _, f := range s.open {
		if checks.Blocks(f.Severity, failOn) {
			s.blocking = append(s.blocking, f)
		} else {
			s.notBlocking = append(s.notBlocking, f)
		}
	}
	return s
}

// worstFirst orders findings by severity, then place, so any cap drops the
// least severe ones.
func worstFirst(fs []checks.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := &fs[i], &fs[j]
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.StartLine != b.StartLine {
			return a.StartLine < b.StartLine
		}
		if a.RuleID != b.RuleID {
			return a.RuleID < b.RuleID
		}
		return a.Fingerprint < b.Fingerprint
	})
}

var severityIcon = map[checks.Severity]string{
	checks.SeverityCritical: "🔴",
	checks.SeverityHigh:     "🔴",
	checks.SeverityMedium:   "🟠",
	checks.SeverityLow:      "🟡",
	checks.SeverityInfo:     "⚪",
}

// severityWord is "High" for headings; Severity.String is "high" for lists.
func severityWord(s checks.Severity) string {
	w := s.String()
	if w == "" {
		return w
	}
	return string(w[0]-'a'+'A') + w[1:]
}
