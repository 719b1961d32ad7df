package demo

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/wardenbot/warden/checks/format"
)

// painter colours text only when asked to (a terminal without NO_COLOR).
type painter struct{ on bool }

const (
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiBRed   = "\x1b[1;31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiReset  = "\x1b[0m"
)

func (p painter) paint(code, s string) string {
	if !p.on || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (p painter) bold(s string) string { return p.paint(ansiBold, s) }
func (p painter) dim(s string) string  { return p.paint(ansiDim, s) }

// severity labels and colours, as `warden scan` prints them.
var sevLabel = map[string]string{"critical": "CRIT", "high": "HIGH", "medium": "MED ", "low": "LOW ", "info": "INFO"}

var sevColor = map[string]string{"critical": ansiBRed, "high": ansiRed, "medium": ansiYellow, "low": ansiCyan, "info": ansiDim}

func (p painter) severity(word string) string {
	w := strings.ToLower(word)
	label, ok := sevLabel[w]
	if !ok {
		label = strings.ToUpper(w)
	}
	return p.paint(sevColor[w], label)
}

var (
	htmlComment = regexp.MustCompile(`(?s)<!--.*?-->`)
	htmlTag     = regexp.MustCompile(`</?(sub|sup|b|i|em|strong|code|br|details|summary)\s*/?>`)
	mdLink      = regexp.MustCompile(`\[([^\]]*)\]\([^)\s]*\)`)
	entities    = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "&quot;", `"`, "&#39;", "'", "\u200d", "", "\u200b", "")
)

// inline turns one line of warden's Markdown into terminal text: links
// become their text (path:line), code spans lose their fences, **bold** is
// bold, escapes and entities are undone, comments and tags dropped. What is
// left is sanitized, so nothing in it can drive the terminal.
func (p painter) inline(s string) string {
	s = htmlComment.ReplaceAllString(s, "")
	s = htmlTag.ReplaceAllString(s, "")
	s = mdLink.ReplaceAllString(s, "$1")
	var b strings.Builder
	bold := false
	for i := 0; i < len(s); {
		switch {
		case s[i] == '`':
			n := run(s, i, '`')
			end := strings.Index(s[i+n:], strings.Repeat("`", n))
			if end < 0 {
				b.WriteString(s[i : i+n])
				i += n
				continue
			}
			code := s[i+n : i+n+end]
			if len(code) >= 2 && code[0] == ' ' && code[len(code)-1] == ' ' && strings.Trim(code, " ") != "" {
				code = code[1 : len(code)-1]
			}
			b.WriteString(p.paint(ansiCyan, format.Sanitize(entities.Replace(code))))
			i += n + end + n
		case strings.HasPrefix(s[i:], "**"):
			bold = !bold
			if p.on {
				if bold {
					b.WriteString(ansiBold)
				} else {
					b.WriteString(ansiReset)
				}
			}
			i += 2
		case s[i] == '\\' && i+1 < len(s) && isPunct(s[i+1]):
			b.WriteByte(s[i+1])
			i += 2
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			b.WriteString(format.Sanitize(entities.Replace(string(r))))
			i += size
		}
	}
	if bold && p.on {
		b.WriteString(ansiReset)
	}
	return entities.Replace(b.String())
}

func isPunct(c byte) bool { return strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) >= 0 }

func run(s string, i int, c byte) int {
	n := 0
	for i+n < len(s) && s[i+n] == c {
		n++
	}
	return n
}

// block renders a Markdown document (a check-run summary, a review body) for
// the terminal, every line indented by indent: tables become aligned text
// tables, list items keep their bullet, fenced blocks are shown dimmed.
func (p painter) block(md, indent string) []string {
	var out []string
	lines := strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		switch {
		case isTableRow(line):
			var rows [][]string
			for ; i < len(lines) && isTableRow(lines[i]); i++ {
				if !isSeparatorRow(lines[i]) {
					rows = append(rows, splitRow(lines[i]))
				}
			}
			i--
			for _, r := range p.table(rows) {
				out = append(out, indent+r)
			}
		case strings.HasPrefix(strings.TrimSpace(line), "```"):
			fence := strings.TrimSpace(line)
			fence = fence[:run(fence, 0, '`')]
			for i++; i < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i]), fence); i++ {
				out = append(out, indent+"  "+p.dim(format.Sanitize(lines[i])))
			}
		default:
			text := p.inline(line)
			if strings.TrimSpace(htmlComment.ReplaceAllString(line, "")) == "" {
				text = ""
			}
			if text == "" && (len(out) == 0 || out[len(out)-1] == "") {
				continue // one blank line at most, none at the top
			}
			if text == "" {
				out = append(out, "")
				continue
			}
			item := strings.HasPrefix(strings.TrimSpace(line), "- ")
			for j, piece := range wrapMarkdown(line, 96) {
				if j > 0 && item {
					piece = "  " + piece // under the list item's text
				}
				out = append(out, indent+p.inline(piece))
			}
		}
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

