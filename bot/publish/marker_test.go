package publish_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/wardenbot/warden/bot/publish"
)

func TestFormatMarker(t *testing.T) {
	fp := strings.Repeat("0123456789abcdef", 4)
	if got, want := publish.FormatMarker(fp), "<!-- warden:"+fp+" -->"; got != want {
		t.Errorf("FormatMarker = %q, want %q", got, want)
	}
	for _, bad := range []string{"", fp[:63], fp + "0", strings.ToUpper(fp), fp[:60] + " -->", fp[:63] + "g"} {
		if got := publish.FormatMarker(bad); got != "" {
			t.Errorf("FormatMarker(%q) = %q, want \"\"", bad, got)
		}
	}
}

func TestParseMarkers(t *testing.T) {
	a, b := strings.Repeat("a", 64), strings.Repeat("b", 64)
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"one", "text\n" + publish.FormatMarker(a), []string{a}},
		{"crlf and duplicates", publish.FormatMarker(a) + "\r\n" + publish.FormatMarker(b) + "\r\n" + publish.FormatMarker(a), []string{a, b}},
		{"inline in text is not a marker", "see " + publish.FormatMarker(a), nil},
		{"in a code span", "`" + publish.FormatMarker(a) + "`", nil},
		{"uppercase hex", "<!-- warden:" + strings.ToUpper(a) + " -->", nil},
		{"short", "<!-- warden:abc -->", nil},
		{"extra spaces", "<!--  warden:" + a + " -->", nil},
		{"escaped by Escape", publish.Escape(publish.FormatMarker(a)), nil},
		{"none", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := publish.ParseMarkers(tc.body); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseMarkers = %v, want %v", got, tc.want)
			}
		})
	}
}

// A review's markers are exactly the findings it shows, so a restart can
// rebuild "already posted" from GitHub.
func TestReviewMarkersRoundTrip(t *testing.T) {
	r := publish.ReviewPlan(unanchoredInput(), nil, 25)
	var got []string
	got = append(got, publish.ParseMarkers(r.Body)...)
	for _, c := range r.Comments {
		got = append(got, publish.ParseMarkers(c.Body)...)
	}
	want := append(append([]string{}, r.Listed...), commentFingerprints(r)...)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("markers %v, want %v", got, want)
	}
	if len(r.Fingerprints()) != 4 {
		t.Errorf("fingerprints %v, want 4", r.Fingerprints())
	}
}

func commentFingerprints(r *publish.Review) []string {
	var out []string
	for _, c := range r.Comments {
		out = append(out, c.Fingerprint)
	}
	return out
}

func TestFixedReply(t *testing.T) {
	for _, tc := range []struct{ sha, want string }{
		{"abc1234def5678abc1234def5678abc1234def56", "Fixed in abc1234."},
		{"abc1234", "Fixed in abc1234."},
		{"@alice <b>", "Fixed in `@alice <b>`."},
	} {
		if got := publish.FixedReply(tc.sha); got != tc.want {
			t.Errorf("FixedReply(%q) = %q, want %q", tc.sha, got, tc.want)
		}
	}
}
