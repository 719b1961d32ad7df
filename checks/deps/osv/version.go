package osv

import (
	"fmt"

	"github.com/google/osv-scalibr/semantic"
)

// version is a parsed version in one ordering, or the sentinel "0" that an
// `introduced` event uses for "every version".
type version struct {
	raw  string
	zero bool
	v    semantic.Version
}

// ordering parses versions for one range: SEMVER ranges always use semver
// ordering whatever the ecosystem; ECOSYSTEM ranges use the ecosystem's own
// (PEP 440 for PyPI, Maven's ComparableVersion, RubyGems…). The comparison
// rules are osv-scalibr's semantic package, the reference implementation
// osv-scanner matches with.
type ordering struct {
	ecosystem string // "" for SEMVER
}

func orderingFor(rangeType, ecosystem string) (ordering, bool) {
	switch rangeType {
	case "SEMVER":
		return ordering{}, true
	case "ECOSYSTEM":
		return ordering{ecosystem: baseEcosystem(ecosystem)}, true
	}
	return ordering{}, false // GIT ranges need commit history warden does not have
}

func (o ordering) parse(s string) (version, error) {
	if s == "0" {
		return version{raw: s, zero: true}, nil
	}
	if o.ecosystem == "" {
		return version{raw: s, v: semantic.ParseSemverVersion(s)}, nil
	}
	v, err := semantic.Parse(s, o.ecosystem)
	if err != nil {
		return version{}, fmt.Errorf("version %q in %s: %w", clip(s), o.ecosystem, err)
	}
	return version{raw: s, v: v}, nil
}

// compare orders a before b (-1), equal (0) or after (+1).
func (a version) compare(b version) int {
	switch {
	case a.zero && b.zero:
		return 0
	case a.zero:
		return -1
	case b.zero:
		return 1
	}
	c, err := a.v.Compare(b.v)
	if err != nil { // different concrete types cannot happen within one ordering
		return 0
	}
	return c
}

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
