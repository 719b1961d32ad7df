package publish

import (
	"fmt"
	"strings"
	"time"

	"github.com/wardenbot/warden/checks"
)

// Caps that keep the fixed parts of the summary small, so the finding lists
// get nearly all of the 65,535 bytes.
const (
	maxListedNotes   = 20
	maxListedIgnored = 20
	maxItemRunes     = 300  // one list item's message
	maxErrorRunes    = 2000 // a configuration error shown in full
	listReserve      = 200  // room for the "… N more" line
)

// summary renders the check run's Markdown within MaxOutputBytes.
func summary(in *Input, s sorted, annotationOverflow int) string {
	if in.SupersededBy != "" {
		return fmt.Sprintf("A newer commit (%s) was pushed to this pull request; warden reviews that one instead, so nothing is reported for this commit.\n\n%s",
			shaOrUnknown(in.SupersededBy), footer(in))
	}
	if in.NotReviewed != nil {
		return TruncateBytes(notReviewedSummary(in), MaxOutputBytes)
	}
	var head strings.Builder
	if in.ConfigError != "" {
		fmt.Fprintf(&head, "**Configuration error** in %s%s: warden cannot apply it, so this check fails until the file is fixed on the base branch.\n\n%s\n\n",
			Code(Clip(configPath(in), 200)), atBase(in.Config.SHA), Fence("", Clip(in.ConfigError, maxErrorRunes)))
	}
	if in.Report == nil {
		if in.ConfigError == "" {
			head.WriteString("warden could not produce a result for this commit, so this check fails rather than pass unchecked. Comment `/warden rescan` to try again.\n\n")
		}
		return TruncateBytes(head.String()+footer(in), MaxOutputBytes)
	}
	gaps := in.Report.Unscanned()
	if len(gaps) > 0 {
		head.WriteString(gapsBanner(in, gaps))
	}
	if len(in.Report.Findings) == 0 {
		head.WriteString("✅ Nothing to fix in the lines this pull request adds.\n\n")
	} else {
		head.WriteString(table(in, s))
	}
	head.WriteString(checksLine(in.Report, gaps))
	if in.Approval.Required {
		head.WriteString(approvalSection(in.Approval))
	}

	var tail strings.Builder
	tail.WriteString(ignoredSection(in, s.ignored))
	tail.WriteString(gapsSection(gaps))
	tail.WriteString(notesSection(in, s, annotationOverflow))
	tail.WriteString(footer(in))

	budget := MaxOutputBytes - head.Len() - tail.Len() - listReserve
	lists := findingLists(in, s, budget)
	return TruncateBytes(head.String()+lists+tail.String(), MaxOutputBytes)
}

func atBase(sha string) string {
	if sha == "" {
		return ""
	}
	return " @ base " + shaText(sha)
}

// gapsBanner says at the top that the review is incomplete and what that
// does to the check.
func gapsBanner(in *Input, gaps []checks.Note) string {
	what := "part of this change was"
	if len(gaps) > 1 {
		what = fmt.Sprintf("%d parts of this change were", len(gaps))
	}
	effect := "so this check does not pass until they are checked (comment `/warden rescan` after a fix, or split the change)"
	if in.onUnscanned() == ConclusionNeutral {
		effect = "and this repository's `on_unscanned: neutral` lets the check pass anyway"
	}
	return "⚠️ **Not reviewed in full:** " + what + " not checked (listed under **Not checked** below), " + effect + ". Findings may be missing.\n\n"
}

// table counts findings per row and severity; an info column appears only
// when an info finding exists.
func table(in *Input, s sorted) string {
	sevs := []checks.Severity{checks.SeverityCritical, checks.SeverityHigh, checks.SeverityMedium, checks.SeverityLow}
	for _, f := range in.Report.Findings {
		if f.Severity == checks.SeverityInfo {
			sevs = append(sevs, checks.SeverityInfo)
			break
		}
	}
	base := "base"
	if in.BaseBranch != "" {
		base = Escape(Clip(in.BaseBranch, 100))
	}
	var b strings.Builder
	b.WriteString("| |")
	for _, sev := range sevs {
		b.WriteString(" " + sev.String() + " |")
	}
	b.WriteString("\n|---|" + strings.Repeat("---|", len(sevs)) + "\n")
	row := func(label string, fs []checks.Finding) {
		counts := checks.CountBySeverity(fs, nil)
		b.WriteString("| " + label + " |")
		for _, sev := range sevs {
			fmt.Fprintf(&b, " %d |", counts[sev])
		}
		b.WriteByte('\n')
	}
	row("**New in this PR**", s.open)
	row("Already on "+base+" (not blocking)", s.preexisting)
	row("Ignored", s.ignored)
	b.WriteByte('\n')
	return b.String()
}

