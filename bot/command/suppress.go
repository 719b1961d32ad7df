package command

import (
	"context"
	"errors"

	"github.com/wardenbot/warden/bot/publish"
	"github.com/wardenbot/warden/bot/store"
)

// ignore suppresses a fingerprint in the repository. It follows the
// fingerprint, not a line or a commit, so it holds on every later push and
// on other pull requests, until it expires or is undone.
func (s *session) ignore(ctx context.Context, c Command) (outcome, error) {
	d, err := s.mayManage(ctx, "ignoring a finding")
	if err != nil || !d.ok {
		return refused(d, "write"), err
	}
	fp, problem, err := s.resolve(ctx, c)
	if err != nil || problem != "" {
		return outcome{reply: problem, audit: "rejected: " + problem, perm: d.seen}, err
	}
	sp := store.Suppression{Repo: s.repo, Fingerprint: fp, Kind: c.Kind, Reason: c.Reason, By: s.w.Sender}
	until := ""
	if c.Expires > 0 {
		sp.ExpiresAt = s.h.now().Add(c.Expires).UTC()
		until = " until " + sp.ExpiresAt.Format("2006-01-02 15:04 UTC") + " (" + humanDuration(c.Expires) + ")"
	}
	if _, err := s.h.Store.Suppress(ctx, sp); err != nil {
		return outcome{perm: d.seen}, err
	}
	ref := RefFor(fp).String()
	return outcome{
		reply: "Ignored " + ref + " (" + string(c.Kind) + ": " + publish.Escape(c.Reason) + ") for " + mention(s.w.Sender) +
			". It stays ignored on later pushes" + until + "; `/warden unignore " + ref + "` to undo.",
		audit: "done", perm: d.seen, rescan: true,
	}, nil
}

// unignore revokes the fingerprint's suppression in the repository.
func (s *session) unignore(ctx context.Context, c Command) (outcome, error) {
	d, err := s.mayManage(ctx, "un-ignoring a finding")
	if err != nil || !d.ok {
		return refused(d, "write"), err
	}
	fp, problem, err := s.resolve(ctx, c)
	if err != nil || problem != "" {
		return outcome{reply: problem, audit: "rejected: " + problem, perm: d.seen}, err
	}
	ref := RefFor(fp).String()
	switch err := s.h.Store.Unignore(ctx, s.repo, 0, fp, s.w.Sender); {
	case errors.Is(err, store.ErrNotFound):
		return outcome{reply: ref + " is not ignored in " + publishRepo(s) + "; nothing to undo.", audit: "rejected: not ignored", perm: d.seen}, nil
	case err != nil:
		return outcome{perm: d.seen}, err
	}
	return outcome{
		reply: ref + " is no longer ignored (undone by " + mention(s.w.Sender) + "); it counts again from the next check run.",
		audit: "done", perm: d.seen, rescan: true,
	}, nil
}
