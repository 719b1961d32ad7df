// Package ghname checks names that become GitHub API paths against
// GitHub's and git's own grammar, so a value written by whoever controls a
// pull request (a `uses:` line, a payload field) can never walk out of the
// path it is put in, nor name something GitHub could not have created.
package ghname

import "strings"

// Owner reports whether s can be a GitHub user or organisation login:
// 1 to 39 letters, digits and hyphens, not starting with a hyphen.
func Owner(s string) bool {
	if len(s) == 0 || len(s) > 39 || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !alnum(s[i]) && s[i] != '-' {
			return false
		}
	}
	return true
}

// Repo reports whether s can be a repository name: 1 to 100 letters,
// digits, '.', '-' and '_', and neither "." nor "..".
func Repo(s string) bool {
	if len(s) == 0 || len(s) > 100 || s == "." || s == ".." {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !alnum(c) && c != '.' && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

// MaxRef bounds a ref name; git has no limit, but no real tag or branch
// comes near it.
const MaxRef = 255

// Ref reports whether s is a valid git ref name in short form ("v4",
// "releases/v1", "main") by git check-ref-format's rules: no "..", no
// control characters, space, '~', '^', ':', '?', '*', '[', '\' or "@{";
// no component that starts with '.' or ends with ".lock"; no empty
// component; not ending in '.'; not "@".
func Ref(s string) bool {
	if len(s) == 0 || len(s) > MaxRef || s == "@" || strings.HasSuffix(s, ".") ||
		strings.Contains(s, "..") || strings.Contains(s, "@{") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f || strings.IndexByte(" ~^:?*[\\", c) >= 0 {
			return false
		}
	}
	for _, part := range strings.Split(s, "/") {
		if part == "" || part[0] == '.' || strings.HasSuffix(part, ".lock") {
			return false
		}
	}
	return true
}

func alnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
