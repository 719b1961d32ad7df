package command

import (
	"context"
	"strings"

	"github.com/wardenbot/warden/bot/publish"
)

// resolve turns what the person typed — or, without an id, the warden
// thread they replied in — into a full fingerprint. problem is the reply
// when that is not possible.
func (s *session) resolve(ctx context.Context, c Command) (fingerprint, problem string, err error) {
	if c.Ref.IsZero() {
		fp, err := s.threadFingerprint(ctx)
		if err != nil || fp != "" {
			return fp, "", err
		}
		return "", "Which finding? Name it, e.g. `/warden " + string(c.Verb) + " W-3f2a9c1b`, or reply with the command under warden's comment on it.", nil
	}
	candidates := map[string]bool{}
	findings, err := s.h.Store.Findings(ctx, s.w.RepoID, s.w.PR)
	if err != nil {
		return "", "", err
	}
	for _, f := range findings {
		if c.Ref.Matches(f.Fingerprint) {
			candidates[f.Fingerprint] = true
		}
	}
	if c.Verb == Unignore {
		// An ignore holds for the whole repository: it may have been made
		// on another pull request.
		sups, err := s.h.Store.ActiveSuppressions(ctx, s.w.RepoID, s.w.PR)
		if err != nil {
			return "", "", err
		}
		for _, sp := range sups {
			if c.Ref.Matches(sp.Fingerprint) {
				candidates[sp.Fingerprint] = true
			}
		}
	}
	switch {
	case len(candidates) == 1:
		for fp := range candidates {
			return fp, "", nil
		}
	case len(candidates) > 1:
		return "", c.Ref.String() + " matches several findings; give the full fingerprint instead.", nil
	case c.Ref.Full() && c.Verb != Explain:
		return c.Ref.hex, "", nil
	}
	return "", "warden has no finding " + c.Ref.String() + " on this pull request.", nil
}

// threadFingerprint is the finding of the warden thread a review-comment
// reply sits in: from the store (warden recorded its comment id), else from
// the marker of the thread's root — trusted only when warden wrote it.
func (s *session) threadFingerprint(ctx context.Context) (string, error) {
	if s.w.CommentKind != kindReviewComment || s.w.InReplyTo == 0 {
		return "", nil
	}
	findings, err := s.h.Store.Findings(ctx, s.w.RepoID, s.w.PR)
	if err != nil {
		return "", err
	}
	for _, f := range findings {
		if f.CommentID == s.w.InReplyTo {
			return f.Fingerprint, nil
		}
	}
	if s.h.BotLogin == "" {
		return "", nil
	}
	root, err := s.gh.reviewComment(ctx, s.w.InReplyTo)
	if err != nil {
		return "", err
	}
	if !strings.EqualFold(root.GetUser().GetLogin(), s.h.BotLogin) {
		return "", nil // a marker typed by a person proves nothing
	}
	if fps := publish.ParseMarkers(root.GetBody()); len(fps) == 1 {
		return fps[0], nil
	}
	return "", nil
}
