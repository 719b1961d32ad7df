package publish

import (
	"fmt"
	"strings"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/config"
)

// maxTitleBytes bounds the check run's title; GitHub documents no limit,
// and a title is one line in the checks list.
const maxTitleBytes = 1000

// CheckRun is the completed `warden` check run's conclusion and output.
type CheckRun struct {
	Conclusion string
	Title      string
	Summary    string // Markdown, ≤ MaxOutputBytes
}

// CheckRunOutput decides the check run (see conclusion: success only when
// everything was reviewed and nothing blocks) and renders its output.
func CheckRunOutput(in Input) CheckRun {
	s := sortFindings(&in)
	_, overflow := annotated(&in, s)
	return CheckRun{
		Conclusion: conclusion(&in, s),
		Title:      TruncateBytes(title(&in, s), maxTitleBytes),
		Summary:    summary(&in, s, overflow),
	}
}

func title(in *Input, s sorted) string {
	switch {
	case in.SupersededBy != "":
		return "Superseded by a newer commit (" + shaOrUnknown(in.SupersededBy) + ")"
	case in.NotReviewed != nil:
		return notReviewedTitle(in.NotReviewed)
	case in.ConfigError != "":
		return "Configuration error in " + oneLine(Clip(configPath(in), 200))
	case in.Report == nil:
		return "Scan produced no result"
	}
	var t string
	switch b := s.blocking; {
	case len(b) == 1:
		t = fmt.Sprintf("1 new %s finding blocks this PR", b[0].Severity)
	case len(b) > 1:
		t = fmt.Sprintf("%d new findings block this PR (%s)", len(b), severityCounts(b))
	case len(s.open) == 1:
		t = fmt.Sprintf("1 new %s finding (not blocking)", s.open[0].Severity)
	case len(s.open) > 1:
		t = fmt.Sprintf("%d new findings (%s; not blocking)", len(s.open), severityCounts(s.open))
	case len(s.ignored) > 0:
		t = fmt.Sprintf("No new findings (%d ignored)", len(s.ignored))
	default:
		t = "No new findings"
	}
	if in.Approval.Missing() {
		who := "an approver"
		if in.Approval.By != "" {
			who = oneLine(Clip(in.Approval.By, 100))
		}
		if len(s.open) == 0 {
			t = "Approval required from " + who
		} else {
			t += " · approval required"
		}
	}
	if gaps := in.Report.Unscanned(); len(gaps) > 0 {
		t += " · " + gapTitle(gaps)
	}
	return t
}

// severityCounts renders "1 critical, 2 high" for the severities present.
func severityCounts(fs []checks.Finding) string {
	counts := checks.CountBySeverity(fs, nil)
	var parts []string
	for _, sev := range checks.Severities {
		if n := counts[sev]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, sev))
		}
	}
	return strings.Join(parts, ", ")
}

func configPath(in *Input) string {
	if in.Config.Path != "" {
		return in.Config.Path
	}
	return config.Path
}

func shaOrUnknown(sha string) string {
	if sha == "" {
		return "unknown commit"
	}
	return shaText(sha)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%s %s", thousands(n), many)
}

// thousands writes 1200 as "1,200".
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 || len(s) <= 3 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
