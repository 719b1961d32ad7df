package publish

import (
	"fmt"
	"net/url"
	"strings"
)

// LinkFunc returns the web address of lines start..end of path at the
// scanned commit, or "" when there is none.
type LinkFunc func(path string, start, end int) string

// BlobLinks links to https://{host}/{owner}/{repo}/blob/{sha}/{path}#L{n}
// (or #L{start}-L{end}). webURL is the GitHub web root, e.g.
// "https://github.com" or a GitHub Enterprise Server's address.
func BlobLinks(webURL, owner, repo, sha string) LinkFunc {
	root := strings.TrimRight(webURL, "/")
	return func(path string, start, end int) string {
		segs := strings.Split(path, "/")
		for i, s := range segs {
			segs[i] = url.PathEscape(s)
		}
		u := fmt.Sprintf("%s/%s/%s/blob/%s/%s", root, url.PathEscape(owner), url.PathEscape(repo), url.PathEscape(sha), strings.Join(segs, "/"))
		switch {
		case start <= 0:
		case end > start:
			u += fmt.Sprintf("#L%d-L%d", start, end)
		default:
			u += fmt.Sprintf("#L%d", start)
		}
		return u
	}
}

// Link renders a Markdown link whose text is escaped, or only the escaped
// text when href is not an absolute http(s) address: a `javascript:` or
// `data:` reference in a finding never becomes clickable.
func Link(text, href string) string {
	u, ok := SafeHref(href)
	if !ok {
		return Escape(text)
	}
	return "[" + Escape(text) + "](" + u + ")"
}

// SafeHref returns href fit for a Markdown link destination: http or https
// with a host, and with the characters that could end the destination
// percent-encoded. ok is false for anything else.
func SafeHref(href string) (string, bool) {
	href = strings.TrimSpace(href)
	u, err := url.Parse(href)
	if err != nil || u.Host == "" {
		return "", false
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < len(href); i++ {
		c := href[i]
		switch {
		case c <= ' ' || c == 0x7f || strings.IndexByte("()<>\"'`\\[]|", c) >= 0:
			fmt.Fprintf(&b, "%%%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}
