package publish_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wardenbot/warden/bot/publish"
	"github.com/wardenbot/warden/checks"
)

// manyFindings makes n new findings of every severity, some multi-line,
// some with columns.
func manyFindings(n int) []checks.Finding {
	var fs []checks.Finding
	for i := range n {
		f := finding(fmt.Sprintf("code/rule-%d", i%7), checks.CategoryCode, checks.Severities[i%5], fmt.Sprintf("src/file%02d.go", i%13), 1+i, fmt.Sprintf("Problem %d found here.", i), true)
		switch i % 3 {
		case 1:
			f.EndLine = f.StartLine + 2
			f.StartColumn, f.EndColumn = 3, 9 // must be dropped: not one line
		case 2:
			f.StartColumn, f.EndColumn = 5, 17
		}
		fs = append(fs, f)
	}
	return fs
}

func TestAnnotationsGolden120(t *testing.T) {
	in := cleanInput()
	in.Report = report(manyFindings(120))
	batches := publish.Annotations(in)
	if len(batches) != 3 || len(batches[0]) != 50 || len(batches[1]) != 50 || len(batches[2]) != 20 {
		t.Errorf("batch sizes %v, want 50, 50, 20", batchSizes(batches))
	}
	out, err := json.MarshalIndent(batches, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "annotations_120.json", string(out)+"\n")
}

func batchSizes(bs [][]publish.Annotation) []int {
	var out []int
	for _, b := range bs {
		out = append(out, len(b))
	}
	return out
}

func TestAnnotationsCapCountedInSummary(t *testing.T) {
	in := cleanInput()
	in.Report = report(manyFindings(1200))
	batches := publish.Annotations(in)
	total := 0
	for _, b := range batches {
		if len(b) > publish.AnnotationsPerRequest {
			t.Fatalf("a batch of %d", len(b))
		}
		total += len(b)
	}
	if total != publish.DefaultMaxAnnotations {
		t.Errorf("%d annotations, want the cap %d", total, publish.DefaultMaxAnnotations)
	}
	// Worst first: the cap drops only the least severe.
	last := batches[len(batches)-1]
	if lvl := last[len(last)-1].Level; lvl != publish.LevelNotice && lvl != publish.LevelWarning {
		t.Errorf("last annotation is %s; the cap should have dropped the least severe", lvl)
	}
	if s := publish.CheckRunOutput(in).Summary; !strings.Contains(s, "Annotations show the 1,000 most severe of 1,200 new findings") {
		t.Errorf("summary does not count the overflow:\n%s", s)
	}
	in.MaxAnnotations = 60
	if got := batchSizes(publish.Annotations(in)); len(got) != 2 || got[1] != 10 {
		t.Errorf("with a cap of 60: batches %v", got)
	}
}

func TestAnnotationFields(t *testing.T) {
	long := finding(strings.Repeat("r", 400), checks.CategoryCode, checks.SeverityHigh, "a.go", 3, strings.Repeat("é", 100_000), true)
	long.Remediation = strings.Repeat("fix ", 30_000)
	multi := finding("code/multi", checks.CategoryCode, checks.SeverityMedium, "a.go", 10, "line one\nline two\x1b[31m", true)
	multi.EndLine, multi.StartColumn, multi.EndColumn = 12, 4, 8
	info := finding("code/info", checks.CategoryCode, checks.SeverityInfo, "a.go", 20, "fyi", true)
	old := finding("code/old", checks.CategoryCode, checks.SeverityCritical, "a.go", 30, "old", false)
	ignored := finding("code/ign", checks.CategoryCode, checks.SeverityCritical, "a.go", 40, "ignored", true)

	in := cleanInput()
	in.Report = report([]checks.Finding{long, multi, info, old, ignored})
	in.Ignored = map[string]publish.Suppression{ignored.Fingerprint: {Reason: "test fixture", By: "alice"}}
	batches := publish.Annotations(in)
	if len(batches) != 1 || len(batches[0]) != 4 {
		t.Fatalf("batches %v: want one batch of 4 (no annotation for the pre-existing finding)", batchSizes(batches))
	}
	byRule := map[string]publish.Annotation{}
	for _, a := range batches[0] {
		byRule[strings.SplitN(a.Title, " · ", 2)[0]] = a
		if utf8.RuneCountInString(a.Title) > publish.MaxAnnotationTitle || len(a.Message) > publish.MaxAnnotationBytes || len(a.RawDetails) > publish.MaxAnnotationBytes {
			t.Errorf("annotation over GitHub's limits: title %d runes, message %d bytes, details %d bytes", utf8.RuneCountInString(a.Title), len(a.Message), len(a.RawDetails))
		}
		if !utf8.ValidString(a.Message) || strings.ContainsAny(a.Message, "\n\x1b") {
			t.Errorf("message %q is not one clean line", a.Message)
		}
	}
	if a := byRule["code/multi"]; a.StartColumn != 0 || a.EndColumn != 0 || a.StartLine != 10 || a.EndLine != 12 || a.Level != publish.LevelWarning || a.Message != "line one line two[31m" {
		t.Errorf("multi-line annotation: %+v", a)
	}
	if a := byRule["code/info"]; a.Level != publish.LevelNotice {
		t.Errorf("info level %s, want notice", a.Level)
	}
	if a := byRule["code/ign"]; a.Level != publish.LevelNotice || !strings.HasSuffix(a.Title, "· ignored") || !strings.HasPrefix(a.RawDetails, "Ignored on this PR by alice: test fixture") {
		t.Errorf("ignored annotation: %+v", a)
	}
	if batches[0][0].Level != publish.LevelFailure {
		t.Errorf("first annotation %+v, want the high finding as failure", batches[0][0])
	}
}

func TestAnnotationsNoneForCleanScan(t *testing.T) {
	if b := publish.Annotations(cleanInput()); len(b) != 0 {
		t.Errorf("clean scan: %d batches", len(b))
	}
}
