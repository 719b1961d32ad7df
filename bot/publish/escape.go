package publish

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// zwj follows every "@" (and every "#" before a digit) that warden did not
// write: GitHub links mentions and issue references on the rendered text, so
// an HTML entity would not stop them, but a zero-width joiner does. It also
// splits what GitHub would otherwise autolink: "scheme:" from "//", "www"
// from ".", and "GH-" from the number after it. It is invisible, so the
// text reads the same.
const zwj = "\u200d"

// markdownPunct are the characters that start Markdown emphasis, links,
// code, tables, strikethrough or math anywhere on a line.
const markdownPunct = "\\`*_[]|~$"

// Escape makes untrusted text (a file name, a reason a user typed, a branch)
// safe inline Markdown on one line: it renders as the same characters, but
// pings nobody (@user, @org/team), links nothing (no URL, www. address,
// e-mail address, #123, GH-123 or owner/repo#1 reference), opens no HTML
// tag or comment (so no
// `<img onerror>`, `</details>` or forged `<!-- warden:… -->`), starts no
// link, code span, heading, list or table, and carries no control or bidi
// characters. Line breaks become spaces; invalid UTF-8 becomes U+FFFD.
// Escape does not bound length: Clip first.
func Escape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	writeEscaped(&b, s, true)
	return b.String()
}

// EscapeMessage renders a rule's message, whose author may quote source in
// `code spans`: balanced code spans are kept (re-fenced so quoted backticks
// cannot end them), everything else is escaped as by Escape. Line breaks are
// kept; each line is escaped as a line of its own.
func EscapeMessage(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, line := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		writeMessageLine(&b, line)
	}
	return b.String()
}

// writeMessageLine escapes one line, keeping its balanced code spans.
func writeMessageLine(b *strings.Builder, line string) {
	line = strings.TrimLeft(line, " \t")
	atStart := true
	for i := 0; i < len(line); {
		open := strings.IndexByte(line[i:], '`')
		if open < 0 {
			writeEscaped(b, line[i:], atStart)
			return
		}
		open += i
		n := backtickRun(line, open)
		closeAt := findRun(line, open+n, n)
		if closeAt < 0 { // an unbalanced run is literal text
			writeEscaped(b, line[i:open+n], atStart)
			atStart = false
			i = open + n
			continue
		}
		if open > i {
			writeEscaped(b, line[i:open], atStart)
			atStart = false
		}
		span := Code(stripSpanPadding(line[open+n : closeAt]))
		if atStart && strings.HasPrefix(span, "```") {
			b.WriteString("\u200b") // three backticks at a line start would open a fence
		}
		b.WriteString(span)
		atStart = false
		i = closeAt + n
	}
}

// writeEscaped appends s escaped. atLineStart says whether s begins a line,
// where "#", "-", "+", "=", "1." and indentation have block meaning.
func writeEscaped(b *strings.Builder, s string, atLineStart bool) {
	// Dropped characters go first: what they separated ("#", a control
	// character, "1") must be judged as it will be shown ("#1").
	s = strings.Map(func(r rune) rune {
		if dropped(r) && r != '\n' && r != '\r' && r != '\t' {
			return -1
		}
		return r
	}, s)
	escapeAt := -1 // index of a list marker's "." or ")" to escape
	if atLineStart {
		s = strings.TrimLeft(s, " \t")
		if s != "" && strings.ContainsRune("#-+=", rune(s[0])) {
			b.WriteByte('\\')
		}
		d := 0
		for d < len(s) && s[d] >= '0' && s[d] <= '9' {
			d++
		}
		if d > 0 && d < len(s) && (s[d] == '.' || s[d] == ')') {
			escapeAt = d
		}
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case dropped(r):
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '@':
			b.WriteString("@" + zwj)
		case r == '#' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			b.WriteString("#" + zwj)
		case r == ':' && strings.HasPrefix(s[i+1:], "//"):
			b.WriteString(":" + zwj) // https://…, ftp://…
		case wordStart(s, i) && hasPrefixFold(s[i:], "www."):
			b.WriteString(s[i:i+3] + zwj)
			i += 3
			continue
		case wordStart(s, i) && hasPrefixFold(s[i:], "gh-") && i+3 < len(s) && s[i+3] >= '0' && s[i+3] <= '9':
			b.WriteString(s[i:i+3] + zwj)
			i += 3
			continue
		case strings.ContainsRune(markdownPunct, r) || i == escapeAt:
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
		i += size
	}
}

// wordStart reports whether s[i] begins a word, where GitHub starts an
// autolink.
func wordStart(s string, i int) bool {
	if i == 0 {
		return true
	}
	c := s[i-1]
	return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// dropped are characters that have no business in a one-line label: C0/C1
// controls, and the bidi overrides that make text read differently from
// what it is ("Trojan Source").
func dropped(r rune) bool {
	switch {
	case unicode.IsControl(r):
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return false
}

// Code renders s as an inline code span whose fence is longer than any
// backtick run inside it, so s cannot end the span. Line breaks become
// spaces; control and bidi characters are dropped. Inside a code span
// GitHub neither links mentions nor interprets HTML.
func Code(s string) string {
	s = oneLine(s)
	if s == "" {
		return "` `"
	}
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	pad := ""
	if s[0] == '`' || s[len(s)-1] == '`' || (s[0] == ' ' && s[len(s)-1] == ' ' && strings.Trim(s, " ") != "") {
		pad = " " // CommonMark strips one space from each side
	}
	return fence + pad + s + pad + fence
}

// Fence renders body as a fenced code block whose fence is longer than any
// backtick run in body, so no line of body can close it. info is the info
// string ("suggestion", "yaml"); it is reduced to one safe word.
func Fence(info, body string) string {
	body = strings.ToValidUTF8(body, "\uFFFD")
	fence := strings.Repeat("`", max(3, longestRun(body, '`')+1))
	info = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '+' || r == '.' {
			return r
		}
		return -1
	}, info)
	if body != "" && !strings.HasSuffix(body, "\n") {
		body += "\n"
	}
	return fence + info + "\n" + body + fence
}

// oneLine makes s valid UTF-8 on one line without control or bidi characters.
func oneLine(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case dropped(r):
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// stripSpanPadding undoes CommonMark's padding rule so a span re-fenced by
// Code shows what the author's span showed.
func stripSpanPadding(s string) string {
	if len(s) >= 2 && s[0] == ' ' && s[len(s)-1] == ' ' && strings.Trim(s, " ") != "" {
		return s[1 : len(s)-1]
	}
	return s
}

func backtickRun(s string, i int) int {
	n := 0
	for i+n < len(s) && s[i+n] == '`' {
		n++
	}
	return n
}

// findRun returns the index of the first run of exactly n backticks at or
// after from, or -1.
func findRun(s string, from, n int) int {
	for i := from; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		k := backtickRun(s, i)
		if k == n {
			return i
		}
		i += k
	}
	return -1
}

func longestRun(s string, c byte) int {
	best, cur := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}
