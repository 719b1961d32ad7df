// Package license evaluates SPDX license expressions against an allow/deny
// policy.
package license

import (
	"fmt"
	"sort"
	"strings"
)

// maxAlternatives bounds the expansion of an expression into its choices:
// (A OR B) AND (C OR D) AND … grows exponentially.
const maxAlternatives = 64

// Alternatives is an expression in disjunctive normal form: the licensee may
// pick any one alternative and must then honour every license in it.
type Alternatives [][]string

// Parse reads an SPDX expression ("MIT", "MIT OR Apache-2.0",
// "(MIT AND BSD-3-Clause) OR GPL-2.0-only WITH Classpath-exception-2.0").
// Operators are case-insensitive; ids keep their spelling.
func Parse(expr string) (Alternatives, error) {
	p := &parser{toks: tokenize(expr)}
	if len(p.toks) == 0 {
		return nil, fmt.Errorf("empty license expression")
	}
	alts, err := p.or()
	if err != nil {
		return nil, fmt.Errorf("license expression %q: %w", clip(expr), err)
	}
	if p.pos != len(p.toks) {
		return nil, fmt.Errorf("license expression %q: unexpected %q", clip(expr), p.toks[p.pos])
	}
	return alts, nil
}

func tokenize(s string) []string {
	s = strings.NewReplacer("(", " ( ", ")", " ) ").Replace(s)
	return strings.Fields(s)
}

type parser struct {
	toks []string
	pos  int
}

func (p *parser) peekOp(op string) bool {
	return p.pos < len(p.toks) && strings.EqualFold(p.toks[p.pos], op)
}

func (p *parser) or() (Alternatives, error) {
	left, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.peekOp("OR") {
		p.pos++
		right, err := p.and()
		if err != nil {
			return nil, err
		}
		left = append(left, right...)
		if len(left) > maxAlternatives {
			return nil, fmt.Errorf("more than %d alternatives", maxAlternatives)
		}
	}
	return left, nil
}

func (p *parser) and() (Alternatives, error) {
	left, err := p.atom()
	if err != nil {
		return nil, err
	}
	for p.peekOp("AND") {
		p.pos++
		right, err := p.atom()
		if err != nil {
			return nil, err
		}
		if len(left)*len(right) > maxAlternatives {
			return nil, fmt.Errorf("more than %d alternatives", maxAlternatives)
		}
		var product Alternatives
		for _, l := range left {
			for _, r := range right {
				product = append(product, append(append([]string{}, l...), r...))
			}
		}
		left = product
	}
	return left, nil
}

func (p *parser) atom() (Alternatives, error) {
	if p.pos >= len(p.toks) {
		return nil, fmt.Errorf("expression ends early")
	}
	tok := p.toks[p.pos]
	switch {
	case tok == "(":
		p.pos++
		inner, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.pos >= len(p.toks) || p.toks[p.pos] != ")" {
			return nil, fmt.Errorf("missing )")
		}
		p.pos++
		return inner, nil
	case tok == ")" || isOperator(tok):
		return nil, fmt.Errorf("unexpected %q", tok)
	}
	p.pos++
	id := tok
	if p.peekOp("WITH") {
		p.pos++
		if p.pos >= len(p.toks) || p.toks[p.pos] == "(" || p.toks[p.pos] == ")" || isOperator(p.toks[p.pos]) {
			return nil, fmt.Errorf("WITH needs an exception id")
		}
		id += " WITH " + p.toks[p.pos]
		p.pos++
	}
	return Alternatives{{id}}, nil
}

func isOperator(tok string) bool {
	for _, op := range []string{"AND", "OR", "WITH"} {
		if strings.EqualFold(tok, op) {
			return true
		}
	}
	return false
}

// String renders alternatives canonically (sorted), so two spellings of one
// expression compare equal.
func (a Alternatives) String() string {
	parts := make([]string, 0, len(a))
	for _, alt := range a {
		ids := append([]string{}, alt...)
		for i := range ids {
			ids[i] = strings.ToLower(ids[i])
		}
		sort.Strings(ids)
		parts = append(parts, strings.Join(ids, " AND "))
	}
	sort.Strings(parts)
	return strings.Join(parts, " OR ")
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
