package secrets

import (
	"regexp/syntax"
	"strings"
)

// minRequiredLen keeps required literals long enough to be selective.
const minRequiredLen = 4

// requiredLiterals returns lower-cased literal strings every match of expr
// contains. A rule runs only on files that hold all of them; they ride the
// keyword automaton, so the test is free. It matters for rules whose regex
// can span a whole file (kubernetes-secret-yaml needs "kind:" and "data:",
// not just its keyword "secret").
func requiredLiterals(expr string) []string {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	var out []string
	for _, l := range required(re) {
		if len(l) >= minRequiredLen {
			out = appendStr(out, l)
		}
	}
	return out
}

func required(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		return []string{strings.ToLower(string(re.Rune))}
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
	case syntax.OpConcat:
		var out []string
		for _, s := range re.Sub {
			out = append(out, required(s)...)
		}
		return out
	case syntax.OpAlternate:
		common := required(re.Sub[0])
		for _, s := range re.Sub[1:] {
			other := required(s)
			var keep []string
			for _, c := range common {
				for _, o := range other {
					if c == o {
						keep = append(keep, c)
						break
					}
				}
			}
			common = keep
		}
		return common
	}
	return nil
}
