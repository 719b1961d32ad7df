package publish

import (
	"unicode/utf8"
)

// GitHub's size limits, and warden's budgets under them.
const (
	// MaxOutputBytes bounds a check run's summary and text; GitHub counts bytes.
	MaxOutputBytes = 65535
	// MaxCommentRunes and MaxCommentBytes bound a review or comment body.
	// GitHub allows 65,536 characters but counts some emoji inconsistently,
	// so warden stays under both a rune and a byte budget.
	MaxCommentRunes = 60000
	MaxCommentBytes = 65535
	// MaxAnnotationTitle is GitHub's limit on an annotation title, in characters.
	MaxAnnotationTitle = 255
	// MaxAnnotationBytes bounds an annotation's message and raw_details.
	MaxAnnotationBytes = 64 * 1024
	// AnnotationsPerRequest is the most annotations one check-run request takes.
	AnnotationsPerRequest = 50
	// DefaultMaxAnnotations is warden's policy cap on annotations per run;
	// the overflow is counted in the summary.
	DefaultMaxAnnotations = 1000
	// DefaultMaxComments is comments.max_per_scan's default.
	DefaultMaxComments = 25
)

const ellipsis = "…"

// Clip shortens s to at most maxRunes runes, ending with "…" when it cut.
// A 1 MB string of emoji becomes maxRunes runes; invalid UTF-8 bytes count
// as one rune each and are left for the escaper to replace.
func Clip(s string, maxRunes int) string {
	if maxRunes <= 0 {
		return ""
	}
	if len(s) <= maxRunes || utf8.RuneCountInString(s) <= maxRunes {
		return s
	}
	cut, n := 0, 0
	for cut < len(s) && n < maxRunes-1 {
		_, size := utf8.DecodeRuneInString(s[cut:])
		cut += size
		n++
	}
	return s[:cut] + ellipsis
}

// TruncateBytes shortens s to at most maxBytes bytes, cutting on a UTF-8
// boundary and ending with "…" when it cut. Valid UTF-8 in, valid UTF-8 out.
func TruncateBytes(s string, maxBytes int) string {
	if len(s) <= maxBytes {
		return s
	}
	if maxBytes < len(ellipsis) {
		return ""
	}
	return s[:runeBoundary(s, maxBytes-len(ellipsis))] + ellipsis
}

// runeBoundary is the largest index ≤ i that does not split a UTF-8 sequence.
func runeBoundary(s string, i int) int {
	if i >= len(s) {
		return len(s)
	}
	for j := i; j > 0 && i-j < utf8.UTFMax; j-- {
		if utf8.RuneStart(s[j]) {
			return j
		}
	}
	return i // not valid UTF-8 here; any cut is as good as another
}

// fitsComment reports whether body is within the comment budgets.
func fitsComment(body string) bool {
	return len(body) <= MaxCommentBytes && utf8.RuneCountInString(body) <= MaxCommentRunes
}
