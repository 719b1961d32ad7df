package evalkit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHitNeedsTheClassAtTheLine(t *testing.T) {
	c := Case{ID: "s/a.go:10", Class: "sqli", Positive: true, Path: "a.go", Line: 10}
	for _, tc := range []struct {
		name string
		fs   []Finding
		want bool
	}{
		{"same line", []Finding{{"a.go", 10, "sqli"}}, true},
		{"within the tolerance", []Finding{{"a.go", 10 + Tolerance, "sqli"}}, true},
		{"past the tolerance", []Finding{{"a.go", 10 + Tolerance + 1, "sqli"}}, false},
		{"other class at the line", []Finding{{"a.go", 10, "xss"}}, false},
		{"other file", []Finding{{"b.go", 10, "sqli"}}, false},
		{"nothing", nil, false},
	} {
		if got := Hit(c, tc.fs); got != tc.want {
			t.Errorf("%s: Hit = %v, want %v", tc.name, got, tc.want)
		}
	}
	whole := Case{ID: "s/b.tf", Class: "s3", Positive: true, Path: "b.tf"}
	if !Hit(whole, []Finding{{"b.tf", 99, "s3"}}) {
		t.Error("a case without a line is hit anywhere in its file")
	}
}

func TestScore(t *testing.T) {
	var s Score
	for _, o := range []Outcome{
		{Case{Positive: true}, true}, {Case{Positive: true}, false},
		{Case{Positive: false}, true}, {Case{Positive: false}, false}, {Case{Positive: false}, false},
	} {
		s.Add(o)
	}
	if s.TP != 1 || s.FN != 1 || s.FP != 1 || s.TN != 2 || s.Recall() != 0.5 || s.Precision() != 0.5 {
		t.Fatalf("%+v", s)
	}
	if (Score{}).Recall() != 1 || (Score{}).Precision() != 1 {
		t.Error("an empty score is not a failure")
	}
}

func TestReviewAppliesBothWaysAndRefusesStaleEntries(t *testing.T) {
	outs := []Outcome{
		{Case{ID: "miss", Positive: true}, false},
		{Case{ID: "alarm", Positive: false}, true},
		{Case{ID: "broken", Positive: true}, false},
		{Case{ID: "ok", Positive: true}, true},
	}
	rv, err := ParseReview("r.txt", strings.NewReader("# comment\nmiss\tsuite-right\twarden cannot see across files\nalarm\ttool-right\tthe ok: case is exploitable\nbroken\texclude\tnot valid Go\n"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := rv.Apply(outs)
	if err != nil {
		t.Fatal(err)
	}
	var s Score
	for _, o := range got {
		s.Add(o)
	}
	// miss stays a miss, alarm becomes a true positive, broken is dropped.
	if len(got) != 3 || s.TP != 2 || s.FN != 1 || s.FP != 0 {
		t.Fatalf("reviewed %+v → %+v", got, s)
	}
	if tl := rv.Tally(outs); tl["suite-right, miss"] != 1 || tl["tool-right, false alarm"] != 1 || tl["exclude, miss"] != 1 {
		t.Errorf("tally %v", tl)
	}
	for _, stale := range []string{
		"ok\ttool-right\tthe tool agrees now\n",
		"gone\tsuite-right\tno such case\n",
	} {
		rv, err := ParseReview("r.txt", strings.NewReader(stale))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rv.Apply(outs); err == nil {
			t.Errorf("stale entry %q accepted", stale)
		}
	}
	for _, bad := range []string{"a\tmaybe\twhy\n", "a\ttool-right\n", "a\texclude\tx\na\texclude\ty\n"} {
		if _, err := ParseReview("r.txt", strings.NewReader(bad)); err == nil {
			t.Errorf("malformed review %q accepted", bad)
		}
	}
}

func TestFloor(t *testing.T) {
	f := Floor{Recall: 0.8, Precision: 0.9}
	if err := f.Check("x", Score{TP: 8, FN: 2, FP: 0}); err != nil {
		t.Error(err)
	}
	if err := f.Check("x", Score{TP: 7, FN: 3}); err == nil {
		t.Error("recall below the floor passed")
	}
}

func TestTablesAreCompared(t *testing.T) {
	file := filepath.Join(t.TempDir(), "EVAL.md")
	os.WriteFile(file, []byte("intro\n<!-- generated: head -->\nold\n<!-- end: head -->\noutro\n"), 0o644)
	tb := &Tables{File: file}
	tb.Set("head", "new")
	if err := tb.Sync(); err == nil {
		t.Fatal("a stale table passed")
	}
	*UpdateTables = true
	defer func() { *UpdateTables = false }()
	if err := tb.Sync(); err != nil {
		t.Fatal(err)
	}
	*UpdateTables = false
	if err := tb.Sync(); err != nil {
		t.Fatalf("after the update: %v", err)
	}
	b, _ := os.ReadFile(file)
	if string(b) != "intro\n<!-- generated: head -->\nnew\n<!-- end: head -->\noutro\n" {
		t.Errorf("file:\n%s", b)
	}
	tb.Set("other", "x")
	if err := tb.Sync(); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("a section the file lacks: %v", err)
	}
}
