package command

import (
	"strings"
)

// line is one line of a comment that starts with the command prefix and is
// rendered as plain text at the start of a line.
type line struct {
	num  int // 1-based
	text string
}

// commandLines returns the lines of body that begin with "/warden" where
// GitHub would show them at the start of a line of ordinary text. Lines in
// fenced or indented code, block quotes (with their lazy continuation
// lines), HTML comments and <pre> blocks are skipped: text someone quotes or
// shows as an example is not a command.
func commandLines(body string) []line {
	var out []line
	var (
		fenceChar byte // '`' or '~' while inside a fenced block
		fenceLen  int
		inQuote   bool // a quote's paragraph continues until a blank line
		inComment bool
		inPre     bool
	)
	for i, raw := range strings.Split(body, "\n") {
		l := strings.TrimSuffix(raw, "\r")
		indent, rest := leadingIndent(l)
		switch {
		case fenceChar != 0:
			if indent < 4 && closesFence(rest, fenceChar, fenceLen) {
				fenceChar = 0
			}
			continue
		case inComment:
			if strings.Contains(l, "-->") {
				inComment = false
			}
			continue
		case inPre:
			if strings.Contains(strings.ToLower(l), "</pre>") {
				inPre = false
			}
			continue
		}
		if strings.TrimSpace(l) == "" {
			inQuote = false
			continue
		}
		if indent >= 4 {
			continue // indented code, or a paragraph continuation: never a line start
		}
		if c, n := opensFence(rest); n > 0 {
			fenceChar, fenceLen = c, n
			continue
		}
		if strings.HasPrefix(rest, ">") || inQuote {
			inQuote = true
			continue
		}
		if open := strings.LastIndex(l, "<!--"); open >= 0 && !strings.Contains(l[open:], "-->") {
			inComment = true
		}
		lower := strings.ToLower(rest)
		if strings.HasPrefix(lower, "<pre") && !strings.Contains(lower, "</pre>") {
			inPre = true
			continue
		}
		if hasPrefixFold(rest, prefix) && (len(rest) == len(prefix) || isSpace(rest[len(prefix)])) {
			out = append(out, line{num: i + 1, text: rest})
		}
	}
	return out
}

const prefix = "/warden"

func hasPrefixFold(s, p string) bool { return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) }

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// leadingIndent measures leading whitespace in columns (a tab advances to
// the next multiple of 4, as in CommonMark) and returns the rest.
func leadingIndent(s string) (int, string) {
	col := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ':
			col++
		case '\t':
			col += 4 - col%4
		default:
			return col, s[i:]
		}
	}
	return col, ""
}

// opensFence reports a code fence opener: three or more backticks or
// tildes; a backtick fence's info string may not contain a backtick.
func opensFence(s string) (byte, int) {
	if s == "" || (s[0] != '`' && s[0] != '~') {
		return 0, 0
	}
	c := s[0]
	n := 0
	for n < len(s) && s[n] == c {
		n++
	}
	if n < 3 || (c == '`' && strings.IndexByte(s[n:], '`') >= 0) {
		return 0, 0
	}
	return c, n
}

// closesFence reports a closing fence: at least as long as the opener, of
// the same character, and nothing but spaces after it.
func closesFence(s string, c byte, n int) bool {
	k := 0
	for k < len(s) && s[k] == c {
		k++
	}
	return k >= n && strings.TrimSpace(s[k:]) == ""
}
