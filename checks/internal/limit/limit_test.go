package limit

import (
	"fmt"
	"testing"
)

func TestNoteNamesTheFileAndBlocks(t *testing.T) {
	cases := []struct {
		e    Exceeded
		want string
	}{
		{Exceeded{Path: "m/main.tf", Line: 3, What: "nesting deeper than 512 levels"}, "not analysed: nesting deeper than 512 levels (line 3)"},
		{Exceeded{Path: "m/main.tf", Line: 2, What: "a format verb wider than the budget stopped the evaluation", Partial: true}, "partly analysed: a format verb wider than the budget stopped the evaluation (line 2)"},
		{Exceeded{Path: "k.yaml", What: "YAML aliases expand past the budget"}, "not analysed: YAML aliases expand past the budget"},
	}
	for _, c := range cases {
		n := c.e.Note("iac")
		if n.Message != c.want || n.Path != c.e.Path || !n.Unscanned || n.Check != "iac" {
			t.Errorf("note = %+v, want %q", n, c.want)
		}
	}
}

func TestAsFindsWrappedExceeded(t *testing.T) {
	err := fmt.Errorf("scan: %w", &Exceeded{Path: "a.yml", What: "x"})
	if e, ok := As(err); !ok || e.Path != "a.yml" {
		t.Fatalf("As = %v, %v", e, ok)
	}
	if _, ok := As(fmt.Errorf("plain")); ok {
		t.Fatal("a plain error is not a budget")
	}
}

func TestPanicNoteKeepsOnlyRuntimeErrors(t *testing.T) {
	var runtimeErr any
	func() {
		defer func() { runtimeErr = recover() }()
		var m map[string]int
		m["x"] = 1
	}()
	if n := PanicNote("iac", "Dockerfile", runtimeErr); n.Message != "not analysed: internal error (assignment to entry in nil map)" || !n.Unscanned || n.Path != "Dockerfile" {
		t.Errorf("note = %+v", n)
	}
	// A panic value of another kind may quote the file: it is left out.
	if n := PanicNote("iac", "Dockerfile", "token ghp_example in line 3"); n.Message != "not analysed: internal error" {
		t.Errorf("note = %+v", n)
	}
}
