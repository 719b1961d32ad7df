package workflows

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestEvalActionlint measures script-injection recall and precision on
// rhysd/actionlint's own test data, whose .out files annotate every
// "potentially untrusted" expression. Set WARDEN_EVAL_WORKFLOWS to the
// directory holding actionlint's testdata (err/, examples/, ok/). Nothing
// from that repository is committed; see testdata/EVAL.md.
func TestEvalActionlint(t *testing.T) {
	root := os.Getenv("WARDEN_EVAL_WORKFLOWS")
	if root == "" {
		t.Skip("WARDEN_EVAL_WORKFLOWS not set")
	}
	const rule = "workflows/script-injection"
	var tp, fp, fn, files int
	for _, dir := range []string{"err", "examples", "ok"} {
		yamls, _ := filepath.Glob(filepath.Join(root, dir, "*.yaml"))
		for _, y := range yamls {
			src, err := os.ReadFile(y)
			if err != nil {
				t.Fatal(err)
			}
			want := expectedUntrusted(t, strings.TrimSuffix(y, ".yaml")+".out")
			if dir != "ok" && want == nil {
				continue // no annotation file: nothing to compare with
			}
			files++
			rep := scanFiles(t, map[string]string{".github/workflows/" + filepath.Base(y): string(src)}, Options{})
			var got []int
			for _, f := range findingsOf(rep, rule) {
				got = append(got, f.StartLine)
			}
			lines := splitLines(string(src))
			a, b, c := matchLines(lines, want, got)
			tp, fp, fn = tp+a, fp+b, fn+c
			if b > 0 || c > 0 {
				t.Logf("%s/%s: want %v got %v", dir, filepath.Base(y), want, got)
			}
		}
	}
	t.Logf("actionlint testdata, %d files: %s TP=%d FP=%d FN=%d recall=%.1f%% precision=%.1f%%",
		files, rule, tp, fp, fn, pct(tp, tp+fn), pct(tp, tp+fp))
}

func pct(a, b int) float64 {
	if b == 0 {
		return 100
	}
	return 100 * float64(a) / float64(b)
}

var untrustedOut = regexp.MustCompile(`^[^:]+:(\d+):(\d+): .*potentially untrusted`)

// expectedUntrusted returns the lines actionlint annotated, one entry per
// distinct line:col; nil when there is no .out file.
func expectedUntrusted(t *testing.T, path string) []int {
	fh, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer fh.Close()
	seen := map[string]bool{}
	out := []int{}
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		m := untrustedOut.FindStringSubmatch(sc.Text())
		if m == nil || seen[m[1]+":"+m[2]] {
			continue
		}
		seen[m[1]+":"+m[2]] = true
		n, _ := strconv.Atoi(m[1])
		out = append(out, n)
	}
	return out
}

// matchLines pairs expected and found lines. A found line also matches an
// expected line that opens the block scalar containing it, since older
// actionlint versions report block-script positions at the "run: |" line.
func matchLines(src []string, want, got []int) (tp, fp, fn int) {
	sort.Ints(want)
	sort.Ints(got)
	used := make([]bool, len(got))
	for _, w := range want {
		matched := false
		for i, g := range got {
			if !used[i] && (g == w || inBlockOpenedAt(src, w, g)) {
				used[i], matched = true, true
				break
			}
		}
		if matched {
			tp++
		} else {
			fn++
		}
	}
	for _, u := range used {
		if !u {
			fp++
		}
	}
	return tp, fp, fn
}

func inBlockOpenedAt(src []string, open, line int) bool {
	if open < 1 || open > len(src) || line <= open {
		return false
	}
	head := strings.TrimRight(src[open-1], " ")
	if !strings.HasSuffix(head, "|") && !strings.HasSuffix(head, ">") && !strings.HasSuffix(head, "|-") && !strings.HasSuffix(head, ">-") {
		return false
	}
	indent := len(indentOf(head))
	for l := open + 1; l <= line && l <= len(src); l++ {
		if s := src[l-1]; strings.TrimSpace(s) != "" && len(indentOf(s)) <= indent {
			return false
		}
	}
	return true
}
