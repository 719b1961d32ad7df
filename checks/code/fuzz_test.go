package code

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// fuzzFrontEnd feeds arbitrary bytes through a front end, the taint engine
// and the pattern rules: nothing may panic or hang, and every finding must
// be well-formed and point inside the file. Seeds live in
// testdata/fuzz/<FuzzName>/ and the golden samples are added too.
func fuzzFrontEnd(f *testing.F, lang, name, samples string) {
	paths, _ := filepath.Glob(samples)
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	c := New(Options{FileTimeout: 2 * time.Second})
	l := c.langs[lang]
	f.Fuzz(func(t *testing.T, src []byte) {
		ps := &parsers{}
		defer ps.close()
		fs, cut, _ := c.analyse(context.Background(), ps, name, src, l)
		lines := 1
		for _, b := range src {
			if b == '\n' {
				lines++
			}
		}
		if cut != nil && (cut.Path != name || cut.Line < 1 || cut.Line > lines) {
			t.Fatalf("a nesting cut must name the file and a line in it: %+v", cut)
		}
		for _, fd := range fs {
			if err := fd.Validate(); err != nil {
				t.Fatalf("malformed finding: %v", err)
			}
			if fd.StartLine > lines || fd.EndLine > lines {
				t.Fatalf("finding at line %d of a %d-line file", fd.StartLine, lines)
			}
			if fd.Fix != nil && (fd.Fix.StartLine < 1 || fd.Fix.EndLine > lines) {
				t.Fatalf("fix outside the file: %+v", fd.Fix)
			}
		}
	})
}

func FuzzGo(f *testing.F) { fuzzFrontEnd(f, "go", "f.go", "testdata/golden/go/*.go") }

func FuzzPython(f *testing.F) { fuzzFrontEnd(f, "python", "f.py", "testdata/golden/python/*.py") }

func FuzzJavaScript(f *testing.F) {
	fuzzFrontEnd(f, "javascript", "f.js", "testdata/golden/javascript/*.js")
}

func FuzzTypeScript(f *testing.F) {
	fuzzFrontEnd(f, "tsx", "f.tsx", "testdata/golden/javascript/*.ts*")
}