func isTableRow(line string) bool {
	t := strings.TrimSpace(line)
	return len(t) > 1 && t[0] == '|' && t[len(t)-1] == '|'
}

func isSeparatorRow(line string) bool {
	return strings.Trim(strings.TrimSpace(line), "|-: ") == ""
}

func splitRow(line string) []string {
	t := strings.TrimSpace(line)
	t = t[1 : len(t)-1]
	var cells []string
	start := 0
	for i := 0; i < len(t); i++ {
		if t[i] == '\\' {
			i++
			continue
		}
		if t[i] == '|' {
			cells = append(cells, strings.TrimSpace(t[start:i]))
			start = i + 1
		}
	}
	return append(cells, strings.TrimSpace(t[start:]))
}

// table aligns cells: the first column left, numbers right, the header row
// dimmed; zero counts are dimmed so the non-zero ones stand out.
func (p painter) table(rows [][]string) []string {
	plain := make([][]string, len(rows))
	width := map[int]int{}
	for r, row := range rows {
		plain[r] = make([]string, len(row))
		for c, cell := range row {
			plain[r][c] = painter{}.inline(cell)
			width[c] = max(width[c], utf8.RuneCountInString(plain[r][c]))
		}
	}
	var out []string
	for r, row := range rows {
		var b strings.Builder
		for c := range row {
			text := plain[r][c]
			pad := strings.Repeat(" ", width[c]-utf8.RuneCountInString(text))
			shown := p.inline(row[c])
			switch {
			case r == 0:
				shown = p.dim(text)
			case text == "0":
				shown = p.dim(text)
			}
			if c == 0 {
				b.WriteString(shown + pad)
			} else {
				b.WriteString("  " + pad + shown)
			}
		}
		out = append(out, strings.TrimRight(b.String(), " "))
	}
	return out
}

// wrapMarkdown breaks a Markdown line into lines of about width runes
// without splitting a code span or a link, so each piece renders alone.
func wrapMarkdown(line string, width int) []string {
	var words []string
	for i := 0; i < len(line); {
		for i < len(line) && line[i] == ' ' {
			i++
		}
		start := i
		for i < len(line) && line[i] != ' ' {
			switch line[i] {
			case '`':
				n := run(line, i, '`')
				if end := strings.Index(line[i+n:], strings.Repeat("`", n)); end >= 0 {
					i += n + end + n
					continue
				}
				i += n
				continue
			case '[':
				if m := mdLink.FindStringIndex(line[i:]); m != nil && m[0] == 0 {
					i += m[1]
					continue
				}
			}
			i++
		}
		if i > start {
			words = append(words, line[start:i])
		}
	}
	if len(words) == 0 {
		return []string{line}
	}
	var lines []string
	cur, n := "", 0
	for _, w := range words {
		wl := utf8.RuneCountInString(painter{}.inline(w))
		if n > 0 && n+1+wl > width {
			lines = append(lines, cur)
			cur, n = "", 0
		}
		if n > 0 {
			cur += " "
			n++
		}
		cur += w
		n += wl
	}
	return append(lines, cur)
}

// wrap breaks text into lines of at most width runes (long words stay
// whole).
func wrap(text string, width int) []string {
	var lines []string
	var cur strings.Builder
	n := 0
	for _, w := range strings.Fields(text) {
		wl := utf8.RuneCountInString(w)
		if n > 0 && n+1+wl > width {
			lines = append(lines, cur.String())
			cur.Reset()
			n = 0
		}
		if n > 0 {
			cur.WriteByte(' ')
			n++
		}
		cur.WriteString(w)
		n += wl
	}
	if n > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}
