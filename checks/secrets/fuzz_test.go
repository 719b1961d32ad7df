package secrets

import (
	"testing"
)

// FuzzScan: arbitrary content never panics, and every finding's lines lie
// within the content.
func FuzzScan(f *testing.F) {
	f.Add("password = \"abc\"\n")
	f.Add(join("-----BEGIN RSA ", "PRIVATE KEY-----\nAAAA"))
	f.Add("\n\n\nkey\n")
	c := newCheck(f, Options{})
	f.Fuzz(func(t *testing.T, content string) {
		files := memTree{"f.txt": content}
		fs, _ := scanTree(t, c, files)
		lines := newText(content).lines()
		for _, x := range fs {
			if x.StartLine < 1 || x.StartLine > max(lines, 1) || x.EndLine < x.StartLine || x.EndLine > max(lines, 1) {
				t.Errorf("finding %s at lines %d-%d outside %d lines", x.RuleID, x.StartLine, x.EndLine, lines)
			}
		}
	})
}

// FuzzScanChange: arbitrary bytes under a name that decides nothing (the
// content is classified) scan without panicking in a change, and every
// finding lies within the content's lines (line 1 for binary data).
func FuzzScanChange(f *testing.F) {
	f.Add([]byte("#!/bin/sh\n\x00\nexport GH_TOKEN=" + join("ghp", "_", "R8sQ2vLx7KpZ3nW9yT4bH6cJ1mF5dG0aE2uV") + "\n"))
	f.Add([]byte("\xff\xfe" + "t\x00o\x00k\x00e\x00n\x00"))
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR password = hunter2hunter2 \x00"))
	c := newCheck(f, Options{})
	f.Fuzz(func(t *testing.T, content []byte) {
		fs := scanChange(t, c, memTree{"blob": string(content)})
		lines := max(newText(string(content)).lines(), 1)
		for _, x := range fs {
			if x.StartLine < 1 || x.EndLine < x.StartLine || x.EndLine > lines && x.StartLine != 1 {
				t.Errorf("finding %s at lines %d-%d outside %d lines", x.RuleID, x.StartLine, x.EndLine, lines)
			}
		}
	})
}
