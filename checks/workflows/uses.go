package workflows

import (
	"regexp"
	"strings"
)

// usesKind separates the three forms a "uses:" value can take.
type usesKind int

const (
	usesRepo   usesKind = iota + 1 // owner/repo[/path]@ref
	usesLocal                      // ./path
	usesDocker                     // docker://image[:tag][@digest]
)

// actionRef is a parsed "uses:" value.
type actionRef struct {
	Kind  usesKind
	Raw   string
	Owner string // lower case
	Repo  string // lower case
	Path  string // sub-directory or workflow file, may be ""
	Ref   string // after "@", as written
	Image string // docker image without scheme
}

var fullSHA = regexp.MustCompile(`^[0-9a-fA-F]{40}$`)

// parseUses parses a uses value; ok is false for an expression or an
// unrecognised shape, which the rules leave to actionlint's syntax checks.
func parseUses(v string) (actionRef, bool) {
	v = strings.TrimSpace(v)
	r := actionRef{Raw: v}
	switch {
	case v == "" || strings.Contains(v, "${{"):
		return r, false
	case strings.HasPrefix(v, "./") || strings.HasPrefix(v, ".\\"):
		r.Kind = usesLocal
		return r, true
	case strings.HasPrefix(v, "docker://"):
		r.Kind = usesDocker
		r.Image = strings.TrimPrefix(v, "docker://")
		return r, r.Image != ""
	}
	at := strings.LastIndex(v, "@")
	if at <= 0 || at == len(v)-1 {
		return r, false
	}
	name, ref := v[:at], v[at+1:]
	parts := strings.SplitN(name, "/", 3)
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
		return r, false
	}
	r.Kind = usesRepo
	r.Owner, r.Repo, r.Ref = strings.ToLower(parts[0]), strings.ToLower(parts[1]), ref
	if len(parts) == 3 {
		r.Path = parts[2]
	}
	return r, true
}

// Name is owner/repo.
func (r actionRef) Name() string { return r.Owner + "/" + r.Repo }

// Pinned reports whether the ref is an immutable commit sha (or, for a
// docker image, a digest).
func (r actionRef) Pinned() bool {
	switch r.Kind {
	case usesRepo:
		return fullSHA.MatchString(r.Ref)
	case usesDocker:
		return strings.Contains(r.Image, "@sha256:")
	}
	return true
}

// isAction reports whether the uses value names repository action owner/repo
// (any path, any ref), e.g. isAction(r, "actions/checkout").
func (r actionRef) isAction(name string) bool {
	return r.Kind == usesRepo && r.Name() == name
}
