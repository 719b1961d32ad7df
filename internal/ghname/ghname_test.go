package ghname_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/wardenbot/warden/internal/ghname"
)

func TestOwner(t *testing.T) {
	for s, want := range map[string]bool{
		"actions": true, "aws-actions": true, "A1": true, "docker": true, strings.Repeat("a", 39): true,
		"": false, "-lead": false, strings.Repeat("a", 40): false, "..": false, ".": false, "a/b": false,
		"a.b": false, "a_b": false, "%2e%2e": false, "user@x": false, "ünicode": false, "a b": false, "a\nb": false,
	} {
		if got := ghname.Owner(s); got != want {
			t.Errorf("Owner(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestRepo(t *testing.T) {
	for s, want := range map[string]bool{
		"checkout": true, "setup-go": true, "my_repo.js": true, ".github": true, "a..b": true, strings.Repeat("r", 100): true,
		"": false, ".": false, "..": false, strings.Repeat("r", 101): false, "a/b": false, "a%2fb": false,
		"a?b": false, "a#b": false, "a b": false, "a\\b": false,
	} {
		if got := ghname.Repo(s); got != want {
			t.Errorf("Repo(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestRef(t *testing.T) {
	for s, want := range map[string]bool{
		"v4": true, "v4.1.0": true, "main": true, "releases/v1": true, "feature/x-y_z": true,
		"refs/heads/main": true, "%2e%2e": true, "v1@2": true, "0123456789abcdef0123456789abcdef01234567": true,
		"": false, "@": false, "..": false, "a/../b": false, "refs/../../x": false, "a//b": false, "/a": false,
		"a/": false, "a.": false, ".hidden": false, "a/.b": false, "x.lock": false, "a/b.lock/c": false,
		"a b": false, "a~1": false, "a^": false, "a:b": false, "a?": false, "a*": false, "a[": false,
		`a\b`: false, "a@{1}": false, "a\x00b": false, "a\x7fb": false, "a\nb": false, strings.Repeat("v", 256): false,
	} {
		if got := ghname.Ref(s); got != want {
			t.Errorf("Ref(%q) = %v, want %v", s, got, want)
		}
	}
}

// Whatever the grammar accepts stays inside its path segment once
// escaped: no dot segment, no separator, no query or fragment.
func FuzzNamesStayInTheirSegment(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		for name, ok := range map[string]bool{"owner": ghname.Owner(s), "repo": ghname.Repo(s)} {
			if !ok {
				continue
			}
			e := url.PathEscape(s)
			if e == "." || e == ".." || strings.ContainsAny(e, "/?#") {
				t.Fatalf("%s %q escapes to %q", name, s, e)
			}
		}
		if ghname.Ref(s) {
			for _, seg := range strings.Split(s, "/") {
				if e := url.PathEscape(seg); e == "" || e == "." || e == ".." || strings.ContainsAny(e, "/?#") {
					t.Fatalf("ref %q has segment %q escaping to %q", s, seg, e)
				}
			}
		}
	})
}
