package publish_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/wardenbot/warden/bot/publish"
)

const zwj = "\u200d"

var forgedMarker = "<!-- warden:" + strings.Repeat("ab", 32) + " -->"

// The attacks of github-platform.md §8 row 36, and the Markdown that would
// otherwise change what a reviewer sees.
func TestEscape(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"team mention", "ping @acme/security now", "ping @" + zwj + "acme/security now"},
		{"user mention", "@alice", "@" + zwj + "alice"},
		{"img onerror", `<img src=x onerror=alert(1)>`, `&lt;img src=x onerror=alert(1)&gt;`},
		{"closing details", "</details>", "&lt;/details&gt;"},
		{"forged marker", forgedMarker, "&lt;!-- warden:" + strings.Repeat("ab", 32) + " --&gt;"},
		{"code fence", "```js", "\\`\\`\\`js"},
		{"javascript link", "[click](javascript:alert(1))", "\\[click\\](javascript:alert(1))"},
		{"autolink", "<javascript:alert(1)>", "&lt;javascript:alert(1)&gt;"},
		{"heading", "# Title", "\\# Title"},
		{"indented list item", "    - item", "\\- item"},
		{"ordered list", "1. item", "1\\. item"},
		{"blockquote", "> quote", "&gt; quote"},
		{"table pipe", "a | b", "a \\| b"},
		{"math", "$x^2$", "\\$x^2\\$"},
		{"emphasis and strike", "**b** _i_ ~~s~~", "\\*\\*b\\*\\* \\_i\\_ \\~\\~s\\~\\~"},
		{"issue reference", "fixes #123 and acme/x#4", "fixes #" + zwj + "123 and acme/x#" + zwj + "4"},
		{"hash not before digit", "C# code", "C# code"},
		{"entity", "AT&T &#64;x", "AT&amp;T &amp;#" + zwj + "64;x"},
		{"backslash", `a\b`, `a\\b`},
		{"bidi override", "invoice\u202Egpj.exe", "invoicegpj.exe"},
		{"ansi escape", "a\x1b[31mb", "a\\[31mb"},
		{"line breaks", "one\ntwo\r\nthree", "one two  three"},
		{"invalid utf-8", "bad\xffbyte", "bad\uFFFDbyte"},
		{"plain path", "internal/cloud/aws.go", "internal/cloud/aws.go"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := publish.Escape(tc.in); got != tc.want {
				t.Errorf("Escape(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

// Replies echo what people typed; nothing in it may become a link GitHub
// renders (a phishing URL, a reference that notifies another issue or
// repository), while ordinary text reads the same (the joiner is
// invisible).
func TestEscapeAutolinks(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		// What GitHub would link.
		{"https URL", "see https://evil.example/login", "see https:" + zwj + "//evil.example/login"},
		{"http URL", "http://evil.example", "http:" + zwj + "//evil.example"},
		{"upper-case scheme", "HTTPS://EVIL.EXAMPLE", "HTTPS:" + zwj + "//EVIL.EXAMPLE"},
		{"ftp URL", "ftp://files.example/x", "ftp:" + zwj + "//files.example/x"},
		{"www address", "go to www.evil.example now", "go to www" + zwj + ".evil.example now"},
		{"www after punctuation", "(www.evil.example)", "(www" + zwj + ".evil.example)"},
		{"upper-case www", "WWW.EVIL.EXAMPLE", "WWW" + zwj + ".EVIL.EXAMPLE"},
		{"e-mail address", "mail admin@corp.example", "mail admin@" + zwj + "corp.example"},
		{"mailto", "mailto:admin@corp.example", "mailto:admin@" + zwj + "corp.example"},
		{"GH reference", "fixes GH-123", "fixes GH-" + zwj + "123"},
		{"lower-case gh reference", "gh-7", "gh-" + zwj + "7"},
		{"issue reference", "closes #42", "closes #" + zwj + "42"},
		{"cross-repository reference", "see acme/shop#1", "see acme/shop#" + zwj + "1"},
		{"team mention", "cc @acme/security", "cc @" + zwj + "acme/security"},
		{"commit in another repository", "acme/shop@0123abc", "acme/shop@" + zwj + "0123abc"},
		{"control character between hash and number", "see #\x131", "see #" + zwj + "1"},
		{"control character inside a scheme", "https:\x01//evil.example", "https:" + zwj + "//evil.example"},
		// Traps: ordinary text that only looks similar stays as it is.
		{"time of day", "at 12:30", "at 12:30"},
		{"ratio", "ratio 3:1", "ratio 3:1"},
		{"windows path", `C:\temp`, `C:\\temp`},
		{"colon and one slash", "key:/value", "key:/value"},
		{"www inside a word", "awww.example", "awww.example"},
		{"www without a dot", "www", "www"},
		{"GH not before a number", "GH-actions", "GH-actions"},
		{"gh inside a word", "high-5 and sigh-2", "high-5 and sigh-2"},
		{"hash in a word", "C# and F#", "C# and F#"},
		{"plain sentence", "false positive: test fixture", "false positive: test fixture"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := publish.Escape(tc.in)
			if got != tc.want {
				t.Errorf("Escape(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
			if autolinkSurvives(got) {
				t.Errorf("Escape(%q) = %q still autolinks", tc.in, got)
			}
			// Where there is no Markdown to escape, only the invisible
			// joiner was added: the text reads the same.
			plain := !strings.ContainsAny(tc.in, "\\`*_[]|~$<>&") && strings.IndexFunc(tc.in, unicode.IsControl) < 0
			if plain && strings.ReplaceAll(got, zwj, "") != tc.in {
				t.Errorf("Escape(%q) = %q does not read the same", tc.in, got)
			}
		})
	}
}

func TestEscapeMessage(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"keeps code spans", "Docker image `node:latest` is unpinned", "Docker image `node:latest` is unpinned"},
		{"code span holding backticks", "uses `a``b` here", "uses ```a``b``` here"},
		{"mention in code stays, outside neutralised", "`@alice` and @bob", "`@alice` and @" + zwj + "bob"},
		{"unbalanced backtick", "unbalanced ` tick <b>", "unbalanced \\` tick &lt;b&gt;"},
		{"keeps lines, escapes each start", "line\n# heading\n> quote", "line\n\\# heading\n&gt; quote"},
		{"fence-like span at line start", "```a``b``` x", "\u200b```a``b``` x"},
		{"html in code span is inert", "key `<img onerror=x>` found", "key `<img onerror=x>` found"},
		{"marker in code span", "`" + forgedMarker + "`", "`" + forgedMarker + "`"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := publish.EscapeMessage(tc.in)
			if got != tc.want {
				t.Errorf("EscapeMessage(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
			if m := publish.ParseMarkers(got); len(m) > 0 {
				t.Errorf("escaped text parses as marker %v", m)
			}
		})
	}
}

func TestCode(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"a`b", "``a`b``"},
		{"`a", "`` `a ``"},
		{"a``", "``` a`` ```"},
		{"", "` `"},
		{"x\ny", "`x y`"},
		{" a ", "`  a  `"},
		{"@acme/team </details>", "`@acme/team </details>`"},
		{"evil\u202Ename", "`evilname`"},
	} {
		if got := publish.Code(tc.in); got != tc.want {
			t.Errorf("Code(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFence(t *testing.T) {
	for _, tc := range []struct{ info, body, want string }{
		{"suggestion", "x := 1", "```suggestion\nx := 1\n```"},
		{"suggestion", "```go\ncode\n```", "````suggestion\n```go\ncode\n```\n````"},
		{"suggestion", "a ````` b", "``````suggestion\na ````` b\n``````"},
		{"sug`gest ion\n<b>", "", "```suggestionb\n```"},
		{"", "x\n", "```\nx\n```"},
	} {
		if got := publish.Fence(tc.info, tc.body); got != tc.want {
			t.Errorf("Fence(%q, %q)\n got %q\nwant %q", tc.info, tc.body, got, tc.want)
		}
	}
}

func TestLink(t *testing.T) {
	for _, tc := range []struct{ text, href, want string }{
		{"GHSA-1", "https://osv.dev/vulnerability/GHSA-1", "[GHSA-1](https://osv.dev/vulnerability/GHSA-1)"},
		{"x", "javascript:alert(1)", "x"},
		{"x", "JavaScript:alert(1)", "x"},
		{"x", " javascript:alert(1)", "x"},
		{"[x]", "data:text/html,<script>", "\\[x\\]"},
		{"x", "//evil.example/a", "x"},
		{"x", "https://a.example/p(1) \"t\"", "[x](https://a.example/p%281%29%20%22t%22)"},
		{"@bob", "http://a.example/<b>", "[@" + zwj + "bob](http://a.example/%3Cb%3E)"},
	} {
		if got := publish.Link(tc.text, tc.href); got != tc.want {
			t.Errorf("Link(%q, %q) = %q, want %q", tc.text, tc.href, got, tc.want)
		}
	}
}

func TestBlobLinks(t *testing.T) {
	link := publish.BlobLinks("https://ghe.example.com/", "acme", "shop", headSHA)
	for _, tc := range []struct {
		path       string
		start, end int
		want       string
	}{
		{"internal/cloud/aws.go", 7, 7, "https://ghe.example.com/acme/shop/blob/" + headSHA + "/internal/cloud/aws.go#L7"},
		{"a b/c#d(1).go", 3, 5, "https://ghe.example.com/acme/shop/blob/" + headSHA + "/a%20b/c%23d%281%29.go#L3-L5"},
	} {
		if got := link(tc.path, tc.start, tc.end); got != tc.want {
			t.Errorf("link(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
}

func TestClip(t *testing.T) {
	emoji := strings.Repeat("😀", 1<<18) // 1 MiB
	got := publish.Clip(emoji, 100)
	if n := utf8.RuneCountInString(got); n != 100 || !strings.HasSuffix(got, "…") {
		t.Errorf("Clip(1 MiB of emoji, 100) has %d runes, suffix %q", n, got[len(got)-3:])
	}
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly", 7, "exactly"},
		{"toolong", 5, "tool…"},
		{"日本語テキスト", 3, "日本…"},
		{"x", 0, ""},
	} {
		if got := publish.Clip(tc.in, tc.n); got != tc.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

func TestTruncateBytes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcdef", 5, "ab…"},
		{"日本語", 8, "日…"}, // 9 bytes; "日" + "…" is 6, "日本" + "…" would be 9
		{"日本語", 2, ""},
		{"é🔑é", 7, "é…"},
	} {
		got := publish.TruncateBytes(tc.in, tc.n)
		if got != tc.want {
			t.Errorf("TruncateBytes(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
		if len(got) > tc.n || !utf8.ValidString(got) {
			t.Errorf("TruncateBytes(%q, %d) = %q: over the limit or invalid UTF-8", tc.in, tc.n, got)
		}
	}
}
