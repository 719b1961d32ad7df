package iac

import (
	"bytes"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/iac/eol"
)

// setupActions maps actions/setup-* to the EOL product and its input.
var setupActions = map[string]struct{ product, input string }{
	"actions/setup-node":   {"node", "node-version"},
	"actions/setup-python": {"python", "python-version"},
	"actions/setup-go":     {"go", "go-version"},
	"actions/setup-java":   {"java", "java-version"},
}

// scanWorkflow finds EOL versions in the *-version input of setup-* steps.
// It reads only steps' uses and with: the workflows check owns the rest.
// Expressions (${{ matrix.node }}) are not resolved.
func scanWorkflow(p string, content []byte, table *eol.Table, now time.Time) []checks.Finding {
	var root yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(content)).Decode(&root); err != nil {
		return nil
	}
	var out []checks.Finding
	walkSteps(&root, 0, func(step *yaml.Node) {
		uses := scalar(mapGet(step, "uses"))
		action, _, _ := strings.Cut(uses, "@")
		sa, ok := setupActions[strings.ToLower(action)]
		if !ok {
			return
		}
		v := mapGet(mapGet(step, "with"), sa.input)
		if v == nil {
			return
		}
		for _, item := range versionItems(v) {
			if strings.Contains(item.Value, "${{") {
				continue
			}
			if r, ok := table.Lookup(sa.product, item.Value); ok && r.IsEOL(now) {
				out = append(out, eol.Finding(p, item.Line, action+" "+sa.input+" "+item.Value, r, checks.SeverityMedium))
			}
		}
	})
	return out
}

// versionItems returns the scalars of a version input: one value, a YAML
// list, or a block string with one version per line.
func versionItems(v *yaml.Node) []*yaml.Node {
	switch v.Kind {
	case yaml.SequenceNode:
		return v.Content
	case yaml.ScalarNode:
		if !strings.Contains(v.Value, "\n") {
			return []*yaml.Node{v}
		}
		var out []*yaml.Node
		for i, l := range strings.Split(strings.TrimSpace(v.Value), "\n") {
			out = append(out, &yaml.Node{Kind: yaml.ScalarNode, Value: strings.TrimSpace(l), Line: v.Line + 1 + i})
		}
		return out
	}
	return nil
}

// walkSteps calls fn for every mapping under a "steps" key.
func walkSteps(n *yaml.Node, depth int, fn func(*yaml.Node)) {
	if n == nil || depth > 64 {
		return
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "steps" && n.Content[i+1].Kind == yaml.SequenceNode {
				for _, s := range n.Content[i+1].Content {
					if s.Kind == yaml.MappingNode {
						fn(s)
					}
				}
				continue
			}
			walkSteps(n.Content[i+1], depth+1, fn)
		}
		return
	}
	for _, c := range n.Content {
		walkSteps(c, depth+1, fn)
	}
}

func mapGet(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}
