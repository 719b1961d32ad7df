package webhook

import "regexp"

// Event labels beyond the handled events' own names.
const (
	// LabelUnverified stands for the event of a delivery whose signature
	// was not (or not yet) verified: its headers are anyone's.
	LabelUnverified = "unverified"
	// LabelOther stands for a verified event warden does not handle.
	LabelOther = "other"
)

// EventLabel is the name metrics and logs may carry for a delivery's
// X-GitHub-Event: one of a fixed set, so no sender can mint a metric
// series or a log field of its own. Before the signature is verified the
// header is not looked at.
func EventLabel(event string, verified bool) string {
	switch {
	case !verified:
		return LabelUnverified
	case handled[event] || event == "ping":
		return event
	}
	return LabelOther
}

// EventLabels lists every value EventLabel returns.
func EventLabels() []string {
	out := []string{LabelUnverified, LabelOther, "ping"}
	for e := range handled {
		out = append(out, e)
	}
	return out
}

// deliveryID is the shape of X-GitHub-Delivery (GitHub sends a UUID). The
// header is not covered by the signature, so whoever replays a signed body
// chooses it: anything else is refused before it reaches a log or the
// database.
var deliveryID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)

// forLog makes a request header fit for a log line: printable ASCII only,
// at most n bytes.
func forLog(s string, n int) string {
	b := make([]byte, 0, min(len(s), n))
	for i := 0; i < len(s) && len(b) < n; i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e {
			c = '?'
		}
		b = append(b, c)
	}
	return string(b)
}
