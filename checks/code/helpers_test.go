package code

import (
	"context"
	"sort"
	"testing"

	"github.com/wardenbot/warden/checks"
)

// memTree is an in-memory checks.Tree for tests.
type memTree map[string][]byte

func (m memTree) Files(ctx context.Context) ([]checks.FileInfo, error) {
	var out []checks.FileInfo
	for p, b := range m {
		out = append(out, checks.FileInfo{Path: p, Size: int64(len(b))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

func (m memTree) ReadFile(ctx context.Context, p string) ([]byte, error) {
	b, ok := m[p]
	if !ok {
		return nil, checks.ErrNotFound
	}
	return b, nil
}

// scan runs the code check through the real runner (so inline allow
// comments, fingerprints and validation apply) and returns the report.
func scan(t testing.TB, files map[string]string) *checks.Report {
	t.Helper()
	return scanWith(t, Options{}, files)
}

// scanWith is scan with check options.
func scanWith(t testing.TB, opts Options, files map[string]string) *checks.Report {
	t.Helper()
	tree := memTree{}
	for p, s := range files {
		tree[p] = []byte(s)
	}
	rep, err := checks.Run(context.Background(), &checks.Target{Head: tree}, checks.Options{Checks: []checks.Check{New(opts)}})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range rep.Errors {
		t.Errorf("check error: %s", e.Error)
	}
	return rep
}
