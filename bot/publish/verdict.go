package publish

import (
	"fmt"

	"github.com/wardenbot/warden/checks"
)

// Conclusions warden sets on its check run. GitHub counts success, neutral
// and skipped as passing a required check, so anything warden did not
// review ends in one of the others.
const (
	ConclusionSuccess        = "success"
	ConclusionFailure        = "failure"
	ConclusionNeutral        = "neutral"
	ConclusionActionRequired = "action_required"
	ConclusionCancelled      = "cancelled"
)

// Unreviewed is why warden reviewed nothing of a head.
type Unreviewed int

const (
	// Draft: the pull request is a draft and drafts are not reviewed.
	Draft Unreviewed = iota + 1
	// OverLimit: fetching the change hit a size or time limit.
	OverLimit
	// CloneRefused: the repository's clone URL is not on the configured GitHub.
	CloneRefused
	// Crashed: the scan itself died (killed, out of memory, crashed), so
	// warden does not retry this head on its own.
	Crashed
	// GaveUp: every attempt to review the head failed.
	GaveUp
)

// NotReviewed says why nothing was reviewed; Detail is the cause in a few
// words ("the pack is over 1 GiB", "killed after 10m0s").
type NotReviewed struct {
	Why    Unreviewed
	Detail string
}

// conclusion is the verdict: the one place that decides whether the check
// passes. Anything not reviewed in full fails, needs action or is
// cancelled — never neutral or skipped — unless the repository's
// on_unscanned policy relaxes the case of a partial review.
func conclusion(in *Input, s sorted) string {
	switch {
	case in.SupersededBy != "":
		return ConclusionCancelled
	case in.NotReviewed != nil:
		switch in.NotReviewed.Why {
		case Draft:
			return ConclusionActionRequired
		case OverLimit:
			return in.onUnscanned()
		}
		return ConclusionFailure
	case in.ConfigError != "", in.Report == nil, len(s.blocking) > 0, in.Approval.Missing():
		return ConclusionFailure
	case len(in.Report.Unscanned()) > 0:
		return in.onUnscanned()
	}
	return ConclusionSuccess
}

func (in *Input) onUnscanned() string {
	switch in.OnUnscanned {
	case ConclusionNeutral, ConclusionActionRequired:
		return in.OnUnscanned
	}
	return ConclusionFailure
}

// notReviewedTitle and notReviewedSummary say what was not checked and how
// to get a review.
func notReviewedTitle(nr *NotReviewed) string {
	detail := oneLine(Clip(nr.Detail, 200))
	switch nr.Why {
	case Draft:
		return "Draft: not reviewed yet"
	case OverLimit:
		return "Not reviewed: " + detail
	case CloneRefused:
		return "Not reviewed: clone URL refused"
	case Crashed:
		return "Could not scan this commit: " + detail
	case GaveUp:
		return "Review failed: " + detail
	}
	return "Not reviewed"
}

func notReviewedSummary(in *Input) string {
	nr := in.NotReviewed
	detail := EscapeMessage(oneLine(Clip(nr.Detail, maxItemRunes)))
	var s string
	switch nr.Why {
	case Draft:
		s = "warden reviews this pull request when it is marked ready for review; until then this check does not pass. " +
			"To review the draft now, comment `/warden rescan` (or set `pull_requests.scan_drafts: true` in " + Code(configPath(in)) + ")."
	case OverLimit:
		s = "warden reviewed nothing of this commit because " + detail + ". " +
			"This check does not pass unreviewed: split the change, or ask an operator to raise the limit."
	case CloneRefused:
		s = "warden " + detail + ", so nothing was reviewed and this check fails."
	case Crashed:
		s = "The scan of this commit " + detail + ", so nothing was reviewed and this check fails. " +
			"warden does not retry a commit whose scan crashed; push a new commit to review again, and tell the warden operators if it happens again."
	case GaveUp:
		s = "warden could not finish reviewing this commit (" + detail + "), so this check fails rather than pass unchecked. " +
			"Comment `/warden rescan` to try again."
	}
	return s + "\n\n" + footer(in)
}

// gapTitle names what was not checked, for the title line.
func gapTitle(gaps []checks.Note) string {
	if len(gaps) == 1 {
		g := gaps[0]
		if g.Path != "" {
			return "not checked: " + oneLine(Clip(g.Path, 100))
		}
		return "not checked: " + oneLine(Clip(g.Check, 40)) + " check incomplete"
	}
	return fmt.Sprintf("%d parts not checked", len(gaps))
}