// findingLists renders the blocking and the other new findings, worst first,
// within budget bytes; what does not fit is counted, never silently lost.
func findingLists(in *Input, s sorted, budget int) string {
	var b strings.Builder
	left := len(s.blocking) + len(s.notBlocking)
	section := func(heading string, fs []checks.Finding) {
		if len(fs) == 0 {
			return
		}
		if b.Len()+len(heading) > budget {
			return
		}
		b.WriteString(heading)
		for i := range fs {
			item := summaryItem(in, &fs[i])
			if b.Len()+len(item) > budget {
				return
			}
			b.WriteString(item)
			left--
		}
		b.WriteByte('\n')
	}
	section(fmt.Sprintf("**Blocking** (fail_on: %s)\n", in.failOn()), s.blocking)
	section(fmt.Sprintf("**Not blocking** (below fail_on: %s)\n", in.failOn()), s.notBlocking)
	if left > 0 {
		if !strings.HasSuffix(b.String(), "\n\n") && b.Len() > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "… %s in the annotations.\n\n", plural(left, "more finding", "more findings"))
	}
	return b.String()
}

// summaryItem is one finding on one line:
// "- 🔴 high · `secrets/aws-access-key` message — [path:7](link)".
func summaryItem(in *Input, f *checks.Finding) string {
	return fmt.Sprintf("- %s %s · %s %s — %s\n", severityIcon[f.Severity], f.Severity,
		Code(Clip(f.RuleID, 100)), EscapeMessage(oneLine(Clip(firstLine(f.Message), maxItemRunes))), place(in, f))
}

// place is "path:line", linked to the line when a link builder is given.
func place(in *Input, f *checks.Finding) string {
	text := fmt.Sprintf("%s:%d", Clip(f.Path, 200), f.StartLine)
	if href := in.link(f); href != "" {
		return Link(text, href)
	}
	return Escape(text)
}

func approvalSection(a Approval) string {
	if len(a.Rules) > 0 {
		return ruleApprovals(a.Rules)
	}
	var paths []string
	for i, p := range a.Paths {
		if i == 5 {
			paths = append(paths, fmt.Sprintf("and %d more", len(a.Paths)-5))
			break
		}
		paths = append(paths, Code(Clip(p, 200)))
	}
	touched := "paths that need sign-off"
	if len(paths) > 0 {
		touched = strings.Join(paths, ", ")
	}
	who := "someone allowed to approve"
	if a.By != "" {
		who = "a member of " + Code(Clip(a.By, 100))
	}
	if a.ApprovedBy != "" {
		return fmt.Sprintf("**Approved** by %s for the sensitive paths this PR touches (%s).\n\n", Escape(Clip(a.ApprovedBy, 100)), touched)
	}
	return fmt.Sprintf("**Approval required:** this PR touches %s. It needs %s to comment `/warden approve`.\n\n", touched, who)
}

