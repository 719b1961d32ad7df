package code

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The evaluation runs warden's code check over annotated public test
// suites that warden's authors did not write, and prints recall and
// precision per weakness. It needs the suites on disk, so it only runs
// when WARDEN_EVAL_CODE names a directory holding
//
//	gosec/         the testutils directory of github.com/securego/gosec/v2
//	semgrep-rules/ a checkout of github.com/semgrep/semgrep-rules
//
// Nothing of either suite is committed; see testdata/EVAL.md for the
// sources, their licences and the measured table. bench/code-eval.sh
// prepares the directory.

// cweGroup folds the CWEs suites use for one weakness into one label.
var cweGroup = map[int]string{
	89: "CWE-89 SQL injection", 564: "CWE-89 SQL injection",
	78: "CWE-78 OS command injection", 77: "CWE-78 OS command injection", 88: "CWE-78 OS command injection",
	22: "CWE-22 path traversal", 23: "CWE-22 path traversal", 73: "CWE-22 path traversal",
	918: "CWE-918 SSRF",
	79:  "CWE-79 XSS", 80: "CWE-79 XSS",
	601: "CWE-601 open redirect",
	95:  "CWE-95 code injection", 94: "CWE-95 code injection",
	502:  "CWE-502 deserialisation",
	1336: "CWE-1336 template injection",
	295:  "CWE-295 TLS verification",
	327:  "CWE-327 weak crypto", 326: "CWE-327 weak crypto", 328: "CWE-327 weak crypto", 916: "CWE-327 weak crypto",
	338: "CWE-338 weak randomness", 330: "CWE-338 weak randomness",
	347: "CWE-347 JWT verification",
	489: "CWE-489 debug mode", 215: "CWE-489 debug mode",
	942: "CWE-942 permissive CORS", 346: "CWE-942 permissive CORS",
	732: "CWE-732 file permissions", 276: "CWE-732 file permissions",
	1327: "CWE-1327 bind all interfaces",
}

// ruleGroup maps warden's rules to the same labels.
func ruleGroup(ruleID string) string {
	d := docByName[strings.TrimPrefix(ruleID, "code/")]
	if d == nil {
		return ""
	}
	n, _ := strconv.Atoi(strings.TrimPrefix(d.cwe, "CWE-"))
	return cweGroup[n]
}

// gosecRules maps gosec rule ids to the weakness they test, for the rules
// warden shares with gosec.
var gosecRules = map[string]string{
	"G201": "CWE-89 SQL injection", "G202": "CWE-89 SQL injection", "G701": "CWE-89 SQL injection",
	"G204": "CWE-78 OS command injection", "G702": "CWE-78 OS command injection",
	"G304": "CWE-22 path traversal", "G703": "CWE-22 path traversal",
	"G107": "CWE-918 SSRF", "G704": "CWE-918 SSRF",
	"G203": "CWE-79 XSS", "G705": "CWE-79 XSS",
	"G710": "CWE-601 open redirect",
	"G708": "CWE-1336 template injection",
	"G709": "CWE-502 deserialisation",
	"G402": "CWE-295 TLS verification|CWE-327 weak crypto",
	"G401": "CWE-327 weak crypto", "G405": "CWE-327 weak crypto", "G406": "CWE-327 weak crypto",
	"G501": "CWE-327 weak crypto", "G502": "CWE-327 weak crypto", "G503": "CWE-327 weak crypto",
	"G505": "CWE-327 weak crypto", "G507": "CWE-327 weak crypto",
	"G404": "CWE-338 weak randomness",
	"G301": "CWE-732 file permissions", "G302": "CWE-732 file permissions", "G306": "CWE-732 file permissions",
	"G102": "CWE-1327 bind all interfaces",
}

type tally struct{ tp, fp, fn, tn int }

func (t *tally) add(expected, predicted bool) {
	switch {
	case expected && predicted:
		t.tp++
	case expected:
		t.fn++
	case predicted:
		t.fp++
	default:
		t.tn++
	}
}

func pct(num, den int) string {
	if den == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(num)/float64(den))
}

