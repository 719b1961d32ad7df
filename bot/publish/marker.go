package publish

import (
	"regexp"
	"strings"
)

// markerLine is a whole line holding a marker: warden writes its markers on
// lines of their own, and escaped text never starts a line with "<", so a
// marker quoted inside a finding's text cannot pass for one.
var markerLine = regexp.MustCompile(`^<!-- warden:([0-9a-f]{64}) -->$`)

var fullFingerprint = regexp.MustCompile(`^[0-9a-f]{64}$`)

// FormatMarker is the hidden line `<!-- warden:FINGERPRINT -->` that lets
// warden recognise its own comments after a restart. It returns "" for
// anything but a full 64-hex fingerprint, so a malformed one never reaches a
// comment.
func FormatMarker(fingerprint string) string {
	if !fullFingerprint.MatchString(fingerprint) {
		return ""
	}
	return "<!-- warden:" + fingerprint + " -->"
}

// ParseMarkers returns the fingerprints of the well-formed marker lines in
// body, in order, without duplicates.
//
// A marker proves nothing by itself: anyone can type one. Trust the result
// ONLY for comments whose author is warden's own bot user (the App's
// `<slug>[bot]` login, or `performed_via_github_app` naming warden); the
// caller checks the author before calling. A marker in a human's comment
// must never mark a finding as posted or resolved.
func ParseMarkers(body string) []string {
	var out []string
	seen := map[string]bool{}
	for _, line := range strings.Split(body, "\n") {
		m := markerLine.FindStringSubmatch(strings.TrimRight(line, "\r"))
		if m == nil || seen[m[1]] {
			continue
		}
		seen[m[1]] = true
		out = append(out, m[1])
	}
	return out
}

// containsMarkerLine reports whether any line of s would parse as a marker.
func containsMarkerLine(s string) bool { return len(ParseMarkers(s)) > 0 }