// ruleApprovals lists each rule the change falls under: approved, and by
// whom, or still missing, and who must approve.
func ruleApprovals(rules []RuleApproval) string {
	approved := 0
	for _, r := range rules {
		if r.ApprovedBy != "" {
			approved++
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "**Approvals:** %d of %d rules approved.\n", approved, len(rules))
	for i, r := range rules {
		if i == 10 {
			fmt.Fprintf(&b, "- and %d more rules\n", len(rules)-10)
			break
		}
		var paths []string
		for j, p := range r.Paths {
			if j == 3 {
				paths = append(paths, fmt.Sprintf("and %d more", len(r.Paths)-3))
				break
			}
			paths = append(paths, Code(Clip(p, 200)))
		}
		who := "someone allowed to approve"
		if r.By != "" {
			who = approverName(r.By)
		}
		if r.ApprovedBy != "" {
			fmt.Fprintf(&b, "- ✅ %s (%s): approved by %s\n", strings.Join(paths, ", "), Escape(Clip(r.Name, 120)), Escape(Clip(r.ApprovedBy, 100)))
			continue
		}
		fmt.Fprintf(&b, "- ❌ %s (%s): needs %s to comment `/warden approve`\n", strings.Join(paths, ", "), Escape(Clip(r.Name, 120)), who)
	}
	return b.String() + "\n"
}

// approverName shows who approves without pinging a team.
func approverName(by string) string {
	switch by {
	case "write":
		return "someone with write access"
	case "admin":
		return "a repository admin"
	}
	return "a member of " + Code(Clip(by, 100))
}

func ignoredSection(in *Input, fs []checks.Finding) string {
	if len(fs) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("**Ignored on this PR**\n")
	for i := range fs {
		if i == maxListedIgnored {
			fmt.Fprintf(&b, "- … and %d more\n", len(fs)-i)
			break
		}
		f := &fs[i]
		sup := in.Ignored[f.Fingerprint]
		why := ""
		if sup.Reason != "" {
			why = ": " + Escape(Clip(sup.Reason, maxItemRunes))
		}
		by := ""
		if sup.By != "" {
			by = " by " + Escape(Clip(sup.By, 100))
		}
		fmt.Fprintf(&b, "- %s %s · %s — %s — ignored%s%s\n", f.ID(), f.Severity, Code(Clip(f.RuleID, 100)), place(in, f), by, why)
	}
	b.WriteByte('\n')
	return b.String()
}

func notesSection(in *Input, s sorted, annotationOverflow int) string {
	var items []string
	if annotationOverflow > 0 {
		shown := len(s.open) + len(s.ignored) - annotationOverflow
		items = append(items, fmt.Sprintf("Annotations show the %s most severe of %s new findings; `warden scan --base <base>` lists them all.",
			thousands(shown), thousands(shown+annotationOverflow)))
	}
	var notes []checks.Note
	for _, n := range in.Report.Notes {
		if !n.Unscanned {
			notes = append(notes, n)
		}
	}
	for i, n := range notes {
		if i == maxListedNotes {
			items = append(items, fmt.Sprintf("… and %d more notes.", len(notes)-i))
			break
		}
		where := ""
		if n.Path != "" {
			where = Code(Clip(n.Path, 200)) + ": "
		}
		items = append(items, where+EscapeMessage(oneLine(Clip(n.Message, maxItemRunes))))
	}
	if len(items) == 0 {
		return ""
	}
	return "**Notes**\n- " + strings.Join(items, "\n- ") + "\n\n"
}

// checksLine says how each check fared, so one that did not finish or left
// part of the change unchecked is named where a reviewer looks first.
func checksLine(r *checks.Report, gaps []checks.Note) string {
	if len(r.Ran) == 0 {
		return ""
	}
	failed, partial := map[string]bool{}, map[string]int{}
	for _, e := range r.Errors {
		failed[e.Check] = true
	}
	for _, g := range gaps {
		partial[g.Check]++
	}
	var parts []string
	for _, name := range r.Ran {
		n := Escape(Clip(name, 40))
		switch {
		case failed[name]:
			parts = append(parts, "❌ "+n+" did not finish")
		case partial[name] > 0:
			parts = append(parts, fmt.Sprintf("⚠️ %s %s not checked", n, plural(partial[name], "part", "parts")))
		default:
			parts = append(parts, "✅ "+n)
		}
	}
	line := "**Checks:** " + strings.Join(parts, " · ")
	if n := partial["warden"]; n > 0 {
		line += fmt.Sprintf(" · ⚠️ %s of the change not checked", plural(n, "part", "parts"))
	}
	return line + "\n\n"
}

// gapsSection lists what was not checked: checks that did not finish and
// files or data the checks could not cover.
func gapsSection(gaps []checks.Note) string {
	if len(gaps) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("**Not checked** (findings here may be missing)\n")
	for i, g := range gaps {
		if i == maxListedNotes {
			fmt.Fprintf(&b, "- … and %d more\n", len(gaps)-i)
			break
		}
		where := Code(Clip(g.Check, 100))
		if g.Path != "" {
			where += " " + Code(Clip(g.Path, 200))
		}
		fmt.Fprintf(&b, "- %s: %s\n", where, EscapeMessage(oneLine(Clip(firstLine(g.Message), maxItemRunes))))
	}
	b.WriteByte('\n')
	return b.String()
}

// footer says what was scanned, with which configuration and version, and
// how to ignore a finding.
func footer(in *Input) string {
	var parts []string
	if r := in.Report; r != nil {
		st := r.Stats
		if r.IsDiff() {
			parts = append(parts, fmt.Sprintf("Scanned %s in %s of %s in %s",
				plural(st.AddedLines, "changed line", "changed lines"), plural(st.Files, "file", "files"),
				plural(st.Commits, "commit", "commits"), seconds(st.Duration)))
		} else {
			parts = append(parts, fmt.Sprintf("Scanned %s in %s", plural(st.Files, "file", "files"), seconds(st.Duration)))
		}
	}
	if in.Config.Path != "" {
		parts = append(parts, "config: "+Escape(Clip(in.Config.Path, 200))+atBase(in.Config.SHA))
	} else if in.ConfigError == "" {
		parts = append(parts, "config: defaults (no "+configPath(in)+" at base)")
	}
	if in.Version != "" {
		parts = append(parts, "warden "+Escape(Clip(in.Version, 40)))
	}
	out := strings.Join(parts, " · ")
	if in.Report != nil && in.SupersededBy == "" {
		out += "\nTo ignore a finding: reply `/warden ignore <id> <reason>` under its comment. `/warden help` for more."
	}
	return out + "\n"
}

func seconds(d time.Duration) string {
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
