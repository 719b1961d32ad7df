package workflows

import (
	"sort"
	"strings"

	"github.com/wardenbot/warden/checks"
)

// edits collects changes to a file's lines and renders them as one Fix.
// Replacements within a line are applied right to left so that earlier
// columns stay valid; insertions are applied last.
type edits struct {
	f       *file
	repl    map[int][]replacement
	before  map[int]string
	after   map[int]string
	rewrite map[int]func(string) string
}

type replacement struct {
	col, length int // 1-based column, bytes
	text        string
}

func newEdits(f *file) *edits {
	return &edits{f: f, repl: map[int][]replacement{}, before: map[int]string{}, after: map[int]string{}, rewrite: map[int]func(string) string{}}
}

func (e *edits) replace(line, col, length int, text string) {
	e.repl[line] = append(e.repl[line], replacement{col, length, text})
}

// insertBefore adds lines (joined by "\n") above line.
func (e *edits) insertBefore(line int, text string) { e.before[line] = text }

// insertAfter adds lines (joined by "\n") below line.
func (e *edits) insertAfter(line int, text string) { e.after[line] = text }

// rewriteLine transforms a line after its replacements.
func (e *edits) rewriteLine(line int, fn func(string) string) { e.rewrite[line] = fn }

// fix renders the edited line range, or nil when a replacement does not
// fit its line (the source changed shape under us).
func (e *edits) fix(description string) *checks.Fix {
	touched := map[int]bool{}
	for _, m := range []map[int]string{e.before, e.after} {
		for l := range m {
			touched[l] = true
		}
	}
	for l := range e.repl {
		touched[l] = true
	}
	for l := range e.rewrite {
		touched[l] = true
	}
	if len(touched) == 0 {
		return nil
	}
	first, last := 0, 0
	for l := range touched {
		if l < 1 || l > len(e.f.Lines) {
			return nil
		}
		if first == 0 || l < first {
			first = l
		}
		if l > last {
			last = l
		}
	}
	var out []string
	for l := first; l <= last; l++ {
		text, ok := e.applyLine(l)
		if !ok {
			return nil
		}
		if b, ok := e.before[l]; ok {
			out = append(out, b)
		}
		out = append(out, text)
		if a, ok := e.after[l]; ok {
			out = append(out, a)
		}
	}
	return &checks.Fix{StartLine: first, EndLine: last, Replacement: strings.Join(out, "\n"), Description: description}
}

func (e *edits) applyLine(l int) (string, bool) {
	text := e.f.line(l)
	rs := e.repl[l]
	sort.Slice(rs, func(i, j int) bool { return rs[i].col > rs[j].col })
	prevStart := len(text) + 1
	for _, r := range rs {
		start := r.col - 1
		end := start + r.length
		if start < 0 || end > len(text) || end > prevStart {
			return "", false
		}
		text = text[:start] + r.text + text[end:]
		prevStart = start
	}
	if fn := e.rewrite[l]; fn != nil {
		text = fn(text)
	}
	return text, true
}
