package command

import (
	"context"

	"github.com/rs/zerolog"

	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/bot/webhook"
)

// rescan needs read access to the repository (on a public repository: a
// collaborator): a rescan costs a clone-free scan and GitHub writes, so
// it is not for every passer-by. It is limited per person and per pull
// request, and a rescan of a head already waiting to run joins that one.
func (s *session) rescan(ctx context.Context) (outcome, error) {
	d, err := s.readAccess(ctx)
	if err != nil {
		return outcome{}, err
	}
	if !d.ok {
		return outcome{reply: mention(s.w.Sender) + ", `/warden rescan` needs read access to " + publishRepo(s) +
			" as a collaborator. A push to the pull request runs the check again.", audit: "refused: needs read access", perm: d.seen}, nil
	}
	limited, err := s.takeRescan(ctx)
	if err != nil {
		return outcome{perm: d.seen}, err
	}
	if limited != "" {
		return outcome{reply: limited, audit: "rate-limited: " + limited, perm: d.seen}, nil
	}
	return outcome{reply: "Rescan requested by " + mention(s.w.Sender) + ".", audit: "done", perm: d.seen, acted: true, rescan: true, rerun: true}, nil
}

// Check-run buttons warden offers, by identifier.
const buttonRescan = "rescan"

// handleButton runs a `warden` check-run button. Only `rescan` exists, and
// it follows `/warden rescan`: read access, the same quotas, and a waiting
// rescan of the head absorbs it. A button has no comment to answer, so a
// refusal is only audited. Unknown identifiers are ignored.
func (h *Handler) handleButton(ctx context.Context, w webhook.Work) error {
	if w.ActionID != buttonRescan {
		zerolog.Ctx(ctx).Info().Str("identifier", w.ActionID).Msg("unknown check-run action; ignored")
		return nil
	}
	s := newSession(h, w)
	audit := store.CommandAudit{Repo: s.repo, PR: w.PR, Actor: w.Sender, Command: "check run button: " + buttonRescan}
	if ok, err := s.underFloodLimit(ctx); err != nil || !ok {
		if err == nil {
			audit.Permission, audit.Outcome = "not checked", "dropped: over the command limit"
			_, err = h.Store.AuditCommand(ctx, audit)
		}
		return err
	}
	o, err := s.rescan(ctx)
	if err != nil {
		return err
	}
	if o.acted {
		if err := s.enqueueButtonRescan(ctx); err != nil {
			return err
		}
	}
	audit.Permission, audit.Outcome = o.perm, o.audit
	_, err = h.Store.AuditCommand(ctx, audit)
	return err
}

// enqueueButtonRescan queues the button's rescan of the head the check run
// belongs to, unless a rescan of it is waiting already.
func (s *session) enqueueButtonRescan(ctx context.Context) error {
	if merged, err := s.waitingRescan(ctx, s.w.HeadSHA); err != nil || merged {
		return err
	}
	job, err := s.h.Scans.EnqueueScan(ctx, ScanRequest{
		InstallationID: s.w.InstallationID, RepoID: s.w.RepoID, Owner: s.w.Owner, Repo: s.w.Repo, CloneURL: s.w.CloneURL,
		PR: s.w.PR, HeadSHA: s.w.HeadSHA, DeliveryID: s.w.DeliveryID, Event: "check_run.requested_action",
		Actor: s.w.Sender, Rerun: true,
	})
	if err != nil {
		return err
	}
	return s.h.Store.SetPendingRescan(ctx, s.w.RepoID, s.w.PR, s.w.HeadSHA, job)
}
