package inventory

import (
	"bytes"
	"strings"
)

// lineIndex finds declarations in formats where scalibr records no line
// (yarn.lock groups, packages.lock.json, Gemfile.lock…).
type lineIndex struct {
	lines []string
	// Built on the first find: the lines in lower case, and for each
	// maximal run of name bytes in them the lines holding it, so a lookup
	// reads only the lines that can match instead of the whole file.
	lower []string
	runs  map[string][]int
}

func newLineIndex(content []byte) *lineIndex {
	return &lineIndex{lines: strings.Split(string(bytes.ReplaceAll(content, []byte("\r\n"), []byte("\n"))), "\n")}
}

func (li *lineIndex) build() {
	if li.runs != nil {
		return
	}
	li.lower = make([]string, len(li.lines))
	li.runs = map[string][]int{}
	for i, l := range li.lines {
		ll := strings.ToLower(l)
		li.lower[i] = ll
		forEachRun(ll, func(run string) {
			if at := li.runs[run]; len(at) == 0 || at[len(at)-1] != i {
				li.runs[run] = append(at, i)
			}
		})
	}
}

// forEachRun calls fn for each maximal run of name bytes in s.
func forEachRun(s string, fn func(run string)) {
	start := -1
	for i := 0; i <= len(s); i++ {
		if i < len(s) && isNameByte(s[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			fn(s[start:i])
			start = -1
		}
	}
}

// candidates lists, in order, the lines where containsWord(line, name) can
// hold: name's longest run of name bytes is bounded in name by other bytes
// or by name's ends, which containsWord bounds in the line, so it is a
// maximal run of any line that matches. ok is false when name has no run.
func (li *lineIndex) candidates(name string) (lines []int, ok bool) {
	longest := ""
	forEachRun(name, func(run string) {
		if len(run) > len(longest) {
			longest = run
		}
	})
	if longest == "" {
		return nil, false
	}
	return li.runs[longest], true
}

// find returns the first line that names the package and its version
// together, else the first line naming the package followed within a few
// lines by the version (a JSON or YAML block), else the first line naming
// it, else 1: a finding must point somewhere in the file.
func (li *lineIndex) find(name, version string) int {
	li.build()
	lowerName := strings.ToLower(name)
	// Maven-style group:artifact names appear split across lines.
	short := lowerName
	if i := strings.LastIndexByte(short, ':'); i >= 0 {
		short = short[i+1:]
	}
	cands, ok := li.candidates(short)
	if !ok {
		cands = make([]int, len(li.lines))
		for i := range cands {
			cands[i] = i
		}
	}
	first := 0
	for _, i := range cands {
		if !containsWord(li.lower[i], short) {
			continue
		}
		if strings.Contains(li.lines[i], version) {
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
	if name == "" {
		return false // a Maven name ending in ':' leaves nothing to find
	}
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
