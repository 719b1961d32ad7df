package inventory

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// findLinear is lineIndex.find as it was before the run index: every line
// lowered and searched for each package. The index must answer the same.
func findLinear(lines []string, name, version string) int {
	short := strings.ToLower(name)
	if i := strings.LastIndexByte(short, ':'); i >= 0 {
		short = short[i+1:]
	}
	first := 0
	for i, l := range lines {
		if !containsWord(strings.ToLower(l), short) {
			continue
		}
		if strings.Contains(l, version) {
			return i + 1
		}
		if first == 0 {
			first = i + 1
		}
		for j := i + 1; j < len(lines) && j <= i+6; j++ {
			if strings.Contains(lines[j], version) {
				return i + 1
			}
		}
	}
	if first > 0 {
		return first
	}
	return 1
}

// Every fixture, probed for every word it contains and a few names that
// are not words: the indexed lookup agrees with the linear one.
func TestLineIndexAgreesWithLinearScan(t *testing.T) {
	var files []string
	err := filepath.WalkDir("../testdata/repos", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	probes := 0
	for _, p := range files {
		content, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		li := newLineIndex(content)
		names := map[string]bool{"": true, "@types/node": true, "org.apache.logging.log4j:log4j-core": true, "LODASH": true, "::": true, "@": true}
		for _, w := range strings.FieldsFunc(string(content), func(r rune) bool { return strings.ContainsRune(" \t\r\n\",:{}[]=<>()", r) }) {
			names[w] = true
		}
		for name := range names {
			for _, version := range []string{"1.0.0", "4.17.20", "2.30.0", ""} {
				probes++
				if got, want := li.find(name, version), findLinear(li.lines, name, version); got != want {
					t.Errorf("%s: find(%q, %q) = %d, linear scan says %d", p, name, version, got, want)
				}
			}
		}
	}
	if probes < 1000 {
		t.Errorf("only %d probes", probes)
	}
}
