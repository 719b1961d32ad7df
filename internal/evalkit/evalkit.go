// Package evalkit scores warden against labelled outside suites the same
// way for every check, and keeps the published tables honest: a case is
// found only by a finding of its class at its own line (within Tolerance),
// raw numbers are computed on every case, reviews and exclusions are data
// files applied by the harness in both directions, the tables in EVAL.md
// are written by the harness (go test -run Eval -update-tables), and raw
// recall and precision are asserted as floors so a regression fails CI.
package evalkit

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
)

// Tolerance is how many lines either side of a labelled line a finding may
// sit and still match it: suites label the line of an annotation or the
// first line of a multi-line statement, not always the line a tool names.
// It is the same for every suite.
const Tolerance = 1

// Case is one labelled case of an outside suite.
type Case struct {
	ID       string // stable and unique: "semgrep-rules/go/x.go:42"
	Class    string // what the suite labels: a weakness group, a rule family
	Positive bool   // the suite says a finding of Class belongs here
	Path     string
	Line     int // 0: the whole file is the case (suites without lines)
}

// Finding is what the tool reported, reduced to what scoring needs.
type Finding struct {
	Path  string
	Line  int
	Class string
}

// Hit reports whether a finding of the case's class lies on the case's line
// (±Tolerance), or anywhere in the file for a case without a line.
func Hit(c Case, fs []Finding) bool {
	for _, f := range fs {
		if f.Class != c.Class || f.Path != c.Path {
			continue
		}
		if c.Line == 0 || (f.Line >= c.Line-Tolerance && f.Line <= c.Line+Tolerance) {
			return true
		}
	}
	return false
}

// Outcome is one case and what the tool answered.
type Outcome struct {
	Case
	Reported bool // the tool reported the case's class at the case's place
}

// Agrees reports whether the tool's answer is the suite's.
func (o Outcome) Agrees() bool { return o.Reported == o.Positive }

// Score counts outcomes.
type Score struct {
	TP, FN, FP, TN int
}

// Add counts one outcome.
func (s *Score) Add(o Outcome) {
	switch {
	case o.Positive && o.Reported:
		s.TP++
	case o.Positive:
		s.FN++
	case o.Reported:
		s.FP++
	default:
		s.TN++
	}
}

// Recall is TP / (TP + FN); 1 with no positive case.
func (s Score) Recall() float64 { return ratio(s.TP, s.TP+s.FN) }

