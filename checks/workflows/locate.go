package workflows

import (
	"sort"
	"strings"

	"github.com/rhysd/actionlint"
)

// position is a 1-based line and column in the source file.
type position struct{ Line, Col int }

func posOf(p *actionlint.Pos) position {
	if p == nil {
		return position{Line: 1, Col: 1}
	}
	return position{Line: p.Line, Col: p.Col}
}

// scalarScan finds pieces of a scalar's value in the source text. YAML
// reports only where a scalar starts (for a "run: |" block, the line of
// the "|"), so each piece is searched for in the source lines after that
// point, in order, within the lines the scalar can span.
type scalarScan struct {
	f       *file
	cur     position // search resumes here
	maxLine int
	// lines bounds the lines examined: a needle that is not verbatim in
	// the source is searched to maxLine, and a script of many such
	// needles must not cost lines times needles.
	lines int
}

func (f *file) scan(s *actionlint.String) *scalarScan {
	start := posOf(s.Pos)
	span := strings.Count(s.Value, "\n") + 1
	// A folded block (">") turns line breaks into spaces, so its value has
	// fewer newlines than its source has lines.
	if l := f.line(start.Line); start.Col-1 < len(l) && start.Col >= 1 && l[start.Col-1] == '>' {
		span += strings.Count(s.Value, " ")
	}
	maxLine := min(start.Line+span+1, len(f.Lines))
	return &scalarScan{f: f, cur: start, maxLine: maxLine, lines: 4*max(maxLine-start.Line, 0) + 64}
}

// find locates needle at or after the cursor and moves past it. When the
// needle is not in the source verbatim (an escape in a quoted scalar, an
// expression broken across lines), it returns the scalar's start.
func (sc *scalarScan) find(needle string, fallback position) (position, bool) {
	for ln := sc.cur.Line; ln <= sc.maxLine && sc.lines > 0; ln++ {
		sc.lines--
		text := sc.f.line(ln)
		from := 0
		if ln == sc.cur.Line {
			from = min(max(sc.cur.Col-1, 0), len(text))
		}
		if i := strings.Index(text[from:], needle); i >= 0 {
			p := position{Line: ln, Col: from + i + 1}
			sc.cur = position{Line: ln, Col: p.Col + len(needle)}
			return p, true
		}
	}
	return fallback, false
}

// sortedJobs returns the workflow's jobs in source order.
func (f *file) sortedJobs() []*actionlint.Job {
	if f.Workflow == nil {
		return nil
	}
	jobs := make([]*actionlint.Job, 0, len(f.Workflow.Jobs))
	for _, j := range f.Workflow.Jobs {
		if j != nil {
			jobs = append(jobs, j)
		}
	}
	sort.Slice(jobs, func(a, b int) bool { return posOf(jobs[a].Pos).Line < posOf(jobs[b].Pos).Line })
	return jobs
}

// indentOf returns the leading spaces of a line.
func indentOf(line string) string {
	return line[:len(line)-len(strings.TrimLeft(line, " "))]
}
