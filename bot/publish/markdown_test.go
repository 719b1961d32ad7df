package publish_test

import (
	"strings"
)

// stripCode removes fenced code blocks and inline code spans from Markdown,
// and backslash-escaped characters, leaving the text GitHub would parse for
// HTML, mentions and links. It is written from CommonMark's rules, apart
// from the code under test, so the tests do not grade their own homework.
func stripCode(md string) string {
	var out strings.Builder
	fence := 0
	for _, line := range strings.Split(md, "\n") {
		trimmed := strings.TrimLeft(line, " ")
		indent := len(line) - len(trimmed)
		run := leadingRun(trimmed, '`')
		if fence > 0 {
			if indent <= 3 && run >= fence && strings.Trim(trimmed[run:], " ") == "" {
				fence = 0
			}
			continue
		}
		if indent <= 3 && run >= 3 && !strings.Contains(trimmed[run:], "`") {
			fence = run
			continue
		}
		out.WriteString(stripSpans(line))
		out.WriteByte('\n')
	}
	return out.String()
}

// stripSpans removes a line's code spans and escaped characters.
func stripSpans(line string) string {
	var b strings.Builder
	for i := 0; i < len(line); {
		switch c := line[i]; {
		case c == '\\' && i+1 < len(line):
			i += 2
		case c == '`':
			n := leadingRun(line[i:], '`')
			end := -1
			for j := i + n; j < len(line); {
				if line[j] != '`' {
					j++
					continue
				}
				k := leadingRun(line[j:], '`')
				if k == n {
					end = j
					break
				}
				j += k
			}
			if end < 0 {
				b.WriteString(line[i : i+n])
				i += n
				continue
			}
			i = end + n
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

func leadingRun(s string, c byte) int {
	n := 0
	for n < len(s) && s[n] == c {
		n++
	}
	return n
}

// mentionSurvives reports whether text outside code holds an "@" that is
// not followed by the zero-width joiner that stops GitHub linking it.
func mentionSurvives(text string) bool {
	for i := strings.IndexByte(text, '@'); i >= 0; {
		if !strings.HasPrefix(text[i+1:], "\u200d") {
			return true
		}
		next := strings.IndexByte(text[i+1:], '@')
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return false
}
