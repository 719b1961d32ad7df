package secrets

import (
	"regexp/syntax"
	"unicode"
	"unicode/utf8"
)

// unbounded marks a quantity a regex does not bound.
const unbounded = -1

// span is how far a rule's match can reach: at most maxBytes bytes and at
// most maxNewlines line breaks (either may be unbounded). Because a match
// that a keyword hit produced contains that keyword, scanning from maxBytes
// before the hit to maxBytes after it finds every such match; if only the
// line breaks are bounded, the hit's line ± maxNewlines lines suffice.
type span struct {
	maxBytes    int
	maxNewlines int
}

// regexSpan computes the span of a regular expression from its syntax tree.
func regexSpan(expr string) (span, error) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return span{}, err
	}
	b, n := reach(re.Simplify())
	return span{maxBytes: b, maxNewlines: n}, nil
}

func addReach(a, b int) int {
	if a == unbounded || b == unbounded {
		return unbounded
	}
	return a + b
}

func maxReach(a, b int) int {
	if a == unbounded || b == unbounded {
		return unbounded
	}
	return max(a, b)
}

func timesReach(a, n int) int {
	if a == unbounded || n == unbounded {
		if a == 0 {
			return 0
		}
		return unbounded
	}
	return a * n
}

// reach returns the most bytes and line breaks re can match.
func reach(re *syntax.Regexp) (bytes, newlines int) {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			bytes += runeBytes(r, re.Flags&syntax.FoldCase != 0)
			if r == '\n' {
				newlines++
			}
		}
		return bytes, newlines
	case syntax.OpCharClass:
		if len(re.Rune) == 0 {
			return 0, 0
		}
		hi := re.Rune[len(re.Rune)-1]
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] <= '\n' && '\n' <= re.Rune[i+1] {
				newlines = 1
			}
		}
		return runeBytes(hi, false), newlines
	case syntax.OpAnyCharNotNL:
		return utf8.UTFMax, 0
	case syntax.OpAnyChar:
		return utf8.UTFMax, 1
	case syntax.OpCapture:
		return reach(re.Sub[0])
	case syntax.OpConcat:
		for _, s := range re.Sub {
			b, n := reach(s)
			bytes, newlines = addReach(bytes, b), addReach(newlines, n)
		}
		return bytes, newlines
	case syntax.OpAlternate:
		for _, s := range re.Sub {
			b, n := reach(s)
			bytes, newlines = maxReach(bytes, b), maxReach(newlines, n)
		}
		return bytes, newlines
	case syntax.OpQuest:
		return reach(re.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		b, n := reach(re.Sub[0])
		return timesReach(b, unbounded), timesReach(n, unbounded)
	case syntax.OpRepeat:
		b, n := reach(re.Sub[0])
		m := re.Max
		if m < 0 {
			m = unbounded
		}
		return timesReach(b, m), timesReach(n, m)
	}
	// Empty-width assertions and the empty match.
	return 0, 0
}

// runeBytes is the longest UTF-8 encoding of r (or of any rune it folds to).
func runeBytes(r rune, fold bool) int {
	n := utf8.RuneLen(r)
	if n < 0 {
		n = utf8.UTFMax
	}
	if fold {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			n = max(n, utf8.RuneLen(f))
		}
	}
	return n
}
