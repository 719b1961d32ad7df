package terraform

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/wardenbot/warden/checks/internal/limit"
)

// MaxNesting bounds how deep a .tf file may nest: blocks, brackets, string
// templates and their directives, and chains of operators, which hclsyntax
// parses and evaluates by recursion just like brackets. A Go stack overflow
// kills the process rather than panicking, so the depth is measured on the
// token stream before the parser sees the file. Hand-written Terraform
// stays far below it.
const MaxNesting = 512

// uncheckedSize is the largest file whose nesting is not measured: each
// level takes at least a byte, and parsing or evaluating a few thousand
// levels is safe, so small files, the usual kind, are not lexed twice.
// Their values are still weighed, nesting included, as they are built.
const uncheckedSize = 4 << 10

// maxNumberLiteral bounds the length of a number literal: hclsyntax parses
// numbers into arbitrary-precision floats in quadratic time, so a literal
// of a million digits takes seconds before any check could run.
const maxNumberLiteral = 256

// frame is one open bracket, quote, template sequence or directive.
type frame struct {
	open hclsyntax.TokenType
	// base is the depth of the expression tree at the frame's start, and
	// ops the operators since the last element separator in it: a chain
	// of n operators is an n-deep tree.
	base, ops int
}

func (f *frame) depth() int { return f.base + f.ops }

// directiveFrame marks the body of a %{ if } or %{ for } directive, which
// nests without brackets up to its %{ endif } or %{ endfor }. The scanner
// never produces TokenNil, so it cannot be mistaken for a real opener.
const directiveFrame = hclsyntax.TokenNil

// checkNesting lexes src as hclsyntax will and reports the first place
// where the expression tree the parser would build gets deeper than
// MaxNesting, or a number literal too long to parse cheaply. The measure
// over-approximates: an operator counts as one level of depth even where
// precedence would keep the tree flatter.
func checkNesting(src []byte, filename string) *limit.Exceeded {
	if len(src) <= uncheckedSize {
		return nil
	}
	tokens, _ := hclsyntax.LexConfig(src, filename, hcl.InitialPos)
	stack := []frame{{open: hclsyntax.TokenEOF}} // the file's body
	endsValue := false                           // the previous token ends an operand, so "[" indexes it
	for i := range tokens {
		tok := &tokens[i]
		top := &stack[len(stack)-1]
		switch tok.Type {
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen, hclsyntax.TokenOQuote,
			hclsyntax.TokenOHeredoc, hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			if tok.Type == hclsyntax.TokenOBrack && endsValue {
				top.ops++ // a[0][0][0]… and a[*][*]… build a chain, not a flat list
			}
			if tok.Type == hclsyntax.TokenTemplateControl {
				switch directiveKeyword(tokens[i+1:]) {
				case "if", "for":
					stack = append(stack, frame{open: directiveFrame, base: top.depth() + 1})
				case "endif", "endfor":
					if top.open == directiveFrame && len(stack) > 1 {
						stack = stack[:len(stack)-1]
					}
				}
				top = &stack[len(stack)-1]
			}
			stack = append(stack, frame{open: tok.Type, base: top.depth() + 1})
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenCQuote,
			hclsyntax.TokenCHeredoc, hclsyntax.TokenTemplateSeqEnd:
			// An unmatched closer is left alone: it must not hide the
			// depth of what follows.
			if len(stack) > 1 && closes(top.open, tok.Type) {
				stack = stack[:len(stack)-1]
			}
		case hclsyntax.TokenComma, hclsyntax.TokenEqual:
			top.ops = 0 // the next list element or attribute starts afresh
		case hclsyntax.TokenStar, hclsyntax.TokenSlash, hclsyntax.TokenPlus, hclsyntax.TokenMinus, hclsyntax.TokenPercent,
			hclsyntax.TokenEqualOp, hclsyntax.TokenNotEqual, hclsyntax.TokenLessThan, hclsyntax.TokenLessThanEq,
			hclsyntax.TokenGreaterThan, hclsyntax.TokenGreaterThanEq, hclsyntax.TokenAnd, hclsyntax.TokenOr,
			hclsyntax.TokenBang, hclsyntax.TokenQuestion:
			top.ops++
		case hclsyntax.TokenDot:
			if endsValue && i > 0 && tokens[i-1].Type != hclsyntax.TokenIdent {
				top.ops++ // f(x).a[y].b: each step wraps the last
			}
		case hclsyntax.TokenNumberLit:
			if len(tok.Bytes) > maxNumberLiteral {
				return &limit.Exceeded{Path: filename, Line: tok.Range.Start.Line,
					What: fmt.Sprintf("a number literal longer than %d digits", maxNumberLiteral)}
			}
		}
		if d := stack[len(stack)-1].depth(); d > MaxNesting {
			return &limit.Exceeded{Path: filename, Line: tok.Range.Start.Line,
				What: fmt.Sprintf("nesting deeper than %d levels", MaxNesting)}
		}
		switch tok.Type {
		case hclsyntax.TokenIdent, hclsyntax.TokenNumberLit, hclsyntax.TokenCBrack, hclsyntax.TokenCParen,
			hclsyntax.TokenCBrace, hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc:
			endsValue = true
		case hclsyntax.TokenComment, hclsyntax.TokenNewline:
			// inside brackets the parser reads across lines: a\n[0] indexes a
		default:
			endsValue = false
		}
	}
	return nil
}

// directiveKeyword is the keyword after "%{" (and an optional "~").
func directiveKeyword(rest hclsyntax.Tokens) string {
	for _, t := range rest {
		switch t.Type {
		case hclsyntax.TokenBitwiseNot: // the strip marker in %{~ if }
			continue
		case hclsyntax.TokenIdent:
			return string(t.Bytes)
		}
		return ""
	}
	return ""
}

func closes(open, close hclsyntax.TokenType) bool {
	switch open {
	case hclsyntax.TokenOBrace:
		return close == hclsyntax.TokenCBrace
	case hclsyntax.TokenOBrack:
		return close == hclsyntax.TokenCBrack
	case hclsyntax.TokenOParen:
		return close == hclsyntax.TokenCParen
	case hclsyntax.TokenOQuote:
		return close == hclsyntax.TokenCQuote
	case hclsyntax.TokenOHeredoc:
		return close == hclsyntax.TokenCHeredoc
	case hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
		return close == hclsyntax.TokenTemplateSeqEnd
	}
	return false
}
