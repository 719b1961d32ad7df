package inventory

import (
	"bytes"
	"strings"
)

// lineIndex finds declarations in formats where scalibr records no line
// (yarn.lock groups, packages.lock.json, Gemfile.lock…).
type lineIndex struct {
	lines []string
}

func newLineIndex(content []byte) lineIndex {
	return lineIndex{lines: strings.Split(string(bytes.ReplaceAll(content, []byte("\r\n"), []byte("\n"))), "\n")}
}

// find returns the first line that names the package and its version
// together, else the first line naming the package followed within a few
// lines by the version (a JSON or YAML block), else the first line naming
// it, else 1: a finding must point somewhere in the file.
func (li lineIndex) find(name, version string) int {
	lowerName := strings.ToLower(name)
	// Maven-style group:artifact names appear split across lines.
	short := lowerName
	if i := strings.LastIndexByte(short, ':'); i >= 0 {
		short = short[i+1:]
	}
	first := 0
	for i, l := range li.lines {
		ll := strings.ToLower(l)
		if !containsWord(ll, short) {
			continue
		}
		if strings.Contains(l, version) {
			return i + 1
		}
		if first == 0 {
			first = i + 1
		}
		for j := i + 1; j < len(li.lines) && j <= i+6; j++ {
			if strings.Contains(li.lines[j], version) {
				return i + 1
			}
		}
	}
	if first > 0 {
		return first
	}
	return 1
}

// containsWord reports whether name occurs in line not as part of a longer
// identifier (so "lodash" does not match "lodash.trim").
func containsWord(line, name string) bool {
	for from := 0; ; {
		i := strings.Index(line[from:], name)
		if i < 0 {
			return false
		}
		i += from
		end := i + len(name)
		if (i == 0 || !isNameByte(line[i-1])) && (end == len(line) || !isNameByte(line[end])) {
			return true
		}
		from = i + 1
	}
}

func isNameByte(b byte) bool {
	return b == '-' || b == '_' || b == '.' || b == '/' ||
		b >= 'a' && b <= 'z' || b >= '0' && b <= '9'
}
