package secrets

import (
	"sort"
	"strings"
)

// text is one scanned text with its line breaks indexed.
type text struct {
	s  string
	nl []int // offsets of every '\n'
}

func newText(s string) *text {
	t := &text{s: s}
	for i := 0; i < len(s); {
		j := indexByteFrom(s, i, '\n')
		if j < 0 {
			break
		}
		t.nl = append(t.nl, j)
		i = j + 1
	}
	return t
}

func indexByteFrom(s string, from int, c byte) int {
	if j := strings.IndexByte(s[from:], c); j >= 0 {
		return from + j
	}
	return -1
}

// line returns the 0-based line holding byte offset off.
func (t *text) line(off int) int {
	return sort.SearchInts(t.nl, off)
}

// lineStart is the offset of line i's first byte.
func (t *text) lineStart(i int) int {
	if i <= 0 {
		return 0
	}
	if i > len(t.nl) {
		return len(t.s)
	}
	return t.nl[i-1] + 1
}

// lineEnd is the offset just past line i's last byte (its '\n' excluded).
func (t *text) lineEnd(i int) int {
	if i < len(t.nl) {
		return t.nl[i]
	}
	return len(t.s)
}

// lineText is line i without its line break.
func (t *text) lineText(i int) string {
	return t.s[t.lineStart(i):t.lineEnd(i)]
}

// lines is the number of lines (a final line without '\n' counts).
func (t *text) lines() int {
	if len(t.s) > 0 && t.s[len(t.s)-1] != '\n' {
		return len(t.nl) + 1
	}
	return len(t.nl)
}
