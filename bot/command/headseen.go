package command

import (
	"context"
	"strings"
	"time"

	"github.com/wardenbot/warden/bot/store"
)

// headMargin absorbs what blurs the comparison of a comment's time with
// the time warden heard of a push: GitHub's timestamps are whole seconds,
// and warden's clock is not GitHub's (the measured skew is added).
const headMargin = 3 * time.Second

// seenHead is the commit a command's author was looking at, as far as
// warden can establish it; sha is "" when it cannot.
type seenHead struct {
	sha string
	// how says how it was established, for the audit log.
	how string
}

// reviewedHead establishes the head the command's author reviewed:
//   - `/warden approve <sha>` names it;
//   - a review or a review comment carries the commit GitHub recorded for
//     it (for a comment: the commit it was written on);
//   - a conversation comment carries only its time, so the head is the one
//     warden heard of before that time, provided no other head was heard
//     of since. A push around the time of the comment leaves it unknown.
func (s *session) reviewedHead(ctx context.Context, c Command) (seenHead, error) {
	if c.SHA != "" {
		return seenHead{sha: c.SHA, how: "named in the command"}, nil
	}
	switch s.w.CommentKind {
	case kindReview:
		r, err := s.gh.review(ctx, s.w.PR, s.w.CommentID)
		if err != nil {
			return seenHead{}, err
		}
		return seenHead{sha: r.GetCommitID(), how: "the review's commit"}, nil
	case kindReviewComment:
		rc, err := s.gh.reviewComment(ctx, s.w.CommentID)
		if err != nil {
			return seenHead{}, err
		}
		sha := rc.GetOriginalCommitID()
		if sha == "" {
			sha = rc.GetCommitID()
		}
		return seenHead{sha: sha, how: "the review comment's commit"}, nil
	}
	ic, err := s.gh.issueComment(ctx, s.w.CommentID)
	if err != nil {
		return seenHead{}, err
	}
	pushes, err := s.h.Store.Pushes(ctx, s.w.RepoID, s.w.PR)
	if err != nil {
		return seenHead{}, err
	}
	margin := headMargin
	if s.h.ClockSkew != nil {
		margin += s.h.ClockSkew().Abs()
	}
	return seenHead{sha: headAt(pushes, ic.GetCreatedAt().Time, margin), how: "the head when the comment was written"}, nil
}

// headAt is the head a comment written at t saw: the last head warden
// heard of at least margin before t, provided every head heard of since is
// the same one. warden hears of a push after it happens, so a head heard of
// before t was pushed before t; a head heard of later may have been pushed
// before t too (deliveries can be minutes late), so any other head heard
// of after the candidate makes the answer unknown ("").
func headAt(pushes []store.Push, t time.Time, margin time.Duration) string {
	last := -1
	for i, p := range pushes {
		if !p.At.Add(margin).After(t) {
			last = i
		}
	}
	if last < 0 {
		return ""
	}
	head := pushes[last].HeadSHA
	for _, p := range pushes[last+1:] {
		if p.HeadSHA != head {
			return ""
		}
	}
	return head
}

// sameCommit compares a full sha with one a person typed (at least 7 hex
// digits, any case).
func sameCommit(full, typed string) bool {
	return len(typed) >= 7 && len(typed) <= len(full) && strings.HasPrefix(full, strings.ToLower(typed))
}
