package workflows

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// zizmorAudits maps zizmor audit names onto the warden rule that covers
// the same problem. Audits missing here have no warden counterpart and are
// ignored (cache-poisoning, bot-conditions, obfuscation…).
var zizmorAudits = map[string]string{
	"template-injection":       "workflows/script-injection",
	"dangerous-triggers":       "workflows/pwn-request",
	"unpinned-uses":            "workflows/unpinned-action",
	"excessive-permissions":    "workflows/permissions",
	"secrets-inherit":          "workflows/permissions",
	"artipacked":               "workflows/persist-credentials",
	"self-hosted-runner":       "workflows/self-hosted-runner",
	"insecure-commands":        "workflows/insecure-commands",
	"known-vulnerable-actions": "workflows/known-vulnerable-action",
}

// TestEvalZizmor measures every workflows rule against zizmor's snapshot
// tests. Set WARDEN_EVAL_ZIZMOR to zizmor's crates/zizmor/tests/integration
// directory (holding snapshots/ and test-data/). Each input file is judged
// by its most inclusive snapshot (auditor, then pedantic, then default
// persona; snapshots run with a custom --config are skipped). Nothing from
// zizmor is committed; see testdata/EVAL.md.
func TestEvalZizmor(t *testing.T) {
	root := os.Getenv("WARDEN_EVAL_ZIZMOR")
	if root == "" {
		t.Skip("WARDEN_EVAL_ZIZMOR not set")
	}
	inputs := zizmorExpectations(t, filepath.Join(root, "snapshots"))
	names := make([]string, 0, len(inputs))
	for n := range inputs {
		names = append(names, n)
	}
	sort.Strings(names)
	tally := map[string]*evalTally{}
	for _, r := range allRules() {
		tally[r.Doc().ID] = &evalTally{}
	}
	for _, name := range names {
		exp := inputs[name]
		src, err := os.ReadFile(filepath.Join(root, "test-data", name))
		if err != nil {
			t.Logf("%s: %v", name, err)
			continue
		}
		p := ".github/workflows/" + filepath.Base(name)
		if b := filepath.Base(name); b == "action.yml" || b == "action.yaml" {
			p = filepath.ToSlash(filepath.Dir(name)) + "/" + b
		}
		rep := scanFiles(t, map[string]string{p: string(src)}, Options{})
		lines := splitLines(string(src))
		for rule, tl := range tally {
			var got [][2]int
			for _, f := range findingsOf(rep, rule) {
				got = append(got, [2]int{f.StartLine, f.EndLine})
			}
			want := exp.want[rule]
			if len(want) == 0 && len(got) == 0 {
				continue
			}
			if !mappedRules[rule] {
				t.Logf("%s %s: no zizmor audit to compare with, found %v", name, rule, got)
				tl.Unmapped += len(got)
				continue
			}
			a, b, c, d := matchSpans(lines, want, got)
			tl.add(a, b, c, d)
			if b > 0 || c > 0 {
				t.Logf("%s [%s] %s: want %v got %v (FP %d, FN %d)", name, exp.persona, rule, want, got, b, c)
			}
		}
	}
	t.Logf("zizmor snapshots, %d inputs", len(names))
	logTallies(t, tally)
}

// evalTally counts the outcome for one rule; Dup counts extra findings
// inside a place that another finding already matched.
type evalTally struct{ TP, FP, FN, Dup, Unmapped int }

// mappedRules are the warden rules some zizmor audit maps onto.
var mappedRules = func() map[string]bool {
	m := map[string]bool{}
	for _, r := range zizmorAudits {
		m[r] = true
	}
	return m
}()

func (e *evalTally) add(tp, fp, fn, dup int) {
	e.TP += tp
	e.FP += fp
	e.FN += fn
	e.Dup += dup
}

func logTallies(t *testing.T, tally map[string]*evalTally) {
	rules := make([]string, 0, len(tally))
	for r := range tally {
		rules = append(rules, r)
	}
	sort.Strings(rules)
	var all evalTally
	for _, r := range rules {
		e := tally[r]
		all.add(e.TP, e.FP, e.FN, e.Dup)
		if e.Unmapped > 0 {
			t.Logf("| %s | no counterpart; %d findings to adjudicate by hand |", r, e.Unmapped)
			continue
		}
		t.Logf("| %s | %d | %d | %d | %d | %s | %s |", r, e.TP, e.FP, e.FN, e.Dup, ratio(e.TP, e.TP+e.FN), ratio(e.TP, e.TP+e.FP))
	}
	t.Logf("| all | %d | %d | %d | %d | %s | %s |", all.TP, all.FP, all.FN, all.Dup, ratio(all.TP, all.TP+all.FN), ratio(all.TP, all.TP+all.FP))
}

func ratio(a, b int) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f %%", 100*float64(a)/float64(b))
}

// zizmorInput is what one snapshot expects of one input file: per warden
// rule, the 1-based line:col positions zizmor reported (deduplicated).
type zizmorInput struct {
	persona string
	rank    int
	want    map[string][][2]int
}

var (
	snapInput   = regexp.MustCompile(`input_under_test\(\\"([^"\\]+)\\"\)`)
	snapFinding = regexp.MustCompile(`^(?:error|warning|note|help|info)\[([a-z-]+)\]:`)
	snapAt      = regexp.MustCompile(`^\s*--> @@INPUT@@:(\d+):(\d+)`)
)

