package checks

import (
	"fmt"
	"strings"
)

// Suppression markers are comments in the code that silence a finding:
// warden's own `warden:allow`, gitleaks' `gitleaks:allow` (secrets) and
// gosec/bandit's `#nosec` (code). The author of a change writes its lines,
// so a marker only counts where it is not part of the change: in a diff
// scan, both the marker's line and the finding's lines must come from the
// base. A marker the change adds silences nothing and is reported itself
// (SuppressionAdded) for a person with authority to weigh.

// AllowMarker, in a comment on a finding's line or the line above it,
// silences findings there: `warden:allow` silences every rule,
// `warden:allow secrets/generic-api-key code/sql-injection` only those, and
// `warden:allow secrets` a whole category. Words that are neither rule ids
// nor categories are a free-text reason: `warden:allow test fixture`.
const AllowMarker = "warden:allow"

const (
	gitleaksAllowMarker = "gitleaks:allow"
	nosecMarker         = "#nosec"
	// maxMarkerSpan bounds how many lines of a multi-line finding are
	// searched for gitleaks:allow.
	maxMarkerSpan = 16
)

// SuppressionAdded is the rule of a suppression marker the change adds.
const SuppressionAdded = "warden/suppression-added"

var suppressionAddedRule = Rule{
	ID:       SuppressionAdded,
	Title:    "Suppression marker added by the change",
	Severity: SeverityHigh,
	Description: "The change adds a suppression marker (`warden:allow`, `gitleaks:allow` or `#nosec`) where it would silence a finding. " +
		"The author of a change writes its comments too, so a marker only counts once it is in the base branch; until then the finding " +
		"is reported and so is the marker.",
	Remediation: "Have the finding ignored with `/warden ignore W-… <reason>` by someone allowed to, or get the security team's approval. " +
		"Once the change is merged, the marker silences the finding in later changes.",
	HelpURI: "https://github.com/wardenbot/warden/blob/main/docs/configuration.md#silencing-one-line",
}

// BuiltinRules documents the rules the runner itself reports.
func BuiltinRules() []Rule { return []Rule{suppressionAddedRule} }

// marker is a suppression marker found for a finding.
type marker struct {
	text string // as the reader knows it: "warden:allow", "gitleaks:allow", "#nosec"
	line int    // 1-based
}

// findMarker returns the marker that would silence f; line returns a head
// line's text (ok false when unknown). An allow marker on a comment line
// speaks for the line below; one trailing code speaks for its own line.
func findMarker(f *Finding, line func(n int) (string, bool)) (marker, bool) {
	text, ok := line(f.StartLine)
	if !ok {
		return marker{}, false
	}
	above, _ := line(f.StartLine - 1)
	switch {
	case lineAllows(text, f.RuleID):
		return marker{AllowMarker, f.StartLine}, true
	case isCommentLine(above) && lineAllows(above, f.RuleID):
		return marker{AllowMarker, f.StartLine - 1}, true
	}
	switch f.Category {
	case CategorySecrets:
		for n := f.StartLine; n <= min(f.EndLine, f.StartLine+maxMarkerSpan); n++ {
			if l, ok := line(n); ok && strings.Contains(l, gitleaksAllowMarker) {
				return marker{gitleaksAllowMarker, n}, true
			}
		}
	case CategoryCode:
		for _, n := range []int{f.StartLine, f.StartLine - 1} {
			if l, ok := line(n); ok && (strings.Contains(l, nosecMarker) || strings.Contains(l, "# nosec")) {
				return marker{nosecMarker, n}, true
			}
		}
	}
	return marker{}, false
}

// markerFromBase reports whether a marker may silence f in a change: the
// marker's line and the finding's lines are all lines the change did not
// add. A file the diff does not touch is all base.
func markerFromBase(d *Diff, f *Finding, m marker) bool {
	if d == nil {
		return true
	}
	fc := d.File(f.Path)
	if fc == nil {
		return true
	}
	if fc.Status == StatusAdded || fc.Binary {
		return false
	}
	return !fc.Added.Contains(m.line) && !fc.Added.Overlaps(f.StartLine, f.EndLine)
}

// markerAdded reports whether the change wrote the marker's line.
func markerAdded(d *Diff, f *Finding, m marker) bool {
	fc := d.File(f.Path)
	return fc != nil && (fc.Status == StatusAdded || fc.Binary || fc.Added.Contains(m.line))
}

// suppressionAdded is the finding for a marker the change adds that would
// silence f. markerText is the marker line's text.
func suppressionAdded(f *Finding, m marker, markerText string) Finding {
	out := Finding{
		RuleID:    SuppressionAdded,
		Category:  f.Category,
		Severity:  SeverityHigh,
		Path:      f.Path,
		StartLine: m.line,
		EndLine:   m.line,
		Message: fmt.Sprintf("suppression added by this change: %s on line %d silences %s — needs `/warden ignore` or the security team's approval",
			m.text, m.line, f.RuleID),
		Remediation: suppressionAddedRule.Remediation,
		Key:         markerText + "\x00" + f.RuleID + "\x00" + f.Key,
		Commit:      f.Commit,
	}
	switch {
	case m.line == f.StartLine:
		out.Snippet = f.Snippet // a secret's is masked
	case f.Category != CategorySecrets:
		out.Snippet = clip(strings.TrimRight(markerText, " \t\r"), maxSnippet)
	}
	return out
}

var commentLeaders = []string{"//", "#", "/*", "*", "--", "<!--", ";", "%", "'", "rem ", "REM "}

func isCommentLine(s string) bool {
	s = strings.TrimSpace(s)
	for _, l := range commentLeaders {
		if strings.HasPrefix(s, l) {
			return true
		}
	}
	return false
}

func lineAllows(line, rule string) bool {
	for rest := line; ; {
		i := strings.Index(rest, AllowMarker)
		if i < 0 {
			return false
		}
		rest = rest[i+len(AllowMarker):]
		if rest != "" && isIDByte(rest[0]) {
			continue // "warden:allowance" is not the marker
		}
		var ids []string
		for _, w := range strings.FieldsFunc(rest, func(r rune) bool { return r == ' ' || r == '\t' || r == ',' }) {
			if looksLikeRuleID(w) || isCategory(w) {
				ids = append(ids, w)
				continue
			}
			break
		}
		if len(ids) == 0 {
			return true
		}
		category, _, _ := strings.Cut(rule, "/")
		for _, id := range ids {
			if id == rule || id == category || id == category+"/*" {
				return true
			}
		}
	}
}

func isIDByte(b byte) bool {
	return b == '-' || b == '_' || b == '/' || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
}

// looksLikeRuleID accepts "category/name" (or "category/*"), not comment
// closers like "*/".
func looksLikeRuleID(w string) bool {
	cat, name, ok := strings.Cut(w, "/")
	return ok && isCategory(cat) && name != ""
}

func isCategory(w string) bool {
	for _, c := range Categories {
		if string(c) == w {
			return true
		}
	}
	return false
}
