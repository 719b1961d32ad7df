package server

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/rs/zerolog"

	"github.com/wardenbot/warden/bot/queue"
	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/bot/webhook"
)

// Intake turns routed deliveries into durable work: jobs on the queue, and
// installation changes in the store (with their jobs cancelled).
type Intake struct {
	Queue *queue.Queue
	Store store.Store
	Log   zerolog.Logger
}

// Accept returns only after the work is stored.
func (in *Intake) Accept(ctx context.Context, w webhook.Work) error {
	switch w.Kind {
	case webhook.Scan:
		if err := in.recordPush(ctx, w); err != nil {
			return err
		}
		job := queue.ScanJob{
			InstallationID: w.InstallationID, Owner: w.Owner, Repo: w.Repo, RepoID: w.RepoID, CloneURL: w.CloneURL,
			PR: w.PR, HeadSHA: w.HeadSHA, BaseRef: w.BaseRef, DeliveryID: w.DeliveryID, Trigger: w.Event + "." + w.Action,
		}
		if w.RequestedRerun {
			job.Rerun = w.DeliveryID // a person asked: a fresh job even for a scanned head
		}
		res, err := in.Queue.EnqueueScan(ctx, job)
		if err == nil && len(res.Cancelled) > 0 {
			in.Log.Info().Ints64("cancelled_jobs", res.Cancelled).Msg("older heads of the pull request superseded")
		}
		return err
	case webhook.Command:
		payload, err := json.Marshal(w)
		if err != nil {
			return err
		}
		key := fmt.Sprintf("%s-%d", w.CommentKind, w.CommentID)
		if w.CommentID == 0 {
			key = "delivery-" + w.DeliveryID
		}
		_, err = in.Queue.EnqueueCommand(ctx, queue.CommandJob{
			InstallationID: w.InstallationID, Owner: w.Owner, Repo: w.Repo, RepoID: w.RepoID, PR: w.PR,
			CommentID: w.CommentID, DeliveryID: w.DeliveryID, Payload: payload, DedupeKey: key,
		})
		return err
	case webhook.Installation:
		return in.installation(ctx, w)
	}
	return nil
}

// recordPush remembers who moved a pull request to a head: the sender of
// its opened, synchronize and reopened events. Approvals and ignores need
// it (a pusher counts as an author; a comment's time tells which head it
// saw), so a delivery that cannot be recorded is not acknowledged.
func (in *Intake) recordPush(ctx context.Context, w webhook.Work) error {
	if w.Event != "pull_request" || w.PR == 0 || w.HeadSHA == "" {
		return nil
	}
	switch w.Action {
	case "opened", "synchronize", "reopened":
		return in.Store.RecordPush(ctx, store.Push{Repo: store.Repo{ID: w.RepoID, Owner: w.Owner, Name: w.Repo}, PR: w.PR,
			HeadSHA: w.HeadSHA, Pusher: w.Sender, Event: w.Action, DeliveryID: w.DeliveryID})
	}
	return nil
}

// installation records access changes; jobs of a suspended or removed
// installation or repository are cancelled, and no token is minted for a
// deleted one.
func (in *Intake) installation(ctx context.Context, w webhook.Work) error {
	id := w.InstallationID
	switch w.Event + "." + w.Action {
	case "installation.created", "installation.new_permissions_accepted", "installation.unsuspend":
		if err := in.Store.UpsertInstallation(ctx, store.Installation{ID: id}); err != nil {
			return err
		}
		return in.Store.SetInstallationSuspended(ctx, id, false)
	case "installation.suspend":
		if err := in.Store.SetInstallationSuspended(ctx, id, true); err != nil {
			return err
		}
		_, err := in.Queue.CancelInstallation(ctx, id)
		return err
	case "installation.deleted":
		if err := in.Store.DeleteInstallation(ctx, id); err != nil {
			return err
		}
		_, err := in.Queue.CancelInstallation(ctx, id)
		return err
	case "installation_repositories.removed":
		for _, repo := range w.RemovedRepoIDs {
			if err := in.Store.RemoveRepository(ctx, repo); err != nil {
				return err
			}
			if _, err := in.Queue.CancelRepository(ctx, repo); err != nil {
				return err
			}
		}
	}
	return nil
}

// deliveries adapts the store's delivery ids to the webhook's dedupe.
type deliveries struct{ st store.Store }

func (d deliveries) First(ctx context.Context, id string) (bool, error) {
	return d.st.SeenDelivery(ctx, id)
}

func (d deliveries) Forget(ctx context.Context, id string) error {
	f, ok := d.st.(interface {
		ForgetDelivery(context.Context, string) error
	})
	if !ok {
		return fmt.Errorf("store cannot forget deliveries")
	}
	return f.ForgetDelivery(ctx, id)
}