func zizmorExpectations(t *testing.T, dir string) map[string]*zizmorInput {
	snaps, _ := filepath.Glob(filepath.Join(dir, "integration__snapshot__*.snap"))
	if len(snaps) == 0 {
		t.Fatalf("no snapshots under %s", dir)
	}
	out := map[string]*zizmorInput{}
	for _, s := range snaps {
		b, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		var expr string
		for _, l := range strings.Split(text, "\n") {
			if strings.HasPrefix(l, "expression:") {
				expr = l
				break
			}
		}
		m := snapInput.FindStringSubmatch(expr)
		if m == nil || strings.Contains(expr, ".config(") || strings.Contains(expr, "--format") {
			continue
		}
		in := &zizmorInput{persona: "default", rank: 1, want: map[string][][2]int{}}
		switch {
		case strings.Contains(expr, "auditor"):
			in.persona, in.rank = "auditor", 3
		case strings.Contains(expr, "pedantic"):
			in.persona, in.rank = "pedantic", 2
		}
		if prev := out[m[1]]; prev != nil && prev.rank >= in.rank {
			continue
		}
		seen := map[string]bool{}
		audit := ""
		for _, l := range strings.Split(text, "\n") {
			if f := snapFinding.FindStringSubmatch(l); f != nil {
				audit = f[1]
				continue
			}
			if at := snapAt.FindStringSubmatch(l); at != nil && audit != "" {
				rule, ok := zizmorAudits[audit]
				key := rule + at[1] + ":" + at[2]
				if ok && !seen[key] {
					seen[key] = true
					line, _ := strconv.Atoi(at[1])
					col, _ := strconv.Atoi(at[2])
					in.want[rule] = append(in.want[rule], [2]int{line, col})
				}
				audit = ""
			}
		}
		out[m[1]] = in
	}
	return out
}

// matchSpans pairs expected positions with found line ranges. A finding
// matches a position on the same line, or anywhere inside the YAML node
// that starts at the position (zizmor points at a step, job or the whole
// workflow; warden at the offending key or expression), or a range that
// contains the position. Unmatched findings inside an already matched node
// are duplicates, not false alarms.
func matchSpans(src []string, want [][2]int, got [][2]int) (tp, fp, fn, dup int) {
	sort.Slice(want, func(i, j int) bool { return want[i][0] < want[j][0] })
	sort.Slice(got, func(i, j int) bool { return got[i][0] < got[j][0] })
	used := make([]bool, len(got))
	inNode := func(w [2]int, g [2]int) bool {
		end := nodeEnd(src, w[0], w[1])
		return g[1] >= w[0] && g[0] <= end
	}
	matched := make([][2]int, 0, len(want))
	for pass := 0; pass < 2; pass++ {
		for _, w := range want {
			if containsPos(matched, w) {
				continue
			}
			for i, g := range got {
				if used[i] {
					continue
				}
				if (pass == 0 && g[0] == w[0]) || (pass == 1 && inNode(w, g)) {
					used[i] = true
					matched = append(matched, w)
					break
				}
			}
		}
	}
	tp = len(matched)
	for _, w := range want {
		if containsPos(matched, w) {
			continue
		}
		// zizmor often repeats a workflow-level finding on each job;
		// warden reports it once. A position inside a matched node is
		// the same problem again, not a miss.
		inside := false
		for _, m := range matched {
			if m != w && w[0] >= m[0] && w[0] <= nodeEnd(src, m[0], m[1]) {
				inside = true
				break
			}
		}
		if !inside {
			fn++
		}
	}
	for i, u := range used {
		if u {
			continue
		}
		isDup := false
		for _, w := range matched {
			if inNode(w, got[i]) {
				isDup = true
				break
			}
		}
		if isDup {
			dup++
		} else {
			fp++
		}
	}
	return tp, fp, fn, dup
}

func containsPos(ps [][2]int, p [2]int) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

// nodeEnd returns the last line of the YAML node whose first key sits at
// line:col: following lines indented at least as deep belong to it.
func nodeEnd(src []string, line, col int) int {
	if line < 1 || line > len(src) {
		return line
	}
	if line == 1 && col == 1 {
		return len(src)
	}
	head := src[line-1]
	if col > 1 && col-1 < len(head) {
		// A key with its value on the same line ("uses: x", "runs-on: y")
		// stands for the mapping it belongs to: the job or the step.
		if k, v, ok := strings.Cut(head[col-1:], ":"); ok && !strings.Contains(k, " ") && strings.TrimSpace(v) != "" && !strings.HasPrefix(strings.TrimSpace(v), "#") {
			end := line
			for l := line + 1; l <= len(src); l++ {
				s := src[l-1]
				if strings.TrimSpace(s) == "" || strings.HasPrefix(strings.TrimSpace(s), "#") {
					continue
				}
				if len(indentOf(s)) < col-1 || strings.HasPrefix(strings.TrimSpace(s), "- ") && len(indentOf(s)) <= col-1 {
					break
				}
				end = l
			}
			return end
		}
	}
	// A key that opens a sequence item ("- name: x") shares its node with
	// the sibling keys below it; any other key owns only deeper lines.
	depth := col // lines indented less than this end the node
	if head := src[line-1]; col >= 3 && col-1 <= len(head) && strings.HasSuffix(strings.TrimRight(head[:col-1], " "), "-") {
		depth = col - 1
	}
	end := line
	for l := line + 1; l <= len(src); l++ {
		s := src[l-1]
		if strings.TrimSpace(s) == "" || strings.HasPrefix(strings.TrimSpace(s), "#") {
			continue
		}
		if len(indentOf(s)) < depth {
			break
		}
		end = l
	}
	return end
}
