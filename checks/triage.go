package checks

import (
	"context"
	"sort"
	"strings"
)

// AllowMarker, in a comment on a finding's line or the line above it,
// silences findings there: `warden:allow` silences every rule,
// `warden:allow secrets/generic-api-key code/sql-injection` only those, and
// `warden:allow secrets` a whole category. Words that are neither rule ids
// nor categories are a free-text reason: `warden:allow test fixture`.
const AllowMarker = "warden:allow"

// InlineAllowed reports whether an allow marker on line, or on a comment
// line just above it, silences rule. A marker trailing code on the line
// above speaks for that line only.
func InlineAllowed(line, above, rule string) bool {
	return lineAllows(line, rule) || (isCommentLine(above) && lineAllows(above, rule))
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

const maxSnippet = 240

// triage turns what the checks returned into the report's findings: it drops
// ignored paths and allowed lines, fills snippets and fingerprints, decides
// which findings the change introduced, and sorts them.
func triage(ctx context.Context, t *Target, opts Options, in []Finding) []Finding {
	lines := fileLines{tree: t.Head, cache: map[string][]string{}}
	ignoredFP := map[string]bool{}
	for _, fp := range opts.IgnoreFingerprints {
		ignoredFP[strings.ToLower(strings.TrimPrefix(strings.TrimSpace(fp), "W-"))] = true
	}
	out := in[:0]
	for _, f := range in {
		if opts.Ignore.Match(f.Path) {
			continue
		}
		if f.EndLine < f.StartLine {
			f.EndLine = f.StartLine
		}
		// Lines of the head only make sense for findings that are in the
		// head; a secret from a commit that a later commit deleted carries
		// its own snippet and was allow-checked by its check.
		if f.Commit == "" || !f.Introduced {
			text := lines.get(ctx, f.Path)
			if f.StartLine <= len(text) {
				above := ""
				if f.StartLine >= 2 {
					above = text[f.StartLine-2]
				}
				if InlineAllowed(text[f.StartLine-1], above, f.RuleID) {
					continue
				}
				if f.Snippet == "" && f.Category != CategorySecrets {
					f.Snippet = clip(strings.TrimRight(text[f.StartLine-1], " \t\r"), maxSnippet)
				}
			}
		}
		if f.Key == "" {
			if text := lines.get(ctx, f.Path); f.StartLine <= len(text) && f.Category != CategorySecrets {
				f.Key = text[f.StartLine-1]
			} else {
				f.Key = f.Message
			}
		}
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.StartLine != b.StartLine {
			return a.StartLine < b.StartLine
		}
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		return a.RuleID < b.RuleID
	})
	assignFingerprints(out)
	kept := out[:0]
	for _, f := range out {
		if ignoredFP[f.Fingerprint] || ignoredFP[f.Fingerprint[:8]] {
			continue
		}
		f.New = isNew(t.Diff, &f)
		kept = append(kept, f)
	}
	return kept
}

// isNew decides whether the change introduced a finding: always in a tree
// scan; in a diff scan when the check established it from the change's
// history, or when it sits on a line the change adds and the check did not
// establish that it predates the change.
func isNew(d *Diff, f *Finding) bool {
	if d == nil || f.Introduced {
		return true
	}
	if f.Baseline {
		return false
	}
	fc := d.File(f.Path)
	return fc != nil && fc.Added.Overlaps(f.StartLine, f.EndLine)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && (s[cut]&0xC0) == 0x80 { // keep UTF-8 sequences whole
		cut--
	}
	return s[:cut] + "…"
}

// fileLines caches the head's lines of the files findings point into.
type fileLines struct {
	tree  Tree
	cache map[string][]string
}

func (fl *fileLines) get(ctx context.Context, path string) []string {
	if l, ok := fl.cache[path]; ok {
		return l
	}
	var lines []string
	if b, err := fl.tree.ReadFile(ctx, path); err == nil && !LooksBinary(path, b) {
		lines = strings.Split(string(b), "\n")
	}
	fl.cache[path] = lines
	return lines
}
