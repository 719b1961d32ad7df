// Package tsparse wraps the tree-sitter bindings for the Python and
// JavaScript front ends: a parser per language and worker, parse time
// limits, and helpers that turn nodes into IR positions. Trees and parsers
// hold C memory; whoever creates one closes it.
package tsparse

import (
	"errors"
	"fmt"
	"time"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/wardenbot/warden/checks/code/ir"
)

// ErrTimeout is returned when parsing a file took longer than allowed.
var ErrTimeout = errors.New("parse timed out")

// Parser parses one language. It is not safe for concurrent use.
type Parser struct {
	p *sitter.Parser
}

// NewParser makes a parser for a grammar (the unsafe.Pointer a grammar
// module's Language function returns, wrapped by sitter.NewLanguage).
func NewParser(lang *sitter.Language) (*Parser, error) {
	p := sitter.NewParser()
	if err := p.SetLanguage(lang); err != nil {
		p.Close()
		return nil, fmt.Errorf("set tree-sitter language: %w", err)
	}
	return &Parser{p: p}, nil
}

// Close frees the parser's C memory.
func (p *Parser) Close() {
	if p != nil && p.p != nil {
		p.p.Close()
		p.p = nil
	}
}

// Parse parses src, giving up after timeout. The caller must Close the tree.
func (p *Parser) Parse(src []byte, timeout time.Duration) (*sitter.Tree, error) {
	// The timeout setter is deprecated in favour of a progress callback,
	// but in v0.25 the callback's options are registered in a global map
	// that is never released; the timeout leaks nothing.
	p.p.SetTimeoutMicros(uint64(timeout / time.Microsecond))
	tree := p.p.Parse(src, nil)
	if tree == nil {
		p.p.Reset()
		return nil, ErrTimeout
	}
	return tree, nil
}

// Pos converts a node's range into an IR position.
func Pos(n *sitter.Node) ir.Pos {
	if n == nil {
		return ir.Pos{}
	}
	s, e := n.StartPosition(), n.EndPosition()
	return ir.Pos{Line: int(s.Row) + 1, Col: int(s.Column) + 1, EndLine: int(e.Row) + 1, EndCol: int(e.Column) + 1,
		Start: int(n.StartByte()), End: int(n.EndByte())}
}

// Text is a node's source text.
func Text(n *sitter.Node, src []byte) string {
	if n == nil {
		return ""
	}
	s, e := n.StartByte(), n.EndByte()
	if e > uint(len(src)) || s > e {
		return ""
	}
	return string(src[s:e])
}

// Named returns a node's named children. It walks them with a cursor:
// indexing NamedChild(i) restarts from the first child each time, which is
// quadratic on a module with thousands of statements.
func Named(n *sitter.Node) []*sitter.Node {
	if n == nil || n.NamedChildCount() == 0 {
		return nil
	}
	c := n.Walk()
	defer c.Close()
	kids := n.NamedChildren(c)
	out := make([]*sitter.Node, len(kids))
	for i := range kids {
		out[i] = &kids[i]
	}
	return out
}

// Lower parses src and gives its root to lower, which returns the module's
// statements; the tree is closed when lower returns. It is the front ends'
// shared entry: a file of lang with its module function and no imports yet.
func Lower(p *Parser, lang, filename string, src []byte, timeout time.Duration,
	lower func(f *ir.File, root *sitter.Node) []*ir.Stmt) (*ir.File, error) {
	tree, err := p.Parse(src, timeout)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", filename, err)
	}
	defer tree.Close()
	f := &ir.File{Lang: lang, Path: filename, Src: src, Imports: map[string]string{}}
	root := tree.RootNode()
	f.Module = &ir.Function{Pos: Pos(root)}
	f.Module.Body = lower(f, root)
	return f, nil
}

// Unescape decodes one escape sequence of a string literal that Python and
// JavaScript share (\n, \t, \\, \', \"); anything else is kept as written.
func Unescape(s string) string {
	switch s {
	case `\n`:
		return "\n"
	case `\t`:
		return "\t"
	case `\\`:
		return `\`
	case `\'`:
		return "'"
	case `\"`:
		return `"`
	}
	return s
}
