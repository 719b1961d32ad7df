package secrets

import (
	"regexp"
	"regexp/syntax"
	"strings"
)

// maxAnchorWords bounds the keyword group's language we enumerate.
const maxAnchorWords = 64

// keywordAnchor handles rules shaped P·K·S where every string K matches
// begins with one of the rule's own keywords: gitleaks' generic templates
// ("(?:access|auth|key|…)"), prefixed tokens ("(?:AKIA|ASIA|…)[A-Z2-7]{16}").
// Every match then has K at the start of some keyword hit, so the regex ^K·S, tried at each hit, tells exactly which
// hits can be part of a match; only their windows need the full regex. For
// keyword-dense code (every "token :=" is a hit of generic-api-key) this
// skips most windows. It returns nil when the rule has no such shape.
func keywordAnchor(expr string, keywords []string) (*anchorInfo, bool) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, false
	}
	// Captures do not change what matches, so a leading group is
	// flattened into the top-level sequence: \b(ey…)… is \b·ey·….
	subs := flattenConcat(re)
	if len(subs) < 2 {
		return nil, false
	}
	known := make(map[string]bool, len(keywords))
	for _, k := range keywords {
		known[strings.ToLower(k)] = true
	}
	for k, sub := range subs {
		starts, ok := prefixes(sub)
		if !ok || !allStartWithKeyword(starts, known) {
			continue
		}
		rest := &syntax.Regexp{Op: syntax.OpConcat, Flags: re.Flags, Sub: subs[k:]}
		anchored, err := regexp.Compile(`^(?:` + rest.String() + `)`)
		if err != nil {
			return nil, false
		}
		info := &anchorInfo{re: anchored, prefixBytes: unbounded}
		prefix := &syntax.Regexp{Op: syntax.OpConcat, Flags: re.Flags, Sub: subs[:k]}
		if nullable(prefix) && !hasAssertion(prefix) {
			if b, _ := reach(prefix); b != unbounded {
				info.prefixBytes = b
			}
		}
		return info, true
	}
	return nil, false
}

// anchorInfo is a rule's keyword anchor: re is ^K·S; prefixBytes, when not
// unbounded, is the most bytes P can match, P being able to match nothing
// and holding no assertion. Then a match whose K is at a hit starting at h
// starts in [h-prefixBytes, h], and one exists whenever re matches at h.
type anchorInfo struct {
	re          *regexp.Regexp
	prefixBytes int
}

// flattenConcat returns re's top-level sequence with capture groups and
// nested sequences spliced in.
func flattenConcat(re *syntax.Regexp) []*syntax.Regexp {
	switch re.Op {
	case syntax.OpCapture:
		return flattenConcat(re.Sub[0])
	case syntax.OpConcat:
		var out []*syntax.Regexp
		for _, s := range re.Sub {
			out = append(out, flattenConcat(s)...)
		}
		return out
	}
	return []*syntax.Regexp{re}
}

// nullable reports whether re can match the empty string.
func nullable(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpStar, syntax.OpQuest,
		syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true
	case syntax.OpRepeat:
		return re.Min == 0 || nullable(re.Sub[0])
	case syntax.OpPlus, syntax.OpCapture:
		return nullable(re.Sub[0])
	case syntax.OpConcat:
		for _, s := range re.Sub {
			if !nullable(s) {
				return false
			}
		}
		return true
	case syntax.OpAlternate:
		for _, s := range re.Sub {
			if nullable(s) {
				return true
			}
		}
	}
	return false
}

// hasAssertion reports whether re holds an empty-width assertion, whose
// outcome could change when the text is cut just before the match.
func hasAssertion(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true
	}
	for _, s := range re.Sub {
		if hasAssertion(s) {
			return true
		}
	}
	return false
}

// language enumerates the lower-cased strings re matches when it matches a
// small finite set of non-empty strings.
func language(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		return []string{strings.ToLower(string(re.Rune))}, true
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i+1]-re.Rune[i] > maxAnchorWords {
				return nil, false
			}
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				out = appendStr(out, strings.ToLower(string(r)))
			}
		}
		return out, len(out) <= maxAnchorWords
	case syntax.OpCapture:
		return language(re.Sub[0])
	case syntax.OpAlternate:
		var out []string
		for _, s := range re.Sub {
			ws, ok := language(s)
			if !ok {
				return nil, false
			}
			for _, w := range ws {
				out = appendStr(out, w)
			}
		}
		return out, len(out) <= maxAnchorWords
	case syntax.OpConcat:
		out := []string{""}
		for _, s := range re.Sub {
			ws, ok := optionalLanguage(s)
			if !ok {
				return nil, false
			}
			var next []string
			for _, a := range out {
				for _, b := range ws {
					next = appendStr(next, a+b)
				}
			}
			if len(next) > maxAnchorWords {
				return nil, false
			}
			out = next
		}
		for _, w := range out {
			if w == "" {
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}

// optionalLanguage is language extended to "x?" inside a concatenation.
func optionalLanguage(re *syntax.Regexp) ([]string, bool) {
	if re.Op == syntax.OpQuest {
		ws, ok := language(re.Sub[0])
		return append(ws, ""), ok
	}
	return language(re)
}

func appendStr(xs []string, s string) []string {
	for _, x := range xs {
		if x == s {
			return xs
		}
	}
	return append(xs, s)
}

// prefixes returns the strings every match of re starts with: the
// language of its longest leading run of finite parts.
func prefixes(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpCapture:
		return prefixes(re.Sub[0])
	case syntax.OpAlternate:
		var out []string
		for _, s := range re.Sub {
			ps, ok := prefixes(s)
			if !ok {
				return nil, false
			}
			for _, p := range ps {
				out = appendStr(out, p)
			}
		}
		return out, len(out) <= maxAnchorWords
	case syntax.OpConcat:
		out := []string{""}
		for _, s := range re.Sub {
			ws, ok := optionalLanguage(s)
			if !ok {
				break
			}
			var next []string
			for _, a := range out {
				for _, b := range ws {
					next = appendStr(next, a+b)
				}
			}
			if len(next) > maxAnchorWords {
				break
			}
			out = next
		}
		for _, w := range out {
			if w == "" {
				return nil, false
			}
		}
		return out, true
	}
	return language(re)
}

func allStartWithKeyword(starts []string, known map[string]bool) bool {
	for _, s := range starts {
		found := false
		for k := range known {
			if strings.HasPrefix(s, k) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return len(starts) > 0
}