func printTable(t *testing.T, title string, rows map[string]*tally) {
	var keys []string
	var sum tally
	for k, v := range rows {
		keys = append(keys, k)
		sum.tp += v.tp
		sum.fp += v.fp
		sum.fn += v.fn
		sum.tn += v.tn
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "\n### %s\n\n| weakness | cases + | cases − | TP | FN | FP | recall | precision |\n|---|---|---|---|---|---|---|---|\n", title)
	for _, k := range append(keys, "all") {
		v := rows[k]
		if k == "all" {
			v = &sum
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | %s | %s |\n", k, v.tp+v.fn, v.fp+v.tn, v.tp, v.fn, v.fp, pct(v.tp, v.tp+v.fn), pct(v.tp, v.tp+v.fp))
	}
	t.Log(b.String())
}

func evalDir(t *testing.T) string {
	dir := os.Getenv("WARDEN_EVAL_CODE")
	if dir == "" {
		t.Skip("set WARDEN_EVAL_CODE to a directory with gosec/ and semgrep-rules/ to run the evaluation")
	}
	return dir
}

// gosecSample is one CodeSample of gosec's testutils.
type gosecSample struct {
	rule   string
	index  int
	files  []string
	errors int
}

// loadGosecSamples reads the samples as data: the testutils files are
// parsed, never compiled or run.
func loadGosecSamples(t *testing.T, dir string) []gosecSample {
	paths, _ := filepath.Glob(filepath.Join(dir, "g*_samples.go"))
	var out []gosecSample
	for _, p := range paths {
		rule := "G" + strings.TrimPrefix(strings.SplitN(filepath.Base(p), "_", 2)[0], "g")
		if _, ok := gosecRules[rule]; !ok {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		idx := 0
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok || len(lit.Elts) < 2 {
				return true
			}
			code, ok := lit.Elts[0].(*ast.CompositeLit)
			if !ok {
				if kv, isKV := lit.Elts[0].(*ast.KeyValueExpr); isKV {
					code, ok = kv.Value.(*ast.CompositeLit)
				}
			}
			if !ok {
				return true
			}
			var files []string
			for _, e := range code.Elts {
				if bl, ok := e.(*ast.BasicLit); ok && bl.Kind == token.STRING {
					s, err := strconv.Unquote(bl.Value)
					if err == nil {
						files = append(files, s)
					}
				}
			}
			errExpr := lit.Elts[1]
			if kv, isKV := errExpr.(*ast.KeyValueExpr); isKV {
				errExpr = kv.Value
			}
			bl, ok := errExpr.(*ast.BasicLit)
			if !ok || len(files) == 0 {
				return true
			}
			n2, _ := strconv.Atoi(bl.Value)
			out = append(out, gosecSample{rule: rule, index: idx, files: files, errors: n2})
			idx++
			return false
		})
	}
	return out
}

func TestEvalGosec(t *testing.T) {
	dir := filepath.Join(evalDir(t), "gosec")
	samples := loadGosecSamples(t, dir)
	if len(samples) == 0 {
		t.Fatalf("no gosec samples under %s", dir)
	}
	for _, mode := range []struct {
		name string
		opts Options
	}{{"default", Options{}}, {"audit", Options{Audit: true}}} {
		rows := map[string]*tally{}
		var misses, alarms []string
		for _, s := range samples {
			groups := strings.Split(gosecRules[s.rule], "|")
			files := map[string]string{}
			for i, code := range s.files {
				files[fmt.Sprintf("s%d.go", i)] = code
			}
			rep := scanWith(t, mode.opts, files)
			if show := os.Getenv("WARDEN_EVAL_SHOW"); show != "" && strings.Contains(" "+show+" ", fmt.Sprintf(" %s#%d ", s.rule, s.index)) {
				t.Logf("%s#%d expects %d:\n%s", s.rule, s.index, s.errors, strings.Join(s.files, "\n----\n"))
				for _, f := range rep.Findings {
					t.Logf("  %d %s %s", f.StartLine, f.RuleID, f.Message)
				}
			}
			predicted := false
			for _, f := range rep.Findings {
				for _, g := range groups {
					predicted = predicted || ruleGroup(f.RuleID) == g
				}
			}
			if rows[groups[0]] == nil {
				rows[groups[0]] = &tally{}
			}
			rows[groups[0]].add(s.errors > 0, predicted)
			switch {
			case s.errors > 0 && !predicted:
				misses = append(misses, fmt.Sprintf("%s#%d", s.rule, s.index))
			case s.errors == 0 && predicted:
				alarms = append(alarms, fmt.Sprintf("%s#%d", s.rule, s.index))
			}
		}
		printTable(t, fmt.Sprintf("gosec v2.30.0 testutils, %s mode (%d samples, per sample)", mode.name, len(samples)), rows)
		t.Logf("%s missed: %s", mode.name, strings.Join(misses, " "))
		t.Logf("%s false alarms: %s", mode.name, strings.Join(alarms, " "))
	}
}

