package webhook_test

import (
	"testing"
	"unicode/utf8"

	"github.com/wardenbot/warden/bot/webhook"
)

// Seeds live in testdata/fuzz/<FuzzName>/: real payload shapes, and the
// ones a replayed or hand-made body would try (wrong types, huge numbers,
// nulls where objects belong).

// FuzzRoute: any event name and body give a Work or an error, never a
// panic; ignored work carries no name from the request in its reason.
func FuzzRoute(f *testing.F) {
	f.Fuzz(func(t *testing.T, event string, body []byte) {
		w, err := webhook.Route(event, body)
		if err != nil {
			return
		}
		if webhook.EventLabel(event, true) != webhook.LabelOther {
			return
		}
		if w.Kind != webhook.Ignore || w.Reason != "event not used" {
			t.Fatalf("unhandled event %q routed to kind %d, reason %q", event, w.Kind, w.Reason)
		}
	})
}

// FuzzEventLabel: whatever the header holds, the label is one of a fixed
// set.
func FuzzEventLabel(f *testing.F) {
	f.Fuzz(func(t *testing.T, event string, verified bool) {
		label := webhook.EventLabel(event, verified)
		for _, l := range webhook.EventLabels() {
			if l == label {
				if !utf8.ValidString(label) || len(label) > 40 {
					t.Fatalf("label %q", label)
				}
				return
			}
		}
		t.Fatalf("label %q for %q is not one of EventLabels", label, event)
	})
}
