package command

import (
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/store"
)

func TestHeadAtTheTimeOfAComment(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	at := func(sha string, sec int) store.Push {
		return store.Push{HeadSHA: sha, At: t0.Add(time.Duration(sec) * time.Second)}
	}
	const margin = 3 * time.Second
	cases := []struct {
		name    string
		pushes  []store.Push
		comment int // seconds after t0
		want    string
	}{
		{"opened long before", []store.Push{at("h1", 0)}, 600, "h1"},
		{"the last of several pushes", []store.Push{at("h1", 0), at("h2", 60)}, 600, "h2"},
		{"pushed back to an earlier head", []store.Push{at("h1", 0), at("h2", 60), at("h1", 120)}, 600, "h1"},
		{"heard of a push after the comment (a race)", []store.Push{at("h1", 0), at("h2", 601)}, 600, ""},
		{"heard of a push within the margin", []store.Push{at("h1", 0), at("h2", 598)}, 600, ""},
		{"the same head heard of again later", []store.Push{at("h1", 0), at("h1", 700)}, 600, "h1"},
		{"a late delivery of another head", []store.Push{at("h1", 0), at("h2", 60), at("h1", 120), at("h3", 900)}, 600, ""},
		{"nothing heard of before the comment", []store.Push{at("h1", 599)}, 600, ""},
		{"no pushes recorded", nil, 600, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := headAt(tc.pushes, t0.Add(time.Duration(tc.comment)*time.Second), margin); got != tc.want {
				t.Fatalf("headAt = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSameCommit(t *testing.T) {
	full := "4f2c9a1be0d4478a9c1b2f3e4d5c6b7a8f9e0d1c"
	for typed, want := range map[string]bool{
		"4f2c9a1": true, "4F2C9A1BE0": true, full: true,
		"4f2c9a": false, "4f2c9a2": false, full + "0": false, "": false,
	} {
		if got := sameCommit(full, typed); got != want {
			t.Errorf("sameCommit(%q) = %v, want %v", typed, got, want)
		}
	}
}