var (
	annotationRe    = regexp.MustCompile(`(?:#|//|/\*|<!--|\{/\*)\s*(ruleid|ok|todoruleid|todook)\s*:\s*([A-Za-z0-9_.\-]+(?:\s*,\s*[A-Za-z0-9_.\-]+)*)`)
	cweRe           = regexp.MustCompile(`CWE-(\d+)`)
	ruleIDRe        = regexp.MustCompile(`(?m)^\s*-\s*id:\s*([A-Za-z0-9_.\-]+)`)
	taintModeRe     = regexp.MustCompile(`(?m)^\s*mode:\s*taint`)
	lowConfidenceRe = regexp.MustCompile(`(?m)^\s*confidence:\s*LOW`)
	sourceLineRe    = regexp.MustCompile(`\((?:built on )?line (\d+)`)
)

var semgrepExts = map[string][]string{
	"python":     {".py"},
	"javascript": {".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx"},
	"typescript": {".ts", ".tsx", ".js"},
	"go":         {".go"},
}

func TestEvalSemgrepRules(t *testing.T) {
	root := filepath.Join(evalDir(t), "semgrep-rules")
	for _, mode := range []struct {
		name string
		opts Options
	}{{"default", Options{}}, {"audit", Options{Audit: true}}} {
		evalSemgrep(t, root, mode.name, mode.opts)
	}
}

func evalSemgrep(t *testing.T, root, mode string, opts Options) {
	all, taint, reviewed, confident := map[string]*tally{}, map[string]*tally{}, map[string]*tally{}, map[string]*tally{}
	verdicts := loadReview(t)
	used := map[string]bool{}
	var misses, alarms []string
	files := 0
	for lang, exts := range semgrepExts {
		_ = filepath.WalkDir(filepath.Join(root, lang), func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".test.yaml") {
				return nil
			}
			spec, err := os.ReadFile(p)
			if err != nil {
				return nil
			}
			group := ""
			for _, m := range cweRe.FindAllStringSubmatch(string(spec), -1) {
				n, _ := strconv.Atoi(m[1])
				if g := cweGroup[n]; g != "" {
					group = g
					break
				}
			}
			if group == "" {
				return nil
			}
			ids := map[string]bool{}
			for _, m := range ruleIDRe.FindAllStringSubmatch(string(spec), -1) {
				ids[m[1]] = true
			}
			isTaint := taintModeRe.Match(spec)
			// semgrep labels its noisy audit rules confidence: LOW.
			lowConfidence := lowConfidenceRe.Match(spec)
			base := strings.TrimSuffix(p, ".yaml")
			for _, ext := range exts {
				test := base + ext
				src, err := os.ReadFile(test)
				if err != nil {
					continue
				}
				files++
				rel, _ := filepath.Rel(root, test)
				rel = filepath.ToSlash(rel)
				cases := annotatedLines(string(src), ids)
				if len(cases) == 0 {
					continue
				}
				rep := scanWith(t, opts, map[string]string{rel: string(src)})
				// Lines each weakness group is reported on: the finding's
				// lines, and the source and build lines its message names
				// (a match may begin at the source, x = request.GET[…] …
				// open(x), or where the string is built).
				byGroup := map[string]map[int]bool{}
				for _, f := range rep.Findings {
					g := ruleGroup(f.RuleID)
					if byGroup[g] == nil {
						byGroup[g] = map[int]bool{}
					}
					for l := f.StartLine; l <= f.EndLine; l++ {
						byGroup[g][l] = true
					}
					for _, m := range sourceLineRe.FindAllStringSubmatch(f.Message, -1) {
						n, _ := strconv.Atoi(m[1])
						byGroup[g][n] = true
					}
				}
				predicts := func(g string, c annotated) bool {
					for l := c.line; l <= c.last; l++ {
						if byGroup[g][l] {
							return true
						}
					}
					return false
				}
				for _, c := range cases {
					predicted := predicts(group, c)
					for i, tb := range []map[string]*tally{all, taint} {
						if i == 1 && !isTaint {
							continue
						}
						if tb[group] == nil {
							tb[group] = &tally{}
						}
						tb[group].add(c.positive, predicted)
					}
					at := fmt.Sprintf("%s:%d", rel, c.line)
					if isTaint {
						g, positive, keep := group, c.positive, true
						if v, ok := verdicts[at]; ok {
							used[at] = true
							g, positive, keep = v.apply(group, c.positive)
						}
						for i, tb := range []map[string]*tally{reviewed, confident} {
							if !keep || i == 1 && lowConfidence {
								continue
							}
							if tb[g] == nil {
								tb[g] = &tally{}
							}
							tb[g].add(positive, predicts(g, c))
						}
					}
					kind := "audit-rule"
					if isTaint {
						kind = "taint-rule"
					}
					line := fmt.Sprintf("\n  %s %s %s", kind, group[:strings.Index(group, " ")], at)
					switch {
					case c.positive && !predicted:
						misses = append(misses, line)
					case !c.positive && predicted:
						alarms = append(alarms, line)
					}
				}
			}
			return nil
		})
	}
	if files == 0 {
		t.Fatalf("no semgrep-rules tests under %s", root)
	}
	for at := range verdicts {
		if !used[at] {
			t.Errorf("%s: %s is not an annotated case of a taint rule in scope", reviewFile, at)
		}
	}
	printTable(t, "semgrep-rules, "+mode+" mode, all rules in scope (per annotated line)", all)
	printTable(t, "semgrep-rules, "+mode+" mode, taint-mode rules only", taint)
	printTable(t, "semgrep-rules, "+mode+" mode, taint-mode rules only, after review ("+reviewFile+")", reviewed)
	printTable(t, "semgrep-rules, "+mode+" mode, taint-mode rules of medium or high confidence, after review", confident)
	sort.Strings(misses)
	sort.Strings(alarms)
	t.Logf("%s missed (%d): %s", mode, len(misses), strings.Join(misses, ""))
	t.Logf("%s false alarms (%d): %s", mode, len(alarms), strings.Join(alarms, ""))
}

