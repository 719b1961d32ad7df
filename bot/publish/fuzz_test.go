package publish_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/wardenbot/warden/bot/publish"
)

// Seeds live in testdata/fuzz/<FuzzName>/ (the attacks of §8 row 36).

// checkInline asserts what must hold of any escaped untrusted text outside
// code: no HTML, no live mention, no forged marker, valid UTF-8.
func checkInline(t *testing.T, in, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("invalid UTF-8 from %q: %q", in, out)
	}
	outside := stripCode(out)
	if strings.Contains(outside, "<") {
		t.Fatalf("'<' survived outside code: %q → %q", in, out)
	}
	if mentionSurvives(outside) {
		t.Fatalf("a mention survived: %q → %q", in, out)
	}
	if autolinkSurvives(rendered(out)) {
		t.Fatalf("an autolink survived: %q → %q", in, out)
	}
	if m := publish.ParseMarkers(out); len(m) > 0 {
		t.Fatalf("forged marker %v: %q → %q", m, in, out)
	}
}

func FuzzEscape(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		out := publish.Escape(s)
		checkInline(t, s, out)
		if strings.ContainsAny(out, "\n\r") {
			t.Fatalf("line break in %q", out)
		}
		if unescapedBacktick(out) {
			t.Fatalf("a backtick in %q could open a code span", out)
		}
		if len(out) > 5*len(s) {
			t.Fatalf("%d bytes grew to %d", len(s), len(out))
		}
		if clipped := publish.Escape(publish.Clip(s, 100)); utf8.RuneCountInString(clipped) > 5*100 {
			t.Fatalf("clipped text escaped to %d runes", utf8.RuneCountInString(clipped))
		}
	})
}

func FuzzEscapeMessage(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		out := publish.EscapeMessage(s)
		checkInline(t, s, out)
		if want := strings.Count(strings.ReplaceAll(s, "\r\n", "\n"), "\n"); strings.Count(out, "\n") != want {
			t.Fatalf("%d line breaks became %d: %q", want, strings.Count(out, "\n"), out)
		}
		// No line may open a fenced block or an HTML block.
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "```") || strings.HasPrefix(line, "~~~") || strings.HasPrefix(line, "<") {
				t.Fatalf("line opens a block: %q", line)
			}
		}
	})
}

func FuzzCode(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		out := publish.Code(s)
		if !utf8.ValidString(out) || strings.ContainsAny(out, "\n\r") {
			t.Fatalf("Code(%q) = %q: not one valid line", s, out)
		}
		if stripCode(out) != "\n" {
			t.Fatalf("Code(%q) = %q is not exactly one code span (left %q)", s, out, stripCode(out))
		}
		printable := utf8.ValidString(s) && s != ""
		for _, r := range s {
			printable = printable && unicode.IsPrint(r)
		}
		if printable {
			n := leadingRun(out, '`')
			content := out[n : len(out)-n]
			if len(content) >= 2 && content[0] == ' ' && content[len(content)-1] == ' ' && strings.Trim(content, " ") != "" {
				content = content[1 : len(content)-1]
			}
			if content != s {
				t.Fatalf("Code(%q) shows %q", s, content)
			}
		}
	})
}

func FuzzFence(f *testing.F) {
	f.Fuzz(func(t *testing.T, info, body string) {
		out := publish.Fence(info, body)
		lines := strings.Split(out, "\n")
		open := leadingRun(lines[0], '`')
		closing := lines[len(lines)-1]
		if open < 3 || closing != strings.Repeat("`", open) || strings.Contains(lines[0][open:], "`") {
			t.Fatalf("Fence(%q, %q) = %q: bad fences", info, body, out)
		}
		inner := lines[1 : len(lines)-1]
		for _, l := range inner {
			if leadingRun(strings.TrimLeft(l, " "), '`') >= open {
				t.Fatalf("body line %q closes the fence early", l)
			}
		}
		want := strings.TrimSuffix(strings.ToValidUTF8(body, "\uFFFD"), "\n")
		if got := strings.Join(inner, "\n"); body != "" && got != want {
			t.Fatalf("body %q came back as %q", want, got)
		}
	})
}

func FuzzTruncate(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = max(0, n%200_000)
		out := publish.TruncateBytes(s, n)
		if len(out) > n && len(s) > n {
			t.Fatalf("TruncateBytes(%d bytes, %d) gave %d bytes", len(s), n, len(out))
		}
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("TruncateBytes(%q, %d) = %q: split a character", s, n, out)
		}
		if out != s && (!strings.HasSuffix(out, "…") || !strings.HasPrefix(s, strings.TrimSuffix(out, "…"))) && out != "" {
			t.Fatalf("TruncateBytes(%q, %d) = %q is not a marked prefix", s, n, out)
		}
		c := publish.Clip(s, n%1000)
		if utf8.RuneCountInString(c) > n%1000 {
			t.Fatalf("Clip(%q, %d) = %q: too long", s, n%1000, c)
		}
	})
}

func unescapedBacktick(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '`':
			return true
		}
	}
	return false
}

// rendered is the text GitHub shows for escaped inline Markdown, outside
// code spans: each backslash escape shows the character it escapes.
func rendered(md string) string {
	var b strings.Builder
	for i := 0; i < len(md); {
		switch c := md[i]; {
		case c == '\\' && i+1 < len(md):
			b.WriteByte(md[i+1])
			i += 2
		case c == '`':
			n := leadingRun(md[i:], '`')
			if end := strings.Index(md[i+n:], strings.Repeat("`", n)); end >= 0 {
				b.WriteByte(' ')
				i += n + end + n
				continue
			}
			b.WriteString(md[i : i+n])
			i += n
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// autolinkSurvives reports whether text outside code holds something
// GitHub links on its own: scheme://, www. or GH-<digit> at a word start,
// or #<digit>.
func autolinkSurvives(text string) bool {
	lower := strings.ToLower(text)
	if strings.Contains(lower, "://") {
		return true
	}
	for i := 0; i < len(lower); i++ {
		start := i == 0 || !isWordByte(lower[i-1])
		switch {
		case start && strings.HasPrefix(lower[i:], "www."):
			return true
		case start && strings.HasPrefix(lower[i:], "gh-") && i+3 < len(lower) && lower[i+3] >= '0' && lower[i+3] <= '9':
			return true
		case lower[i] == '#' && i+1 < len(lower) && lower[i+1] >= '0' && lower[i+1] <= '9':
			return true
		}
	}
	return false
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_'
}
