package terraform

import (
	"strings"

	"github.com/wardenbot/warden/checks"
)

// replaceAttr rewrites a one-line attribute's value, keeping its name and
// alignment.
func (m *module) replaceAttr(r *resource, a attr, val string) *checks.Fix {
	rg := a.a.SrcRange
	if rg.Start.Line != rg.End.Line || rg.Start.Line > len(r.file.lines) {
		return nil
	}
	line := strings.TrimRight(r.file.lines[rg.Start.Line-1], "\r")
	eq := a.a.EqualsRange.End.Column - 1
	if eq <= 0 || eq > len(line) {
		return nil
	}
	end := a.a.Expr.Range().End.Column - 1
	if end < eq || end > len(line) {
		return nil
	}
	return &checks.Fix{StartLine: rg.Start.Line, EndLine: rg.Start.Line, Replacement: line[:eq] + " " + val + line[end:]}
}

// insertAttr adds an attribute as the first line of a block whose opening
// brace ends its header line.
func (m *module) insertAttr(r *resource, kv string) *checks.Fix {
	l := r.block.OpenBraceRange.Start.Line
	if l < 1 || l > len(r.file.lines) || r.block.CloseBraceRange.Start.Line == l {
		return nil
	}
	header := strings.TrimRight(r.file.lines[l-1], "\r")
	if !strings.HasSuffix(strings.TrimSpace(header), "{") {
		return nil
	}
	indent := header[:len(header)-len(strings.TrimLeft(header, " \t"))]
	return &checks.Fix{StartLine: l, EndLine: l, Replacement: header + "\n" + indent + "  " + kv, Description: "add " + kv}
}
