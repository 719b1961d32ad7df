package rulekit

import "strings"

// Lookup finds a qualified name in a table whose keys are exact names or
// "*.method" (any receiver).
func Lookup[T any](m map[string]T, name string) (T, bool) {
	if v, ok := m[name]; ok {
		return v, true
	}
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		if v, ok := m["*"+name[i:]]; ok {
			return v, true
		}
	}
	var zero T
	return zero, false
}
