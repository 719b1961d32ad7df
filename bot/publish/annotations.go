package publish

import (
	"strings"

	"github.com/wardenbot/warden/checks"
)

// Annotation levels.
const (
	LevelFailure = "failure"
	LevelWarning = "warning"
	LevelNotice  = "notice"
)

// Annotation is one check-run annotation, shaped like GitHub's JSON.
// Columns are set only when the annotation spans a single line.
type Annotation struct {
	Path        string `json:"path"`
	StartLine   int    `json:"start_line"`
	EndLine     int    `json:"end_line"`
	StartColumn int    `json:"start_column,omitempty"`
	EndColumn   int    `json:"end_column,omitempty"`
	Level       string `json:"annotation_level"`
	Title       string `json:"title,omitempty"`
	Message     string `json:"message"`
	RawDetails  string `json:"raw_details,omitempty"`
}

// Annotations returns the check run's annotations in requests of at most
// AnnotationsPerRequest, worst first, at most Input.MaxAnnotations in all
// (the summary counts the rest).
//
// Every new finding gets one: failure at or above fail_on, warning below
// it, notice for info and for findings ignored on this PR (so the ignore
// stays visible where it applies). Pre-existing findings get none: they are
// not this change's doing, the summary counts them, and in an old codebase
// they would crowd out the new ones under the cap and spend write quota.
func Annotations(in Input) [][]Annotation {
	s := sortFindings(&in)
	list, _ := annotated(&in, s)
	var batches [][]Annotation
	for len(list) > 0 {
		n := min(len(list), AnnotationsPerRequest)
		batch := make([]Annotation, 0, n)
		for i := range list[:n] {
			batch = append(batch, annotation(&in, &list[i]))
		}
		batches = append(batches, batch)
		list = list[n:]
	}
	return batches
}

// annotated is the capped list of findings to annotate and how many the
// cap left out.
func annotated(in *Input, s sorted) ([]checks.Finding, int) {
	all := make([]checks.Finding, 0, len(s.open)+len(s.ignored))
	all = append(all, s.open...)
	all = append(all, s.ignored...)
	limit := in.maxAnnotations()
	if len(all) <= limit {
		return all, 0
	}
	return all[:limit], len(all) - limit
}

func annotation(in *Input, f *checks.Finding) Annotation {
	sup, ignored := in.Ignored[f.Fingerprint]
	a := Annotation{
		Path:      f.Path,
		StartLine: f.StartLine,
		EndLine:   endLine(f),
		Level:     level(f.Severity, in.failOn(), ignored),
		Message:   TruncateBytes(plainLine(f.Message), MaxAnnotationBytes),
	}
	if a.StartLine == a.EndLine && f.StartColumn > 0 {
		a.StartColumn = f.StartColumn
		if f.EndColumn >= f.StartColumn {
			a.EndColumn = f.EndColumn
		}
	}
	title := f.RuleID + " · " + f.Severity.String()
	if ignored {
		title += " · ignored"
	}
	a.Title = Clip(oneLine(title), MaxAnnotationTitle)

	var d []string
	if ignored {
		line := "Ignored on this PR"
		if sup.By != "" {
			line += " by " + sup.By
		}
		if sup.Reason != "" {
			line += ": " + sup.Reason
		}
		d = append(d, plainLine(Clip(line, 1000)))
	}
	if f.Remediation != "" {
		d = append(d, "Fix: "+plainLine(f.Remediation))
	}
	for _, r := range f.References {
		d = append(d, plainLine(Clip(r, 500)))
	}
	d = append(d, f.ID()+" · /warden explain "+f.ID())
	a.RawDetails = TruncateBytes(strings.Join(d, "\n"), MaxAnnotationBytes)
	return a
}

func level(sev, failOn checks.Severity, ignored bool) string {
	switch {
	case ignored || sev == checks.SeverityInfo:
		return LevelNotice
	case checks.Blocks(sev, failOn):
		return LevelFailure
	}
	return LevelWarning
}

// plainLine is s as one line of plain text: annotations are not Markdown,
// but a control character still has no place in them.
func plainLine(s string) string {
	return strings.Join(strings.Fields(oneLine(s)), " ")
}
