// Package checkstest holds test helpers shared by the check packages.
package checkstest

import (
	"context"
	"sort"

	"github.com/wardenbot/warden/checks"
)

// Tree is an in-memory checks.Tree: path → content.
type Tree map[string]string

// Files lists the entries sorted by path.
func (m Tree) Files(context.Context) ([]checks.FileInfo, error) {
	out := make([]checks.FileInfo, 0, len(m))
	for p, c := range m {
		out = append(out, checks.FileInfo{Path: p, Size: int64(len(c))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// ReadFile returns a file's content or checks.ErrNotFound.
func (m Tree) ReadFile(_ context.Context, p string) ([]byte, error) {
	c, ok := m[p]
	if !ok {
		return nil, checks.ErrNotFound
	}
	return []byte(c), nil
}

// Paths lists the paths, sorted.
func (m Tree) Paths() []string {
	out := make([]string, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