// Precision is TP / (TP + FP); 1 with nothing reported.
func (s Score) Precision() float64 { return ratio(s.TP, s.TP+s.FP) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Positives and Negatives count the cases of each label.
func (s Score) Positives() int { return s.TP + s.FN }
func (s Score) Negatives() int { return s.FP + s.TN }

// ScoreBy scores outcomes per key (a class, a rule, "all").
func ScoreBy(outs []Outcome, key func(Outcome) string) map[string]*Score {
	m := map[string]*Score{}
	for _, o := range outs {
		k := key(o)
		if m[k] == nil {
			m[k] = &Score{}
		}
		m[k].Add(o)
	}
	return m
}

// Verdict is what a reviewer decided about one case.
type Verdict string

const (
	// SuiteRight: the suite's label stands; the tool is wrong (a miss or a
	// false alarm confirmed). Listed so that reviews go both ways.
	SuiteRight Verdict = "suite-right"
	// ToolRight: the label is wrong; the reviewed table flips it.
	ToolRight Verdict = "tool-right"
	// Exclude: no answer is right (the case is not valid code, or tests
	// something outside the check's scope); the reviewed table drops it.
	Exclude Verdict = "exclude"
)

// Review is a data file of decided cases, one per line:
//
//	ID <TAB> suite-right|tool-right|exclude <TAB> reason
//
// Blank lines and lines starting with # are comments.
type Review struct {
	Path      string
	Decisions map[string]Decision
}

// Decision is one reviewed case.
type Decision struct {
	ID      string
	Verdict Verdict
	Reason  string
	Line    int // in the review file
}

// LoadReview reads a review file.
func LoadReview(path string) (*Review, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseReview(path, f)
}

// ParseReview reads a review from r; name is used in errors.
func ParseReview(name string, r io.Reader) (*Review, error) {
	rv := &Review{Path: name, Decisions: map[string]Decision{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.SplitN(line, "\t", 3)
		if len(parts) != 3 || strings.TrimSpace(parts[2]) == "" {
			return nil, fmt.Errorf("%s:%d: want ID<TAB>verdict<TAB>reason", name, n)
		}
		d := Decision{ID: parts[0], Verdict: Verdict(parts[1]), Reason: strings.TrimSpace(parts[2]), Line: n}
		switch d.Verdict {
		case SuiteRight, ToolRight, Exclude:
		default:
			return nil, fmt.Errorf("%s:%d: verdict %q is not suite-right, tool-right or exclude", name, n, d.Verdict)
		}
		if prev, dup := rv.Decisions[d.ID]; dup {
			return nil, fmt.Errorf("%s:%d: %s is already decided on line %d", name, n, d.ID, prev.Line)
		}
		rv.Decisions[d.ID] = d
	}
	return rv, sc.Err()
}

// Apply returns the reviewed outcomes: tool-right cases flipped, excluded
// cases dropped. Every decision must name a case, and every decision must
// concern a disagreement or an exclusion: a stale entry is an error, so the
// review cannot silently rot as the tool or the suite changes.
func (rv *Review) Apply(outs []Outcome) ([]Outcome, error) {
	seen := map[string]bool{}
	var out []Outcome
	var errs []string
	for _, o := range outs {
		d, ok := rv.Decisions[o.ID]
		if !ok {
			out = append(out, o)
			continue
		}
		seen[o.ID] = true
		switch d.Verdict {
		case Exclude:
			continue
		case ToolRight:
			if o.Agrees() {
				errs = append(errs, fmt.Sprintf("%s:%d: %s: the tool now agrees with the suite; drop the entry", rv.Path, d.Line, d.ID))
			}
			o.Positive = !o.Positive
		case SuiteRight:
			if o.Agrees() {
				errs = append(errs, fmt.Sprintf("%s:%d: %s: the tool now agrees with the suite; drop the entry", rv.Path, d.Line, d.ID))
			}
		}
		out = append(out, o)
	}
	for id, d := range rv.Decisions {
		if !seen[id] {
			errs = append(errs, fmt.Sprintf("%s:%d: %s names no case of the suite", rv.Path, d.Line, id))
		}
	}
	sort.Strings(errs)
	if len(errs) > 0 {
		return out, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return out, nil
}

// Tally counts decisions by verdict and by direction, for the EVAL.md line
// that says how the review went.
func (rv *Review) Tally(outs []Outcome) map[string]int {
	byID := map[string]Outcome{}
	for _, o := range outs {
		byID[o.ID] = o
	}
	t := map[string]int{}
	for id, d := range rv.Decisions {
		o := byID[id]
		kind := "false alarm"
		if o.Positive {
			kind = "miss"
		}
		t[string(d.Verdict)+", "+kind]++
	}
	return t
}

// Percent renders a ratio as a whole percentage.
func Percent(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) }

// Floor is the least raw recall and precision a table may show.
type Floor struct{ Recall, Precision float64 }

// Check reports a score below the floor.
func (f Floor) Check(name string, s Score) error {
	if s.Recall()+1e-9 < f.Recall || s.Precision()+1e-9 < f.Precision {
		return fmt.Errorf("%s: raw recall %s / precision %s fell below the floor %s / %s",
			name, Percent(s.Recall()), Percent(s.Precision()), Percent(f.Recall), Percent(f.Precision))
	}
	return nil
}

// UpdateTables, set by -update-tables, makes Tables.Sync rewrite EVAL.md
// instead of comparing it.
var UpdateTables = flag.Bool("update-tables", false, "rewrite the generated tables in EVAL.md")

// Tables are generated sections of an EVAL.md file, each between
//
//	<!-- generated: NAME -->
//	…
//	<!-- end: NAME -->
type Tables struct {
	File     string
	sections map[string]string
}

// Set records the generated content of a section.
func (t *Tables) Set(name, content string) {
	if t.sections == nil {
		t.sections = map[string]string{}
	}
	t.sections[name] = strings.TrimRight(content, "\n") + "\n"
}

var sectionRe = regexp.MustCompile(`(?s)<!-- generated: ([A-Za-z0-9._-]+) -->\n(.*?)<!-- end: ([A-Za-z0-9._-]+) -->`)

// Sync compares every section with the file, or rewrites the file under
// -update-tables. A section the file lacks, or one the harness no longer
// writes, is an error either way.
func (t *Tables) Sync() error {
	data, err := os.ReadFile(t.File)
	if err != nil {
		return err
	}
	found := map[string]bool{}
	var diffs []string
	out := sectionRe.ReplaceAllStringFunc(string(data), func(m string) string {
		sub := sectionRe.FindStringSubmatch(m)
		name, body, end := sub[1], sub[2], sub[3]
		if name != end {
			diffs = append(diffs, fmt.Sprintf("section %s ends as %s", name, end))
			return m
		}
		found[name] = true
		want, ok := t.sections[name]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("section %s is no longer generated; remove it", name))
			return m
		}
		if body != want {
			diffs = append(diffs, fmt.Sprintf("section %s differs from what the harness computes", name))
		}
		return "<!-- generated: " + name + " -->\n" + want + "<!-- end: " + name + " -->"
	})
	for name := range t.sections {
		if !found[name] {
			diffs = append(diffs, fmt.Sprintf("section %s is missing; add <!-- generated: %s --> … <!-- end: %s --> to %s", name, name, name, t.File))
		}
	}
	sort.Strings(diffs)
	if *UpdateTables {
		if err := os.WriteFile(t.File, []byte(out), 0o644); err != nil {
			return err
		}
		var missing []string
		for _, d := range diffs {
			if strings.Contains(d, "missing") || strings.Contains(d, "ends as") || strings.Contains(d, "no longer") {
				missing = append(missing, d)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("%s", strings.Join(missing, "\n"))
		}
		return nil
	}
	if len(diffs) > 0 {
		return fmt.Errorf("%s: %s (go test -run Eval -update-tables rewrites it)", t.File, strings.Join(diffs, "; "))
	}
	return nil
}

// Row renders one table row: name, cases +/−, recall, precision.
func Row(name string, s Score) string {
	return fmt.Sprintf("| %s | %d / %d | %s | %s |", name, s.Positives(), s.Negatives(), Percent(s.Recall()), Percent(s.Precision()))
}

// Header is the header of the rows Row renders, with the first column named.
func Header(first string) string {
	return "| " + first + " | cases + / − | recall | precision |\n|---|---|---|---|"
}
