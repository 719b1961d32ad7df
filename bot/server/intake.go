package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

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
	// Installations confirms installation events with GitHub before they
	// change anything.
	Installations InstallationChecker
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
			PR: w.PR, HeadSHA: w.HeadSHA, BaseRef: w.BaseRef, BaseSHA: w.BaseSHA, DeliveryID: w.DeliveryID, Trigger: w.Event + "." + w.Action,
		}
		switch {
		case w.RequestedRerun:
			job.Rerun = w.DeliveryID // a person asked: a fresh job even for a scanned head
		case w.Event == "pull_request" && w.Action == "reopened":
			job.Fresh = w.DeliveryID // a fresh verdict, on the existing run
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

// confirmTimeout bounds the API calls that confirm an installation event:
// they run while GitHub waits for the delivery's answer.
const confirmTimeout = 5 * time.Second

// installation applies an access change — after GitHub confirms it. The
// signature proves a body came from GitHub once, not that it is current:
// a replayed or late installation.suspend must not suspend a tenant that
// GitHub shows active, nor a stale unsuspend revive a suspended one. So
// the event only says whom to ask; the state applied is what GET
// /app/installations/{id} (with the App's JWT) answers now. Jobs of a
// suspended or removed installation or repository are cancelled, and no
// token is minted for a deleted one. When GitHub cannot be asked, nothing
// changes and the delivery fails (503), so it can be redelivered.
func (in *Intake) installation(ctx context.Context, w webhook.Work) error {
	id := w.InstallationID
	if id <= 0 {
		in.Log.Warn().Str("event", w.Event+"."+w.Action).Msg("installation event without an installation id; ignored")
		return nil
	}
	if in.Installations == nil {
		return errors.New("installation events cannot be confirmed: no GitHub App client")
	}
	ctx, cancel := context.WithTimeout(ctx, confirmTimeout)
	defer cancel()
	log := in.Log.With().Int64("installation", id).Str("event", w.Event+"."+w.Action).Logger()
	switch w.Event + "." + w.Action {
	case "installation.created", "installation.new_permissions_accepted", "installation.unsuspend",
		"installation.suspend", "installation.deleted":
		state, err := in.Installations.InstallationState(ctx, id)
		if err != nil {
			return fmt.Errorf("confirming installation %d with GitHub: %w", id, err)
		}
		if claimed := claimedState(w.Action); claimed != state {
			log.Warn().Stringer("github_says", state).Stringer("event_says", claimed).Msg("installation event contradicts GitHub; applying GitHub's state")
		}
		return in.applyInstallationState(ctx, id, state)
	case "installation_repositories.removed":
		for _, repo := range w.RemovedRepos {
			owner, name, _ := strings.Cut(repo.FullName, "/")
			installed, err := in.Installations.RepositoryInstalled(ctx, id, owner, name)
			switch {
			case errors.Is(err, errNotAName):
				log.Warn().Int64("repo_id", repo.ID).Msg("removed repository has no valid name; not confirmed, left as it is")
				continue
			case err != nil:
				return fmt.Errorf("confirming the removal of repository %d with GitHub: %w", repo.ID, err)
			case installed:
				log.Warn().Int64("repo_id", repo.ID).Msg("repository removal contradicts GitHub (still installed); ignored")
				continue
			}
			if err := in.Store.RemoveRepository(ctx, repo.ID); err != nil {
				return err
			}
			if _, err := in.Queue.CancelRepository(ctx, repo.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

func claimedState(action string) InstallationState {
	switch action {
	case "suspend":
		return InstallationSuspended
	case "deleted":
		return InstallationGone
	}
	return InstallationActive
}

// applyInstallationState records state (only when it differs from what is
// recorded, so a contradicted event leaves no audit trace of a change) and
// cancels the jobs of an installation that is not active.
func (in *Intake) applyInstallationState(ctx context.Context, id int64, state InstallationState) error {
	want := store.Installation{ID: id, Suspended: state == InstallationSuspended, Deleted: state == InstallationGone}
	have, err := in.Store.Installation(ctx, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		err = in.Store.UpsertInstallation(ctx, want)
	case err != nil:
		return err
	case have.Suspended != want.Suspended || have.Deleted != want.Deleted:
		want.Account = have.Account
		err = in.Store.UpsertInstallation(ctx, want)
	}
	if err != nil || state == InstallationActive {
		return err
	}
	_, err = in.Queue.CancelInstallation(ctx, id)
	return err
}

// deliveries adapts the store's delivery ids to the webhook's dedupe.
type deliveries struct{ st store.Store }

// First is true only for a new id with a new body: a body replayed under a
// fresh id stays a duplicate (the id is kept, naming the replay).
func (d deliveries) First(ctx context.Context, id, digest string) (bool, error) {
	first, err := d.st.SeenDelivery(ctx, id)
	if err != nil || !first {
		return false, err
	}
	newBody, err := d.st.SeenDeliveryBody(ctx, digest)
	if err != nil {
		return false, errors.Join(err, d.st.ForgetDelivery(context.WithoutCancel(ctx), id))
	}
	return newBody, nil
}

func (d deliveries) Forget(ctx context.Context, id, digest string) error {
	return errors.Join(d.st.ForgetDelivery(ctx, id), d.st.ForgetDeliveryBody(ctx, digest))
}
