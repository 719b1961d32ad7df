package engine

import "strings"

// nameSet matches qualified names against exact names and "*.method"
// patterns in constant time per lookup.
type nameSet struct {
	exact   map[string][]int
	methods map[string][]int // last segment -> entries, for "*.m" patterns
}

func newNameSet() *nameSet {
	return &nameSet{exact: map[string][]int{}, methods: map[string][]int{}}
}

func (s *nameSet) add(pattern string, idx int) {
	if m, ok := strings.CutPrefix(pattern, "*."); ok {
		s.methods[m] = append(s.methods[m], idx)
		return
	}
	s.exact[pattern] = append(s.exact[pattern], idx)
}

// lookup returns the entries matching a qualified name. A "*.m" pattern
// matches a method call `recv.m`; it never matches a bare function `m`.
func (s *nameSet) lookup(name string) []int {
	if name == "" {
		return nil
	}
	out := s.exact[name]
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		if m := s.methods[name[i+1:]]; len(m) > 0 {
			if len(out) == 0 {
				return m
			}
			out = append(append([]int(nil), out...), m...)
		}
	}
	return out
}

// lastSegment is the part of a dotted name after its last dot.
func lastSegment(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i+1:]
	}
	return name
}
