package command

import (
	"regexp"
	"strings"
)

// FindingRef names a finding the way people type it: W- and the first 8 hex
// digits of its fingerprint (as warden prints it), or a full 64-hex
// fingerprint with or without the W- prefix. The zero value means "not
// given".
type FindingRef struct {
	hex string // lower case; 8 or 64 digits
}

var findingRefPattern = regexp.MustCompile(`^(?i)(?:w-([0-9a-f]{8}|[0-9a-f]{64})|([0-9a-f]{64}))$`)

// ParseFindingRef accepts "W-3f2a9c1b", "w-3F2A9C1B", a 64-hex fingerprint
// or "W-" followed by one.
func ParseFindingRef(s string) (FindingRef, bool) {
	m := findingRefPattern.FindStringSubmatch(s)
	if m == nil {
		return FindingRef{}, false
	}
	return FindingRef{hex: strings.ToLower(m[1] + m[2])}, true
}

// RefFor is the reference of a known fingerprint.
func RefFor(fingerprint string) FindingRef { return FindingRef{hex: strings.ToLower(fingerprint)} }

// IsZero reports that no id was given.
func (r FindingRef) IsZero() bool { return r.hex == "" }

// Full reports whether the reference is a whole fingerprint.
func (r FindingRef) Full() bool { return len(r.hex) == 64 }

// Matches reports whether fingerprint is the one referred to.
func (r FindingRef) Matches(fingerprint string) bool {
	return r.hex != "" && strings.HasPrefix(strings.ToLower(fingerprint), r.hex)
}

// String is the short id people see: "W-3f2a9c1b".
func (r FindingRef) String() string {
	if len(r.hex) < 8 {
		return "W-" + r.hex
	}
	return "W-" + r.hex[:8]
}

// looksLikeRef catches a mistyped id ("W-3f2a", "w-xyz") so it is reported
// instead of being taken for the start of a reason.
func looksLikeRef(s string) bool {
	return len(s) > 2 && strings.EqualFold(s[:2], "w-")
}
