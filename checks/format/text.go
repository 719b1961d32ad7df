package format

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/wardenbot/warden/checks"
)

var severityLabel = map[checks.Severity]string{
	checks.SeverityCritical: "CRIT",
	checks.SeverityHigh:     "HIGH",
	checks.SeverityMedium:   "MED ",
	checks.SeverityLow:      "LOW ",
	checks.SeverityInfo:     "INFO",
}

var severityColor = map[checks.Severity]string{
	checks.SeverityCritical: "\x1b[1;31m",
	checks.SeverityHigh:     "\x1b[31m",
	checks.SeverityMedium:   "\x1b[33m",
	checks.SeverityLow:      "\x1b[36m",
	checks.SeverityInfo:     "\x1b[2m",
}

const (
	ansiBold  = "\x1b[1m"
	ansiDim   = "\x1b[2m"
	ansiReset = "\x1b[0m"
)

// Text renders findings grouped by file, severity first, with the source
// line under each, then notes, check errors and a one-line total.
func Text(w io.Writer, r *checks.Report, o Options) error {
	bw := bufio.NewWriter(w)
	paint := func(code, s string) string {
		if !o.Color {
			return s
		}
		return code + s + ansiReset
	}
	fs := shown(r)
	width := 1
	for _, f := range fs {
		width = max(width, len(strconv.Itoa(f.StartLine)))
	}
	lastPath := ""
	for _, f := range fs {
		if f.Path != lastPath {
			fmt.Fprintln(bw, paint(ansiBold, Sanitize(f.Path)))
			lastPath = f.Path
		}
		fmt.Fprintf(bw, " %*d  %s  %s  %s  %s\n", width, f.StartLine,
			paint(severityColor[f.Severity], severityLabel[f.Severity]),
			f.RuleID, Sanitize(f.Message), paint(ansiDim, f.ID()))
		if f.Snippet != "" {
			fmt.Fprintf(bw, " %*s      %s\n", width, "", paint(ansiDim, Sanitize(strings.TrimSpace(f.Snippet))))
		}
	}
	if len(fs) > 0 {
		fmt.Fprintln(bw)
	}
	for _, n := range r.Notes {
		if !n.Unscanned {
			fmt.Fprintf(bw, "%s %s%s\n", paint(ansiDim, "note:"), where(n), Sanitize(n.Message))
		}
	}
	// What the review could not check stands apart: it keeps the change
	// from passing like a blocking finding does.
	if gaps := r.Unscanned(); len(gaps) > 0 {
		fmt.Fprintln(bw, paint(severityColor[checks.SeverityHigh], "Not checked:"))
		for _, n := range gaps {
			what := where(n)
			if what == "" {
				what = n.Check + ": "
			}
			fmt.Fprintf(bw, "  %s%s\n", what, Sanitize(firstLine(n.Message)))
		}
	}
	fmt.Fprintln(bw, summaryLine(r))
	return bw.Flush()
}

func where(n checks.Note) string {
	if n.Path == "" {
		return ""
	}
	return Sanitize(n.Path) + ": "
}

// summaryLine is the one-line total under the findings.
func summaryLine(r *checks.Report) string {
	blocking := r.Blocking()
	newOnes := r.New()
	var parts []string
	switch {
	case len(newOnes) == 0:
		parts = append(parts, "No findings")
		if r.IsDiff() {
			parts[0] = "No new findings"
		}
	case len(blocking) > 0:
		s := plural(len(blocking), "blocking finding", "blocking findings")
		s += " (" + severityCounts(checks.CountBySeverity(blocking, nil)) + ")"
		if rest := len(newOnes) - len(blocking); rest > 0 {
			s += fmt.Sprintf(", %d not blocking", rest)
		}
		parts = append(parts, s)
	default:
		parts = append(parts, plural(len(newOnes), "finding", "findings")+" (not blocking; fail_on: "+r.FailOn.String()+")")
	}
	if n := len(r.Unscanned()); n > 0 {
		s := plural(n, "part", "parts") + " not checked"
		if r.AcceptUnscanned {
			s += " (accepted by on_unscanned)"
		}
		parts = append(parts, s)
	}
	if n := r.Preexisting(); n > 0 {
		parts = append(parts, fmt.Sprintf("%d already on base (not shown)", n))
	}
	if r.IsDiff() {
		parts = append(parts, fmt.Sprintf("%s in %s of %s",
			plural(r.Stats.AddedLines, "added line", "added lines"),
			plural(r.Stats.Files, "file", "files"),
			plural(r.Stats.Commits, "commit", "commits")))
	} else {
		parts = append(parts, plural(r.Stats.Files, "file", "files"))
	}
	parts = append(parts, formatDuration(r.Stats.Duration))
	return strings.Join(parts, " · ")
}

func formatDuration(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Sanitize makes untrusted text (file names, messages quoting source) safe
// for a terminal: control characters, including ANSI escapes, become
// visible escapes instead of acting on the terminal.
func Sanitize(s string) string {
	clean := true
	for _, r := range s {
		if unicode.IsControl(r) && r != '\t' {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) && r != '\t' {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
