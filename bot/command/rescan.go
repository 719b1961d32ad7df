package command

import (
	"context"

	"github.com/wardenbot/warden/bot/review"
	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/bot/webhook"
)

// rescan is open to everyone who can comment: it only repeats what a push
// does, and the scan reuses the repository cache.
func (s *session) rescan(ctx context.Context) (outcome, error) {
	return outcome{reply: "Rescan requested by " + mention(s.w.Sender) + ".", audit: "done", perm: "not required", rescan: true, rerun: true}, nil
}

// Check-run buttons warden offers, by identifier.
const buttonRescan = "rescan"

// handleButton runs a `warden` check-run button. Only `rescan` exists, and
// it is open like `/warden rescan`: GitHub shows the button to people who
// can see the check, and the action only repeats what a push does. A
// privileged button would have to authorize like its command. Unknown
// identifiers are ignored.
func (h *Handler) handleButton(ctx context.Context, w webhook.Work) error {
	if w.ActionID != buttonRescan {
		h.Log.Info().Str("identifier", w.ActionID).Msg("unknown check-run action; ignored")
		return nil
	}
	if err := h.Scans.EnqueueScan(ctx, review.Job{
		InstallationID: w.InstallationID, RepoID: w.RepoID, Owner: w.Owner, Repo: w.Repo, CloneURL: w.CloneURL,
		PR: w.PR, HeadSHA: w.HeadSHA, DeliveryID: w.DeliveryID, Event: "check_run.requested_action",
		Actor: w.Sender, Rerun: true,
	}); err != nil {
		return err
	}
	_, err := h.Store.AuditCommand(ctx, store.CommandAudit{
		Repo: store.Repo{ID: w.RepoID, Owner: w.Owner, Name: w.Repo}, PR: w.PR, Actor: w.Sender,
		Command: "check run button: " + buttonRescan, Permission: "not required", Outcome: "done",
	})
	return err
}
