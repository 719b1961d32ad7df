package terraform

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// traversalString renders a.b.c for the attribute steps of a traversal.
func traversalString(t hcl.Traversal) string {
	var parts []string
	for _, step := range t {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			parts = append(parts, s.Name)
		case hcl.TraverseAttr:
			parts = append(parts, s.Name)
		default:
			parts = append(parts, "[]")
		}
	}
	return strings.Join(parts, ".")
}
