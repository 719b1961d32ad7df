package source

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// apply replays a diff's edits over old and returns the new text's lines
// it implies, checking that equal lines really are equal.
func apply(t *testing.T, old, new string, d lineDiff) {
	t.Helper()
	a, b := splitLines(old), splitLines(new)
	i, j := 0, 0
	for _, e := range d.edits {
		switch e.op {
		case opEqual:
			for k := 0; k < e.n; k++ {
				if i >= len(a) || j >= len(b) || a[i] != b[j] {
					t.Fatalf("equal run claims old line %d = new line %d", i+1, j+1)
				}
				i, j = i+1, j+1
			}
		case opAdd:
			j += e.n
		case opDelete:
			i += e.n
		}
	}
	if i != len(a) || j != len(b) {
		t.Fatalf("edits cover %d/%d old and %d/%d new lines", i, len(a), j, len(b))
	}
}

func addedCount(d lineDiff) int {
	n := 0
	for _, e := range d.edits {
		if e.op == opAdd {
			n += e.n
		}
	}
	return n
}

func numbered(n int, prefix string) string {
	var sb strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&sb, "%s%d%s\n", prefix, i, strings.Repeat("x", i%7))
	}
	return sb.String()
}

func TestDiffTextIsMinimalOnOrdinaryEdits(t *testing.T) {
	base := numbered(30, "line")
	for _, tc := range []struct {
		name     string
		old, new string
		added    int
	}{
		{"append", base, base + "tail\n", 1},
		{"insert in the middle", base, strings.Replace(base, "line5xxxxx\n", "line5xxxxx\nnew\nnewer\n", 1), 2},
		{"change one line", base, strings.Replace(base, "line9xx\n", "line9 changed\n", 1), 1},
		{"delete", base, strings.Replace(base, "line9xx\n", "", 1), 0},
		{"new file", "", base, 30},
		{"final newline added", "a\nb", "a\nb\n", 0},
		{"last line changed", "a\nb", "a\nc\n", 1},
		{"repeated lines", "}\n}\n}\n", "}\nx\n}\n}\n", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := diffText(context.Background(), tc.old, tc.new, defaultDiffLimits)
			apply(t, tc.old, tc.new, d)
			if got := addedCount(d); got != tc.added || !d.exact {
				t.Errorf("added %d (exact %v), want %d exactly", got, d.exact, tc.added)
			}
		})
	}
}

// TestDiffTextRandomEditsAreValid checks the edit script on random edits
// against the texts themselves.
func TestDiffTextRandomEditsAreValid(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 200; round++ {
		var a, b []string
		for i := 0; i < r.IntN(60); i++ {
			a = append(a, fmt.Sprint("l", r.IntN(8)))
		}
		for _, l := range a {
			switch r.IntN(5) {
			case 0:
			case 1:
				b = append(b, l, fmt.Sprint("n", r.IntN(8)))
			default:
				b = append(b, l)
			}
		}
		old, new := strings.Join(a, "\n")+"\n", strings.Join(b, "\n")+"\n"
		d := diffText(context.Background(), old, new, defaultDiffLimits)
		apply(t, old, new, d)
	}
}

// TestHugeRewriteDiffIsBounded: an 80,000-line rewrite gives up on Myers
// quickly and counts every new line as added.
func TestHugeRewriteDiffIsBounded(t *testing.T) {
	old, new := numbered(80_000, "old"), numbered(80_000, "new")
	start := time.Now()
	d := diffText(context.Background(), old, new, defaultDiffLimits)
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("diff took %s", took)
	}
	apply(t, old, new, d)
	if got := addedCount(d); got != 80_000 || d.exact {
		t.Errorf("added %d (exact %v), want all 80000 lines by the fallback", got, d.exact)
	}
}

func TestDiffTextStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	old, new := numbered(3000, "a"), numbered(3000, "b")
	d := diffText(ctx, old, new, diffLimits{maxLines: 1 << 20, maxCost: 1 << 20, maxWork: 1 << 40})
	apply(t, old, new, d)
	if d.exact {
		t.Error("a cancelled diff claims to be exact")
	}
}