// reviewFile lists the semgrep-rules taint cases where warden's answer
// differs from the annotation and a reviewer sides with warden, each with
// its reason. The reviewed table applies them; the raw tables do not.
const reviewFile = "testdata/eval-review.txt"

// verdict is one line of reviewFile: "exclude" (the case is not valid
// code or cannot be judged), "vulnerable" (an ok: case that is not safe),
// "safe" (a ruleid: case that is not exploitable) or "as CWE-n" (the case
// is a positive of another weakness).
type verdict struct{ kind, group string }

func (v verdict) apply(group string, positive bool) (string, bool, bool) {
	switch v.kind {
	case "exclude":
		return group, positive, false
	case "vulnerable":
		return group, true, true
	case "safe":
		return group, false, true
	}
	return v.group, positive, true
}

func loadReview(t *testing.T) map[string]verdict {
	b, err := os.ReadFile(reviewFile)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]verdict{}
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 3 {
			t.Fatalf("%s:%d: want PATH:LINE VERDICT REASON", reviewFile, i+1)
		}
		v := verdict{kind: f[1]}
		switch f[1] {
		case "exclude", "vulnerable", "safe":
		case "as":
			n, _ := strconv.Atoi(strings.TrimPrefix(f[2], "CWE-"))
			v.group = cweGroup[n]
			if v.group == "" || len(f) < 4 {
				t.Fatalf("%s:%d: want PATH:LINE as CWE-n REASON", reviewFile, i+1)
			}
		default:
			t.Fatalf("%s:%d: unknown verdict %q", reviewFile, i+1, f[1])
		}
		out[f[0]] = v
	}
	return out
}

// annotated is one `ruleid:` (positive) or `ok:` (negative) case: the code
// line after the annotation, and the lines up to the next annotation that
// the same statement may span.
type annotated struct {
	line, last int
	positive   bool
}

func annotatedLines(src string, ids map[string]bool) []annotated {
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(src))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	var out []annotated
	for i, l := range lines {
		m := annotationRe.FindStringSubmatch(l)
		if m == nil || strings.HasPrefix(m[1], "todo") {
			continue
		}
		match := false
		for _, id := range strings.Split(m[2], ",") {
			if ids[strings.TrimSpace(id)] {
				match = true
			}
		}
		if !match {
			continue
		}
		// The case is the next line that is not itself an annotation or
		// blank; an annotation at the end of a code line marks that line.
		target := i + 1
		if strings.TrimSpace(l[:strings.Index(l, m[0])]) != "" {
			target = i
		}
		for target < len(lines) && (strings.TrimSpace(lines[target]) == "" || annotationRe.MatchString(lines[target])) {
			target++
		}
		if target >= len(lines) {
			continue
		}
		last := target
		for last+1 < len(lines) && last < target+3 && !annotationRe.MatchString(lines[last+1]) && strings.TrimSpace(lines[last+1]) != "" &&
			(strings.HasPrefix(lines[last+1], " ") || strings.HasPrefix(lines[last+1], "\t") || strings.HasPrefix(strings.TrimSpace(lines[last+1]), ")")) &&
			indent(lines[last+1]) > indent(lines[target]) {
			last++
		}
		out = append(out, annotated{line: target + 1, last: last + 1, positive: m[1] == "ruleid"})
	}
	return out
}

func indent(s string) int { return len(s) - len(strings.TrimLeft(s, " \t")) }
