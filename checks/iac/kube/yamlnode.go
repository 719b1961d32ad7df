package kube

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// entry is a mapping key with its value; key carries the line to report.
type entry struct {
	key, val *yaml.Node
}

func (e entry) ok() bool { return e.key != nil && e.val != nil }

// deref follows aliases and unwraps documents.
func deref(n *yaml.Node) *yaml.Node {
	for depth := 0; n != nil && depth < 16; depth++ {
		switch n.Kind {
		case yaml.AliasNode:
			n = n.Alias
		case yaml.DocumentNode:
			if len(n.Content) == 0 {
				return nil
			}
			n = n.Content[0]
		default:
			return n
		}
	}
	return n
}

// get looks key up in mapping m, honouring `<<` merge keys.
func get(m *yaml.Node, key string) entry {
	m = deref(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return entry{}
	}
	var merged entry
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if k.Value == key {
			return entry{k, deref(m.Content[i+1])}
		}
		if k.Value == "<<" && !merged.ok() {
			v := deref(m.Content[i+1])
			if v != nil && v.Kind == yaml.SequenceNode {
				for _, item := range v.Content {
					if e := get(item, key); e.ok() {
						merged = e
						break
					}
				}
			} else if e := get(v, key); e.ok() {
				merged = e
			}
		}
	}
	return merged
}

// lookup follows a chain of keys.
func lookup(m *yaml.Node, keys ...string) entry {
	var e entry
	for _, k := range keys {
		e = get(m, k)
		if !e.ok() {
			return entry{}
		}
		m = e.val
	}
	return e
}

func str(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// boolean reads a YAML boolean the way Kubernetes' YAML loader does
// (it also accepts YAML 1.1 yes/on).
func boolean(n *yaml.Node) (val, ok bool) {
	switch strings.ToLower(str(n)) {
	case "true", "yes", "on", "y":
		return true, true
	case "false", "no", "off", "n":
		return false, true
	}
	return false, false
}

func integer(n *yaml.Node) (int64, bool) {
	v, err := strconv.ParseInt(str(n), 0, 64)
	return v, err == nil
}

func items(n *yaml.Node) []*yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]*yaml.Node, 0, len(n.Content))
	for _, c := range n.Content {
		if c = deref(c); c != nil {
			out = append(out, c)
		}
	}
	return out
}

// isBlockMapping reports whether n is a non-empty mapping written in block
// style, the only shape a line-inserting fix can extend safely.
func isBlockMapping(n *yaml.Node) bool {
	return n != nil && n.Kind == yaml.MappingNode && n.Style&yaml.FlowStyle == 0 && len(n.Content) >= 2
}
