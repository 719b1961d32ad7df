package publish

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/wardenbot/warden/checks"
)

const maxReferences = 5

// commentBody is one inline comment, per ux.md: heading, message, fix, a
// suggestion when the fix replaces exactly the anchored lines, the commands
// footer and the hidden marker. It always fits the comment budgets: long
// text is clipped harder until it does, and a suggestion that does not fit
// is left out rather than cut (a cut suggestion would be wrong code).
func commentBody(in *Input, f *checks.Finding, start, end int) string {
	for _, limit := range []int{4000, 1000, 200} {
		head := commentText(in, f, limit)
		foot := commentFooter(f)
		if sug := suggestion(f, start, end); sug != "" {
			if body := head + sug + "\n\n" + foot; fitsComment(body) {
				return body
			}
		}
		if body := head + foot; fitsComment(body) {
			return body
		}
	}
	return TruncateBytes(commentFooter(f), MaxCommentBytes) // unreachable with the clips above
}

// commentText is everything above the suggestion, each paragraph followed
// by a blank line.
func commentText(in *Input, f *checks.Finding, limit int) string {
	var b strings.Builder
	b.WriteString("**" + severityIcon[f.Severity] + " " + severityWord(f.Severity) + " · " + Escape(f.Category.Title()))
	if t := in.ruleTitle(f.RuleID); t != "" {
		b.WriteString(" · " + Escape(Clip(t, 200)))
	}
	b.WriteString("** " + Code(Clip(f.RuleID, 200)) + "\n\n")
	b.WriteString(EscapeMessage(Clip(f.Message, limit)) + "\n\n")
	if f.Remediation != "" {
		b.WriteString("**Fix:** " + EscapeMessage(Clip(f.Remediation, limit)) + "\n\n")
	}
	if refs := references(f.References); refs != "" {
		b.WriteString(refs + "\n\n")
	}
	return b.String()
}

// suggestion is a ```suggestion block when the finding's fix replaces
// exactly the anchored lines, so "Commit suggestion" does what it says.
// A replacement holding a warden marker line is never suggested: it would
// read as a marker in warden's own comment.
func suggestion(f *checks.Finding, start, end int) string {
	fix := f.Fix
	if fix == nil || fix.StartLine != start || max(fix.EndLine, fix.StartLine) != end || containsMarkerLine(fix.Replacement) {
		return ""
	}
	return Fence("suggestion", fix.Replacement)
}

func commentFooter(f *checks.Finding) string {
	id := f.ID()
	foot := fmt.Sprintf("<sub>%s · `/warden explain %s` · `/warden ignore %s <reason>` (reply here to ignore this one)</sub>", id, id, id)
	if m := FormatMarker(f.Fingerprint); m != "" {
		foot += "\n" + m
	}
	return foot
}

// references links up to maxReferences http(s) references by their last
// path segment ("GHSA-p6mc-m468-83gw"); others are shown as text.
func references(refs []string) string {
	var parts []string
	for i, r := range refs {
		if i == maxReferences {
			parts = append(parts, fmt.Sprintf("and %d more", len(refs)-i))
			break
		}
		r = Clip(r, 500)
		parts = append(parts, Link(referenceLabel(r), r))
	}
	if len(parts) == 0 {
		return ""
	}
	return "References: " + strings.Join(parts, ", ")
}

func referenceLabel(ref string) string {
	u, err := url.Parse(ref)
	if err != nil || u.Host == "" {
		return ref
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	if last := segs[len(segs)-1]; last != "" {
		return last
	}
	return u.Host
}
