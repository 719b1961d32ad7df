package format

import (
	"encoding/json"
	"io"

	"github.com/wardenbot/warden/checks"
)

type jsonReport struct {
	Tool     jsonTool            `json:"tool"`
	Mode     string              `json:"mode"` // "tree" or "diff"
	Base     string              `json:"base,omitempty"`
	Head     string              `json:"head,omitempty"`
	FailOn   checks.Severity     `json:"fail_on"`
	Findings []jsonFinding       `json:"findings"`
	Summary  jsonSummary         `json:"summary"`
	Notes    []checks.Note       `json:"notes"`
	Errors   []checks.CheckError `json:"errors"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonFinding struct {
	ID string `json:"id"`
	checks.Finding
	Blocking bool `json:"blocking"`
}

type jsonSummary struct {
	New      map[string]int `json:"new"`
	Blocking int            `json:"blocking"`
	// Unscanned counts the parts of the change the review could not check
	// (notes marked unscanned and checks that failed); Passes is the verdict.
	Unscanned   int   `json:"unscanned"`
	Passes      bool  `json:"passes"`
	Preexisting int   `json:"preexisting"`
	Files       int   `json:"files"`
	Bytes       int64 `json:"bytes"`
	AddedLines  int   `json:"added_lines,omitempty"`
	Commits     int   `json:"commits,omitempty"`
	DurationMS  int64 `json:"duration_ms"`
}

// JSON renders the report as one JSON document: the new findings (all of
// them in a tree scan), counts, notes and check errors.
func JSON(w io.Writer, r *checks.Report, o Options) error {
	out := jsonReport{
		Tool:     jsonTool{Name: "warden", Version: o.Version},
		Mode:     "tree",
		Base:     r.Base,
		Head:     r.Head,
		FailOn:   r.FailOn,
		Findings: []jsonFinding{},
		Notes:    r.Notes,
		Errors:   r.Errors,
	}
	if r.IsDiff() {
		out.Mode = "diff"
	}
	if out.Notes == nil {
		out.Notes = []checks.Note{}
	}
	if out.Errors == nil {
		out.Errors = []checks.CheckError{}
	}
	newCounts := map[string]int{}
	for _, s := range checks.Severities {
		newCounts[s.String()] = 0
	}
	for _, f := range shown(r) {
		blocking := checks.Blocks(f.Severity, r.FailOn)
		out.Findings = append(out.Findings, jsonFinding{ID: f.ID(), Finding: f, Blocking: blocking})
		newCounts[f.Severity.String()]++
		if blocking {
			out.Summary.Blocking++
		}
	}
	out.Summary.New = newCounts
	out.Summary.Unscanned = len(r.Unscanned())
	out.Summary.Passes = r.Passes()
	out.Summary.Preexisting = r.Preexisting()
	out.Summary.Files = r.Stats.Files
	out.Summary.Bytes = r.Stats.Bytes
	out.Summary.AddedLines = r.Stats.AddedLines
	out.Summary.Commits = r.Stats.Commits
	out.Summary.DurationMS = r.Stats.Duration.Milliseconds()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
