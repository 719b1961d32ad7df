package checks

import (
	"fmt"
	"path"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// PathMatcher matches slash paths against gitignore-like globs with `**`.
// A pattern without a slash matches the base name anywhere in the tree
// ("*.min.js"); a pattern ending in "/" or "/**" matches everything below.
type PathMatcher struct {
	patterns []string
}

// NewPathMatcher validates and compiles the patterns.
func NewPathMatcher(patterns []string) (*PathMatcher, error) {
	m := &PathMatcher{}
	for _, p := range patterns {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		p = strings.TrimPrefix(p, "./")
		p = strings.TrimPrefix(p, "/")
		if strings.HasSuffix(p, "/") {
			p += "**"
		}
		if !doublestar.ValidatePattern(p) {
			return nil, fmt.Errorf("invalid path pattern %q", p)
		}
		m.patterns = append(m.patterns, p)
	}
	return m, nil
}

// Match reports whether p (slash-separated, relative) matches any pattern.
func (m *PathMatcher) Match(p string) bool {
	if m == nil {
		return false
	}
	for _, pat := range m.patterns {
		if !strings.Contains(pat, "/") {
			if ok, _ := doublestar.Match(pat, path.Base(p)); ok {
				return true
			}
			continue
		}
		if ok, _ := doublestar.Match(pat, p); ok {
			return true
		}
		// "dir/**" should also match "dir" itself, and "a/**/b" with
		// "**" standing for nothing is handled by doublestar.
	}
	return false
}

// Empty reports whether the matcher has no patterns.
func (m *PathMatcher) Empty() bool { return m == nil || len(m.patterns) == 0 }
