// Package yamlguard measures what a YAML document costs once its aliases
// and merge keys are followed. go.yaml.in/yaml guards decoding into Go
// values against alias bombs, but a yaml.Node tree keeps each alias as a
// pointer to its anchor, and code walking the tree re-expands it: nine
// anchors of nine aliases each are a billion nodes, and an anchor that
// contains an alias to itself is an endless loop. Check a document before
// walking it; a document that fails is reported, not analysed.
package yamlguard

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/wardenbot/warden/checks/internal/limit"
)

// Limits bound a document as its walkers see it.
type Limits struct {
	// MaxExpansion is how many nodes following aliases may add beyond
	// the document as written; a larger document may add as many nodes
	// as it has.
	MaxExpansion int64
	// MaxDepth bounds nesting once aliases are followed.
	MaxDepth int
}

// Default suits manifests and workflows: anchors that repeat a block of
// settings a few times stay far below it.
var Default = Limits{MaxExpansion: 100_000, MaxDepth: 1_000}

// Check returns a *limit.Exceeded when doc, with its aliases followed, is
// cyclic, nests deeper than l.MaxDepth or grows by more than allowed.
// The error's Path is left for the caller.
func Check(doc *yaml.Node, l Limits) error {
	m := &measure{limits: l, size: map[*yaml.Node]int64{}, height: map[*yaml.Node]int{}, open: map[*yaml.Node]bool{}}
	written := countWritten(doc)
	m.allowed = written + max(written, l.MaxExpansion)
	_, _, err := m.expand(doc, 1)
	return err
}

type measure struct {
	limits  Limits
	allowed int64
	// size and height of each node's subtree with aliases followed,
	// once known; open marks the nodes being measured, to find cycles.
	size   map[*yaml.Node]int64
	height map[*yaml.Node]int
	open   map[*yaml.Node]bool
}

// countWritten counts the nodes of the document as written, an alias as
// one node.
func countWritten(n *yaml.Node) int64 {
	var count int64
	stack := []*yaml.Node{n}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		count++
		stack = append(stack, n.Content...)
	}
	return count
}

// expand returns the size and height of n with aliases followed, n being
// at depth. An anchored node is measured once and remembered, so the
// measure is linear in the document as written whatever it expands to;
// other nodes are reached only once anyway.
func (m *measure) expand(n *yaml.Node, depth int) (size int64, height int, err error) {
	at := n
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return 1, 0, nil
		}
		n = n.Alias
	}
	if s, ok := m.size[n]; ok {
		if depth+m.height[n] > m.limits.MaxDepth {
			return 0, 0, m.tooDeep(at)
		}
		return s, m.height[n], nil
	}
	if depth > m.limits.MaxDepth {
		return 0, 0, m.tooDeep(at)
	}
	anchored := n.Anchor != ""
	if anchored {
		if m.open[n] {
			return 0, 0, m.exceeded(at, fmt.Sprintf("a YAML alias that contains itself (anchor %q)", n.Anchor))
		}
		m.open[n] = true
	}
	size = 1
	for _, c := range n.Content {
		s, h, err := m.expand(c, depth+1)
		if err != nil {
			return 0, 0, err
		}
		size += s
		height = max(height, h+1)
		if size > m.allowed {
			return 0, 0, m.exceeded(at, fmt.Sprintf("YAML aliases that expand to more than %d nodes", m.allowed))
		}
	}
	if anchored {
		delete(m.open, n)
		m.size[n], m.height[n] = size, height
	}
	return size, height, nil
}

func (m *measure) tooDeep(at *yaml.Node) *limit.Exceeded {
	return m.exceeded(at, fmt.Sprintf("YAML nested deeper than %d levels", m.limits.MaxDepth))
}

func (m *measure) exceeded(at *yaml.Node, what string) *limit.Exceeded {
	return &limit.Exceeded{Line: at.Line, What: what}
}
