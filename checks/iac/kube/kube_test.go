package kube

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wardenbot/warden/checks/iac/eol"
	"github.com/wardenbot/warden/checks/internal/limit"
)

var now = time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)

// pod wraps container lines (indented 6) and pod-spec lines (indented 2)
// in a Pod whose container starts on line 7.
func pod(podLines, containerLines string) string {
	return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n" + containerLines + podLines
}

const hardened = "      image: example.com/app:1.0\n      securityContext:\n        allowPrivilegeEscalation: false\n        readOnlyRootFilesystem: true\n        runAsNonRoot: true\n      resources:\n        limits: {cpu: 1, memory: 1Gi}\n"

func TestRules(t *testing.T) {
	cases := []struct {
		name, src, rule string
		line            int
	}{
		{"privileged", pod("", "      securityContext:\n        privileged: true\n"), RulePrivileged, 9},
		{"not privileged", pod("", hardened), RulePrivileged, 0},
		{"escalation absent", pod("", "      image: a:1\n"), RuleEscalation, 7},
		{"escalation true", pod("", "      securityContext:\n        allowPrivilegeEscalation: true\n"), RuleEscalation, 9},
		{"escalation false", pod("", hardened), RuleEscalation, 0},
		{"root absent", pod("", "      image: a:1\n"), RuleRunAsRoot, 7},
		{"root pod uid 0", pod("  securityContext:\n    runAsUser: 0\n", "      image: a:1\n"), RuleRunAsRoot, 10},
		{"pod nonroot inherited", pod("  securityContext:\n    runAsNonRoot: true\n", "      image: a:1\n"), RuleRunAsRoot, 0},
		{"container overrides pod", pod("  securityContext:\n    runAsNonRoot: true\n", "      securityContext:\n        runAsNonRoot: false\n"), RuleRunAsRoot, 9},
		{"non-zero uid", pod("", "      securityContext:\n        runAsUser: 1000\n"), RuleRunAsRoot, 0},
		{"sys_admin", pod("", "      securityContext:\n        capabilities:\n          add:\n            - SYS_ADMIN\n"), RuleCapabilities, 11},
		{"net_bind", pod("", "      securityContext:\n        capabilities:\n          add: [NET_BIND_SERVICE]\n"), RuleCapabilities, 0},
		{"host pid", pod("  hostPID: true\n", hardened), RuleHostNamespace, 15},
		{"host pid false", pod("  hostPID: false\n", hardened), RuleHostNamespace, 0},
		{"hostpath", pod("  volumes:\n    - name: d\n      hostPath:\n        path: /var/run/docker.sock\n", hardened), RuleHostPath, 17},
		{"emptydir", pod("  volumes:\n    - name: d\n      emptyDir: {}\n", hardened), RuleHostPath, 0},
		{"no limits", pod("", "      image: a:1\n"), RuleLimits, 7},
		{"limits", pod("", hardened), RuleLimits, 0},
		{"latest", pod("", "      image: nginx:latest\n"), RuleImageLatest, 8},
		{"untagged", pod("", "      image: nginx\n"), RuleImageLatest, 8},
		{"registry port no tag", pod("", "      image: localhost:5000/app\n"), RuleImageLatest, 8},
		{"digest", pod("", "      image: nginx@sha256:abc\n"), RuleImageLatest, 0},
		{"secret env", pod("", "      env:\n        - name: DB_PASSWORD\n          value: hunter2\n"), RuleSecretEnv, 10},
		{"secret ref", pod("", "      env:\n        - name: DB_PASSWORD\n          valueFrom: {secretKeyRef: {name: s, key: k}}\n"), RuleSecretEnv, 0},
		{"non-secret env", pod("", "      env:\n        - name: LOG_LEVEL\n          value: debug\n"), RuleSecretEnv, 0},
		{"rofs absent", pod("", "      image: a:1\n"), RuleWritableRootFS, 7},
		{"rofs false", pod("", "      securityContext:\n        readOnlyRootFilesystem: false\n"), RuleWritableRootFS, 9},
		{"automount absent", pod("", hardened), RuleAutomountToken, 5},
		{"automount false", pod("  automountServiceAccountToken: false\n", hardened), RuleAutomountToken, 0},
		{"default ns", strings.Replace(pod("", hardened), "  name: p\n", "  name: p\n  namespace: default\n", 1), RuleDefaultNamespace, 5},
		{"eol image", pod("", "      image: python:3.7-alpine\n"), eol.RuleID, 8},
		{"crd named Pod", strings.Replace(pod("  hostPID: true\n", ""), "apiVersion: v1", "apiVersion: example.com/v1", 1), RuleHostNamespace, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs, err := Scan(context.Background(), "k8s/pod.yaml", []byte(c.src), Options{EOL: eol.Default(), Now: now})
			if err != nil {
				t.Fatal(err)
			}
			var lines []int
			for _, f := range fs {
				if f.RuleID == c.rule {
					lines = append(lines, f.StartLine)
				}
			}
			switch {
			case c.line == 0 && len(lines) > 0:
				t.Errorf("%s fired at %v on the safe twin", c.rule, lines)
			case c.line > 0 && (len(lines) != 1 || lines[0] != c.line):
				t.Errorf("%s at lines %v, want exactly line %d\n%s", c.rule, lines, c.line, c.src)
			}
		})
	}
}

func TestFixes(t *testing.T) {
	src := pod("", "      securityContext:\n        allowPrivilegeEscalation: true\n        runAsNonRoot: true\n")
	fs, _ := Scan(context.Background(), "p.yaml", []byte(src), Options{Now: now})
	got := map[string]string{}
	for _, f := range fs {
		if f.Fix != nil {
			got[f.RuleID] = f.Fix.Replacement
		}
	}
	if got[RuleEscalation] != "        allowPrivilegeEscalation: false" {
		t.Errorf("escalation fix = %q", got[RuleEscalation])
	}
	if got[RuleWritableRootFS] != "      securityContext:\n        readOnlyRootFilesystem: true" {
		t.Errorf("read-only fix = %q", got[RuleWritableRootFS])
	}
}

func TestHelmTemplateSkipped(t *testing.T) {
	_, err := Scan(context.Background(), "chart/templates/d.yaml", []byte("kind: Pod\napiVersion: v1\nspec: {{ .Values.x }}\n"), Options{})
	if err != ErrHelmTemplate {
		t.Fatalf("err = %v", err)
	}
}

func FuzzManifest(f *testing.F) {
	f.Add([]byte(pod("", hardened)))
	f.Fuzz(func(t *testing.T, src []byte) {
		fs, err := Scan(context.Background(), "m.yaml", src, Options{EOL: eol.Default(), Now: now})
		for _, fd := range fs {
			if err := fd.Validate(); err != nil {
				t.Fatal(err)
			}
		}
		// An error is the YAML parser's, or a budget that names the file.
		if over, ok := limit.As(err); ok {
			if over.Path != "m.yaml" || over.What == "" {
				t.Fatalf("a budget stop must name the file: %+v", over)
			}
		} else if err != nil && !strings.HasPrefix(err.Error(), "m.yaml: yaml: ") {
			t.Fatalf("unexpected error: %v", err)
		}
	})
}
