package secrets

import (
	"context"
	"encoding/base64"
	"sort"
	"strings"
	"testing"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/checkstest"
)

// memTree is an in-memory checks.Tree.
type memTree = checkstest.Tree

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
	tg := &checks.Target{Head: files, Paths: files.Paths(), MaxFileSize: checks.DefaultMaxFileSize}
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
