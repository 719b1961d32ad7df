package kube

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wardenbot/warden/checks/iac/eol"
	"github.com/wardenbot/warden/checks/internal/limit"
)

// mergeBombPod is a privileged pod whose spec merges a mapping that merges
// the one before it nine times, levels deep: walking merge keys naively
// visits 9^levels mappings.
func mergeBombPod(levels int) string {
	var sb strings.Builder
	sb.WriteString("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nx0: &m0 {a: 1}\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&sb, "x%d: &m%d {<<: [%s]}\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*m%d, ", i-1), 9), ", "))
	}
	fmt.Fprintf(&sb, "spec:\n  <<: *m%d\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n", levels)
	return sb.String()
}

const privilegedPod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: q\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n"

// A document whose aliases expand past the budget is skipped and named;
// the other documents of the file are still scanned, and manifests that
// use anchors the usual way are scanned in full.
func TestAliasBudget(t *testing.T) {
	cases := []struct {
		name, src  string
		want       string // substring of the reason; "" for none
		privileged int    // privileged findings still expected
	}{
		{"merge-key bomb", mergeBombPod(12), "expand to more than", 0},
		{"billion laughs in a list of env", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nl0: &l0 [a, a, a, a, a, a, a, a, a]\n" + laughLevels(9) + "spec:\n  containers:\n    - name: c\n      env: *l9\n", "expand to more than", 0},
		{"a spec that merges itself", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec: &s\n  <<: *s\n  containers:\n    - name: c\n", "contains itself", 0},
		{"metadata that contains itself", "apiVersion: v1\nkind: Pod\nmetadata: &m\n  name: p\n  self: *m\nspec:\n  containers: []\n", "contains itself", 0},
		{"a bomb next to a privileged pod", mergeBombPod(12) + "---\n" + privilegedPod, "expand to more than", 1},
		{"containers shared through an anchor (trap)", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nx-sc: &sc\n  privileged: true\nspec:\n  containers:\n    - name: a\n      securityContext: *sc\n    - name: b\n      securityContext:\n        <<: *sc\n", "", 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			fs, err := Scan(context.Background(), "k8s/pod.yaml", []byte(c.src), Options{EOL: eol.Default(), Now: now})
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("took %s", took)
			}
			n := 0
			for _, f := range fs {
				if f.RuleID == RulePrivileged {
					n++
				}
			}
			if n != c.privileged {
				t.Errorf("%d privileged findings, want %d", n, c.privileged)
			}
			if c.want == "" {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			e, ok := limit.As(err)
			if !ok || e.Path != "k8s/pod.yaml" || !strings.Contains(e.What, c.want) || e.Line < 1 {
				t.Fatalf("err = %v, want %q in k8s/pod.yaml", err, c.want)
			}
			if e.Partial != (c.privileged > 0) {
				t.Errorf("partial = %v", e.Partial)
			}
		})
	}
}

func laughLevels(n int) string {
	var sb strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&sb, "l%d: &l%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d, ", i-1), 9), ", "))
	}
	return sb.String()
}
