package yamlguard

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/wardenbot/warden/checks/internal/limit"
)

// laughs is the billion-laughs document: level i lists level i-1 nine times.
func laughs(levels int) string {
	var sb strings.Builder
	sb.WriteString("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&sb, "l%d: &l%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d, ", i-1), 9), ", "))
	}
	return sb.String()
}

// mergeBomb is the same with merge keys: each mapping merges the one
// before nine times.
func mergeBomb(levels int) string {
	var sb strings.Builder
	sb.WriteString("m0: &m0 {a: 1, b: 2, c: 3}\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&sb, "m%d: &m%d {<<: [%s], k%d: v}\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*m%d, ", i-1), 9), ", "), i)
	}
	sb.WriteString("top:\n  <<: *m" + fmt.Sprint(levels) + "\n")
	return sb.String()
}

func TestCheck(t *testing.T) {
	cases := []struct {
		name, src string
		want      string // substring of the reason; "" when the document is fine
		line      int
		limits    *Limits
	}{
		{"billion laughs", laughs(9), "expand to more than", 0, nil},
		{"merge-key bomb", mergeBomb(12), "expand to more than", 0, nil},
		{"an alias inside its own anchor", "a: &a\n  b: *a\n", "contains itself", 2, nil},
		{"a merge of its own anchor", "spec: &s\n  x: 1\n  <<: *s\n", "contains itself", 3, nil},
		{"a sequence holding itself", "a: &a [1, *a]\n", "contains itself", 1, nil},
		{"depth built from aliases", aliasTower(1_500), "nested deeper than 1000", 999, &Limits{MaxExpansion: 10_000_000, MaxDepth: 1_000}},
		{"depth built from aliases, with the default limits", aliasTower(1_500), "expand to more than", 0, nil},

		{"anchors reused a few times (trap)", "x-env: &env\n  - {name: A, value: '1'}\n  - {name: B, value: '2'}\njobs:\n  a: {env: *env}\n  b: {env: *env}\n  c: {env: *env}\n", "", 0, nil},
		{"one scalar aliased a hundred thousand times (trap)", "v: &v value\nlist: [" + strings.TrimSuffix(strings.Repeat("*v, ", 100_000), ", ") + "]\n", "", 0, nil},
		{"a merged base of defaults (trap)", "base: &base {image: nginx, ports: [80, 443]}\nweb:\n  <<: *base\n  name: web\napi:\n  <<: *base\n  name: api\n", "", 0, nil},
		{"a large plain document (trap)", strings.Repeat("- {a: 1, b: [1, 2, 3]}\n", 50_000), "", 0, nil},
		{"laughs that stop early (trap)", laughs(3), "", 0, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(c.src), &doc); err != nil {
				t.Fatalf("the test document is not YAML: %v", err)
			}
			start := time.Now()
			l := Default
			if c.limits != nil {
				l = *c.limits
			}
			err := Check(&doc, l)
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("took %s", took)
			}
			if c.want == "" {
				if err != nil {
					t.Fatalf("realistic YAML refused: %v", err)
				}
				return
			}
			e, ok := limit.As(err)
			if !ok || !strings.Contains(e.What, c.want) || e.Partial {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			if c.line > 0 && e.Line != c.line {
				t.Errorf("line %d, want %d", e.Line, c.line)
			}
		})
	}
}

// aliasTower nests each anchor inside the next through an alias, so the
// document is shallow as written and deep when followed.
func aliasTower(n int) string {
	var sb strings.Builder
	sb.WriteString("t0: &t0 x\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&sb, "t%d: &t%d [*t%d]\n", i, i, i-1)
	}
	return sb.String()
}
