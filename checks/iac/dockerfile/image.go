package dockerfile

import (
	"regexp"
	"strings"
)

var argRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)`)

// expandArgs substitutes build arguments with their declared defaults. ok is
// false when a reference has no default, so the result is not what the
// build would use and no image rule should judge it.
func expandArgs(s string, args map[string]string) (out string, ok bool) {
	ok = true
	out = argRef.ReplaceAllStringFunc(s, func(m string) string {
		sub := argRef.FindStringSubmatch(m)
		name, op, word := sub[1], sub[2], sub[3]
		if name == "" {
			name = sub[4]
		}
		val, set := args[name]
		switch {
		case (op == ":-" && val == "") || (op == "-" && !set):
			return word
		case op == ":+" || op == "+":
			if val != "" || (op == "+" && set) {
				return word
			}
			return ""
		case val != "":
			return val
		}
		ok = false
		return m
	})
	return out, ok
}

// imageRef is a parsed image reference.
type imageRef struct {
	name   string // registry/repository, lower case
	tag    string // "" when absent
	digest string // "sha256:…" or ""
}

func parseImage(ref string) imageRef {
	var r imageRef
	ref = strings.ToLower(strings.TrimSpace(ref))
	if i := strings.Index(ref, "@"); i >= 0 {
		ref, r.digest = ref[:i], ref[i+1:]
	}
	if i := strings.LastIndex(ref, ":"); i >= 0 && !strings.Contains(ref[i:], "/") {
		ref, r.tag = ref[:i], ref[i+1:]
	}
	r.name = ref
	return r
}

// runsAsNonRootByDefault recognises images documented to default to a
// non-root user, so a final stage on them needs no USER.
func (r imageRef) runsAsNonRootByDefault() bool {
	if strings.Contains(r.tag, "nonroot") {
		return true
	}
	return strings.HasPrefix(r.name, "cgr.dev/chainguard/") && !strings.Contains(r.tag, "dev")
}
