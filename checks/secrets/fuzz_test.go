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
