package secrets

import (
	"context"
	"strings"

	"github.com/zricethezav/gitleaks/v8/detect"
	"github.com/zricethezav/gitleaks/v8/detect/codec"
)

// decodeContext is how many lines around a line with encoded data are
// handed to the decoding detector, so rules that need context (a keyword
// on the line above) still see it.
const decodeContext = 3

// decodedMatches finds secrets hidden in base64, hex, percent or unicode
// escapes, as gitleaks does with its decoding passes. gitleaks decodes and
// rescans whole files; here a cheap byte scan finds the few lines that hold
// decodable data, and only a small fragment around each goes through
// gitleaks' own detector (same rules), keeping its decoding semantics.
func (rs *ruleSet) decodedMatches(ctx context.Context, t *text, fr fragment) []match {
	lines := encodedLines(t)
	if len(lines) == 0 {
		return nil
	}
	var out []match
	for _, r := range mergeLineRanges(lines, decodeContext, t.lines()) {
		if ctx.Err() != nil {
			return out
		}
		raw := t.s[t.lineStart(r[0]):t.lineEnd(r[1])]
		for _, f := range rs.decoder.DetectContext(ctx, detect.Fragment{Raw: raw, FilePath: fr.path, CommitSHA: fr.commit}) {
			if !hasDecodedTag(f.Tags) {
				continue // found without decoding: the main pass has it
			}
			ru := rs.byID[f.RuleID]
			if ru == nil {
				continue
			}
			out = append(out, match{
				rule: ru, secret: f.Secret, decoded: true,
				startLine: r[0] + f.StartLine, endLine: r[0] + f.EndLine,
			})
		}
	}
	return out
}

func hasDecodedTag(tags []string) bool {
	for _, tag := range tags {
		if strings.HasPrefix(tag, "decoded:") {
			return true
		}
	}
	return false
}

// encodedLines returns the 0-based lines holding data that gitleaks'
// decoder would decode to printable text.
func encodedLines(t *text) []int {
	var out []int
	s := t.s
	last := -1
	for i := 0; i < len(s); {
		c := s[i]
		var candidate string
		next := i + 1
		switch {
		case isB64Byte(c):
			j := i
			interesting := false
			for j < len(s) && isB64Byte(s[j]) {
				if !isLetter(s[j]) {
					interesting = true
				}
				j++
			}
			for j < len(s) && j-i < 1<<20 && s[j] == '=' {
				j++
			}
			if j-i >= 16 && interesting {
				candidate = s[i:j]
			}
			next = j
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]),
			c == '\\' && i+5 < len(s) && (s[i+1] == 'u' || s[i+1] == 'U'),
			c == 'U' && i+5 < len(s) && s[i+1] == '+' && isHex(s[i+2]):
			l := t.line(i)
			candidate = t.lineText(l)
		}
		if candidate != "" {
			if l := t.line(i); l != last && decodes(candidate) {
				out = append(out, l)
				last = l
			}
		}
		i = next
	}
	return out
}

// decodes asks gitleaks' decoder whether s holds decodable data.
func decodes(s string) bool {
	_, segments := codec.NewDecoder().Decode(s, nil)
	return len(segments) > 0
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isB64Byte(c byte) bool {
	return isLetter(c) || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '+' || c == '/'
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// mergeLineRanges widens each line by ctx lines and merges overlaps.
func mergeLineRanges(lines []int, ctx, total int) [][2]int {
	var out [][2]int
	for _, l := range lines {
		lo, hi := max(0, l-ctx), min(total-1, l+ctx)
		if n := len(out); n > 0 && lo <= out[n-1][1]+1 {
			out[n-1][1] = max(out[n-1][1], hi)
			continue
		}
		out = append(out, [2]int{lo, hi})
	}
	return out
}
