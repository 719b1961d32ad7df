package secrets

import (
	"context"
	"encoding/base64"
	"sort"
	"strings"
	"testing"

	"github.com/wardenbot/warden/checks"
)

// memTree is an in-memory checks.Tree.
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

func (m memTree) paths() []string {
	var out []string
	for p := range m {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func newCheck(t testing.TB, opts Options) *Check {
	t.Helper()
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// scanFiles runs the check over a full-tree target of files.
func scanTree(t testing.TB, c *Check, files memTree) ([]checks.Finding, *checks.Target) {
	t.Helper()
	tg := &checks.Target{Head: files, Paths: files.paths(), MaxFileSize: checks.DefaultMaxFileSize}
	fs, err := c.Run(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	return fs, tg
}

// ruleIDs lists "rule@line" for each finding, sorted, for compact asserts.
func ruleIDs(fs []checks.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.RuleID)
	}
	sort.Strings(out)
	return out
}

// Test secrets are assembled at run time so no realistic secret appears
// literally in a source file (warden scans its own repository).
func join(parts ...string) string { return strings.Join(parts, "") }

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
