package command

import (
	"context"
	"errors"

	"github.com/wardenbot/warden/bot/publish"
	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/config"
)

// ignore suppresses a finding warden reported. It follows the fingerprint,
// not a line or a commit, so it holds on every later push of the pull
// request — or, with --repo (the security team only), of every pull
// request — until it expires or is undone. Who may ignore depends on the
// finding (ignore_by); the pull request's authors never may: they would be
// waiving the review of their own change. A fingerprint warden never
// reported cannot be ignored, so nobody can waive a finding before it
// exists.
func (s *session) ignore(ctx context.Context, c Command) (outcome, error) {
	fp, finding, problem, err := s.resolveObserved(ctx, c)
	if err != nil || problem != "" {
		return outcome{reply: problem, audit: "rejected: " + problem}, err
	}
	cfg, err := s.config(ctx)
	if err != nil {
		return outcome{}, err
	}
	who, key := cfg.IgnoreWho(finding.RuleID, finding.Severity)
	doing := "ignoring " + RefFor(fp).String() + " (" + publish.Code(publish.Clip(finding.RuleID, 100)) + ", " + publish.Escape(finding.Severity) + ", `" + key + "`)"
	if c.Repo {
		who, key, doing = cfg.Resolve(config.BySecurityTeam), "--repo", "ignoring a finding in every pull request (--repo)"
	}
	d, err := s.mayAct(ctx, cfg, who)
	if err != nil {
		return outcome{perm: d.seen}, err
	}
	if !d.ok {
		return outcome{reply: s.refusalText(doing, cfg, who), audit: "refused: needs " + who.String() + " (" + key + ")", perm: d.seen}, nil
	}
	if o, ok, err := s.notAnAuthor(ctx, finding, d.seen, cfg, who); err != nil || !ok {
		return o, err
	}
	sp := store.Suppression{Repo: s.repo, PR: s.w.PR, Fingerprint: fp, Kind: c.Kind, Reason: c.Reason, By: s.w.Sender}
	scope := "on this pull request; it stays ignored on its later pushes"
	if c.Repo {
		sp.PR, scope = 0, "in every pull request of "+publishRepo(s)
	}
	until := ""
	if c.Expires > 0 {
		sp.ExpiresAt = s.h.now().Add(c.Expires).UTC()
		until = " until " + sp.ExpiresAt.Format("2006-01-02 15:04 UTC") + " (" + humanDuration(c.Expires) + ")"
	}
	if _, err := s.h.Store.Suppress(ctx, sp); err != nil {
		return outcome{perm: d.seen}, err
	}
	ref := RefFor(fp).String()
	undo := "`/warden unignore " + ref + "`"
	if c.Repo {
		undo = "`/warden unignore " + ref + " --repo`"
	}
	return outcome{
		reply: "Ignored " + ref + " (" + string(c.Kind) + ": " + publish.Escape(c.Reason) + ") for " + mention(s.w.Sender) +
			" " + scope + until + "; " + undo + " to undo.",
		audit: "done", perm: d.seen, acted: true, trusted: true, rescan: true,
	}, nil
}

// notAnAuthor refuses someone who wrote or pushed the pull request's code:
// on this pull request, and for --repo on the pull request where warden
// last saw the finding (whose pushers it recorded).
func (s *session) notAnAuthor(ctx context.Context, finding store.Finding, seen string, cfg *config.Config, who config.Who) (outcome, bool, error) {
	authors, err := s.prAuthors(ctx)
	if err != nil {
		return outcome{perm: seen}, false, err
	}
	why := authors.role(s.w.Sender)
	if why == "" && authors.incomplete {
		why = "this pull request has more commits than GitHub lists, so warden cannot tell who wrote them"
	}
	if why == "" && finding.PR != s.w.PR {
		pushes, err := s.h.Store.Pushes(ctx, s.w.RepoID, finding.PR)
		if err != nil {
			return outcome{perm: seen}, false, err
		}
		for _, p := range pushes {
			if equalLogin(p.Pusher, s.w.Sender) {
				why = "you pushed to #" + itoa(finding.PR) + ", where warden found it"
			}
		}
	}
	if why == "" {
		return outcome{}, true, nil
	}
	return outcome{reply: mention(s.w.Sender) + ", " + why + ", so you cannot ignore its findings. Ask " + askText(cfg, who) + ".",
		audit: "refused: author of the pull request", perm: seen + "; author"}, false, nil
}

// resolveObserved names the finding to ignore. Without --repo it must be
// one warden reported on this pull request; with --repo, anywhere in the
// repository.
func (s *session) resolveObserved(ctx context.Context, c Command) (string, store.Finding, string, error) {
	fp, problem, err := s.resolve(ctx, c)
	if err != nil || problem != "" {
		return "", store.Finding{}, problem, err
	}
	f, err := s.h.Store.Finding(ctx, s.w.RepoID, s.w.PR, fp)
	if errors.Is(err, store.ErrNotFound) && c.Repo {
		f, err = s.h.Store.ObservedFinding(ctx, s.w.RepoID, fp)
	}
	if errors.Is(err, store.ErrNotFound) {
		where := "on this pull request"
		if c.Repo {
			where = "in " + publishRepo(s)
		}
		return "", store.Finding{}, "warden never reported " + RefFor(fp).String() + " " + where +
			", so there is nothing to ignore: an ignore covers only findings warden has reported, never one ahead of time.", nil
	}
	return fp, f, "", err
}

// unignore revokes the ignore of the pull request, or with --repo the
// repository-wide one. Undoing an ignore only makes the review stricter, so
// write access (or the security team) is enough.
func (s *session) unignore(ctx context.Context, c Command) (outcome, error) {
	cfg, err := s.config(ctx)
	if err != nil {
		return outcome{}, err
	}
	who := config.Who{Level: config.ByWrite}
	d, err := s.mayAct(ctx, cfg, who)
	if err != nil || !d.ok {
		return outcome{reply: s.refusalText("un-ignoring a finding", cfg, who), audit: "refused: needs write", perm: d.seen}, err
	}
	fp, problem, err := s.resolve(ctx, c)
	if err != nil || problem != "" {
		return outcome{reply: problem, audit: "rejected: " + problem, perm: d.seen, acted: true, trusted: true}, err
	}
	ref := RefFor(fp).String()
	scope, where := s.w.PR, "on this pull request"
	if c.Repo {
		scope, where = 0, "in "+publishRepo(s)
	}
	err = s.h.Store.Unignore(ctx, s.repo, scope, fp, s.w.Sender)
	if errors.Is(err, store.ErrNotFound) {
		reply := ref + " is not ignored " + where + "; nothing to undo."
		if _, werr := s.h.Store.ActiveSuppression(ctx, s.w.RepoID, 0, fp); !c.Repo && werr == nil {
			reply = ref + " is ignored in every pull request of " + publishRepo(s) + "; `/warden unignore " + ref + " --repo` undoes that."
		}
		return outcome{reply: reply, audit: "rejected: not ignored", perm: d.seen, acted: true, trusted: true}, nil
	}
	if err != nil {
		return outcome{perm: d.seen}, err
	}
	return outcome{
		reply: ref + " is no longer ignored " + where + " (undone by " + mention(s.w.Sender) + "); it counts again from the next check run.",
		audit: "done", perm: d.seen, acted: true, trusted: true, rescan: true,
	}, nil
}
