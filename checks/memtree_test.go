package checks_test

import (
	"context"
	"sort"

	"github.com/wardenbot/warden/checks"
)

// memTree is an in-memory checks.Tree for tests.
type memTree map[string]string

func (m memTree) Files(context.Context) ([]checks.FileInfo, error) {
	var out []checks.FileInfo
	for p, c := range m {
		out = append(out, checks.FileInfo{Path: p, Size: int64(len(c))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

func (m memTree) ReadFile(_ context.Context, p string) ([]byte, error) {
	c, ok := m[p]
	if !ok {
		return nil, checks.ErrNotFound
	}
	return []byte(c), nil
}

// funcCheck adapts a function to checks.Check.
type funcCheck struct {
	name string
	run  func(ctx context.Context, t *checks.Target) ([]checks.Finding, error)
}

func (f funcCheck) Name() string              { return f.name }
func (f funcCheck) Category() checks.Category { return checks.CategoryCode }
func (f funcCheck) Run(ctx context.Context, t *checks.Target) ([]checks.Finding, error) {
	return f.run(ctx, t)
}
