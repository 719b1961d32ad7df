package publish

import (
	"fmt"
	"strings"

	"github.com/wardenbot/warden/checks"
)

// Review is one pull-request review: event COMMENT, pinned to the scanned
// commit, with inline comments on the head side of the diff.
type Review struct {
	CommitID string
	Event    string // always "COMMENT": an empty event would leave a pending review
	Body     string
	Comments []ReviewComment
	// Listed are the fingerprints placed in Body because they could not be
	// anchored; Body carries their markers.
	Listed []string
}

// ReviewComment is one inline comment. Line is the last line of the range;
// StartLine is set only for a multi-line range, inside the same hunk.
type ReviewComment struct {
	Path        string
	Line        int
	Side        string // "RIGHT": the head side
	StartLine   int    // 0 for a single line
	StartSide   string // "RIGHT" when StartLine is set
	Body        string
	Fingerprint string
}

// Fingerprints are the findings this review shows, inline or in its body:
// what the caller records as posted.
func (r *Review) Fingerprints() []string {
	out := make([]string, 0, len(r.Comments)+len(r.Listed))
	for _, c := range r.Comments {
		out = append(out, c.Fingerprint)
	}
	return append(out, r.Listed...)
}

// ReviewPlan plans the scan's review: the new, not ignored findings whose
// fingerprint is not in already (the markers of warden's earlier comments on
// this PR), worst first, at most limit of them (comments.max_per_scan). Each
// is an inline comment when its lines fall inside one hunk of the diff,
// otherwise a bullet in the body; beyond limit they are only counted
// ("N more in the check run") and stay eligible for a later scan. It returns
// nil when there is nothing new to say, when limit is 0 (inline comments
// switched off), or when the scan is superseded.
func ReviewPlan(in Input, already map[string]bool, limit int) *Review {
	if in.Report == nil || in.SupersededBy != "" || limit <= 0 {
		return nil
	}
	s := sortFindings(&in)
	var fresh []checks.Finding
	for _, f := range s.open {
		if !already[f.Fingerprint] {
			fresh = append(fresh, f)
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	shown := fresh[:min(len(fresh), limit)]
	r := &Review{CommitID: in.headSHA(), Event: "COMMENT"}
	var unanchored []checks.Finding
	for i := range shown {
		f := &shown[i]
		start, end, ok := anchor(in.Diff, f)
		if !ok {
			unanchored = append(unanchored, *f)
			continue
		}
		c := ReviewComment{Path: f.Path, Line: end, Side: "RIGHT", Body: commentBody(&in, f, start, end), Fingerprint: f.Fingerprint}
		if start < end {
			c.StartLine, c.StartSide = start, "RIGHT"
		}
		r.Comments = append(r.Comments, c)
	}
	r.Body, r.Listed = reviewBody(&in, fresh, unanchored, len(fresh)-len(shown))
	return r
}

// anchor finds the head-side lines a comment on f can take: the part of the
// finding inside one hunk, preferring a hunk where the finding's lines are
// added. ok is false for a file outside the diff, deleted or binary, or a
// finding outside every hunk.
func anchor(d *checks.Diff, f *checks.Finding) (start, end int, ok bool) {
	fc := d.File(f.Path)
	if fc == nil || fc.Binary || fc.Status == checks.StatusDeleted {
		return 0, 0, false
	}
	first, last := f.StartLine, endLine(f)
	for _, preferAdded := range []bool{true, false} {
		for _, h := range fc.Hunks {
			s, e := max(first, h.Start), min(last, h.End)
			if s > e || (preferAdded && !fc.Added.Overlaps(s, e)) {
				continue
			}
			return s, e, true
		}
	}
	return 0, 0, false
}

// reviewBody is a one-line headline, the findings that could not be placed
// on a line, the count of those beyond the cap, and the markers of the
// listed ones. Bullets that do not fit the comment budget join the count.
func reviewBody(in *Input, fresh, unanchored []checks.Finding, overflow int) (string, []string) {
	blocking := 0
	for _, f := range fresh {
		if checks.Blocks(f.Severity, in.failOn()) {
			blocking++
		}
	}
	head := fmt.Sprintf("**warden** · %s in %s (%s)", plural(len(fresh), "new finding", "new findings"), shaOrUnknown(in.headSHA()), severityCounts(fresh))
	switch {
	case blocking == len(fresh):
		head += ", blocking this PR"
	case blocking > 0:
		head += fmt.Sprintf(", %d blocking this PR", blocking)
	}
	head += ". The `warden` check run has the full report.\n"

	var bullets strings.Builder
	var markers []string
	var listed []string
	assemble := func(extra int) string {
		var b strings.Builder
		b.WriteString(head)
		if bullets.Len() > 0 {
			b.WriteString("\nThese could not be placed on a changed line:\n")
			b.WriteString(bullets.String())
		}
		if n := overflow + extra; n > 0 {
			fmt.Fprintf(&b, "\n%s more in the check run.\n", thousands(n))
		}
		if len(markers) > 0 {
			b.WriteString("\n" + strings.Join(markers, "\n") + "\n")
		}
		return b.String()
	}
	for i := range unanchored {
		f := &unanchored[i]
		item := strings.TrimSuffix(summaryItem(in, f), "\n") + " · " + f.ID() + "\n"
		m := FormatMarker(f.Fingerprint)
		bullets.WriteString(item)
		if m != "" {
			markers = append(markers, m)
		}
		if !fitsComment(assemble(len(unanchored) - i - 1)) {
			// Undo: this one and the rest are only counted.
			s := bullets.String()
			bullets.Reset()
			bullets.WriteString(s[:len(s)-len(item)])
			if m != "" {
				markers = markers[:len(markers)-1]
			}
			return assemble(len(unanchored) - i), listed
		}
		listed = append(listed, f.Fingerprint)
	}
	return assemble(0), listed
}
