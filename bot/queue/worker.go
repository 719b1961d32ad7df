package queue

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

type scanWorker struct {
	river.WorkerDefaults[ScanJob]
	q *Queue
}

func (w *scanWorker) Work(ctx context.Context, job *river.Job[ScanJob]) error {
	a := job.Args
	a.JobID = job.ID
	a.LastAttempt = job.Attempt >= job.MaxAttempts
	return w.q.work(ctx, job.JobRow, a.InstallationID, a.RepoID, func(ctx context.Context) error {
		// Record our head in case the enqueuer crashed before doing so; a
		// newer job's head wins either way.
		if err := w.q.st.AdvanceHead(ctx, a.RepoID, a.PR, a.HeadSHA, job.ID); err != nil {
			return err
		}
		if gone, err := w.q.Superseded(ctx, a.RepoID, a.PR, a.HeadSHA); err != nil || gone {
			return errors.Join(err, supersededIf(gone))
		}
		return w.q.withRepoLock(ctx, job.JobRow, a.RepoID, func(ctx context.Context) error {
			return w.q.handlers.Scan.HandleScan(ctx, a)
		})
	})
}

func supersededIf(gone bool) error {
	if gone {
		return ErrSuperseded
	}
	return nil
}

type commandWorker struct {
	river.WorkerDefaults[CommandJob]
	q *Queue
}

func (w *commandWorker) Work(ctx context.Context, job *river.Job[CommandJob]) error {
	return w.q.work(ctx, job.JobRow, job.Args.InstallationID, job.Args.RepoID, func(ctx context.Context) error {
		return w.q.handlers.Command.HandleCommand(ctx, job.Args)
	})
}

type reconcileWorker struct {
	river.WorkerDefaults[ReconcileJob]
	q *Queue
}

func (w *reconcileWorker) Work(ctx context.Context, job *river.Job[ReconcileJob]) error {
	if job.Args.InstallationID == 0 {
		// A sweep of every installation; each is checked as it is reached.
		return w.q.handlers.Reconcile.HandleReconcile(ctx, job.Args)
	}
	return w.q.work(ctx, job.JobRow, job.Args.InstallationID, job.Args.RepoID, func(ctx context.Context) error {
		return w.q.handlers.Reconcile.HandleReconcile(ctx, job.Args)
	})
}

// work runs the checks every job shares, then fn, and translates the result
// into River's terms.
func (q *Queue) work(ctx context.Context, row *rivertype.JobRow, installationID, repoID int64, fn func(context.Context) error) error {
	if active, err := q.st.Active(ctx, installationID, repoID); err != nil {
		return err
	} else if !active {
		return river.JobCancel(ErrInactive)
	}
	if until, err := q.st.WritesPausedUntil(ctx, installationID); err != nil {
		return err
	} else if wait := time.Until(until); wait > 0 {
		return river.JobSnooze(wait)
	}
	if over, err := q.overShare(ctx, installationID, row.ID); err != nil {
		return err
	} else if over {
		return river.JobSnooze(jitter(q.cfg.RepoBusyRetry, 0.5)) // let the other installation's job have the worker
	}
	return q.translate(ctx, installationID, fn(ctx))
}

func (q *Queue) translate(ctx context.Context, installationID int64, err error) error {
	var (
		rateLimited *RateLimitedError
		retryAt     *retryAtError
		permanent   *permanentError
	)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &rateLimited):
		if perr := q.st.PauseWrites(context.WithoutCancel(ctx), installationID, rateLimited.Until); perr != nil {
			return errors.Join(err, perr) // retried with backoff instead
		}
		return river.JobSnooze(max(time.Until(rateLimited.Until), 0))
	case errors.As(err, &retryAt):
		return river.JobSnooze(max(time.Until(retryAt.at), 0))
	case errors.As(err, &permanent), errors.Is(err, ErrSuperseded), errors.Is(err, ErrInactive):
		return river.JobCancel(err)
	default:
		return err
	}
}

// withRepoLock runs fn holding the repository's lease, renewing it while fn
// runs. A busy repository snoozes the job (no attempt consumed).
func (q *Queue) withRepoLock(ctx context.Context, row *rivertype.JobRow, repoID int64, fn func(context.Context) error) error {
	holder := fmt.Sprintf("job-%d", row.ID) // a rescued job keeps its id, so it can resume its own lease
	ok, err := q.st.TryLockRepo(ctx, repoID, holder, q.cfg.RepoLockTTL)
	if err != nil {
		return err
	}
	if !ok {
		return river.JobSnooze(jitter(q.cfg.RepoBusyRetry, 0.5))
	}
	defer func() { _ = q.st.UnlockRepo(context.WithoutCancel(ctx), repoID, holder) }()

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	go q.renewLease(ctx, cancel, repoID, holder)
	err = fn(ctx)
	if cause := context.Cause(ctx); err != nil && errors.Is(cause, errLeaseLost) {
		return fmt.Errorf("%w: %w", cause, err)
	}
	return err
}

var errLeaseLost = errors.New("queue: repository lease lost")

func (q *Queue) renewLease(ctx context.Context, cancel context.CancelCauseFunc, repoID int64, holder string) {
	tick := time.NewTicker(q.cfg.RepoLockTTL / 3)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			ok, err := q.st.TryLockRepo(ctx, repoID, holder, q.cfg.RepoLockTTL)
			if ctx.Err() != nil {
				return
			}
			if err == nil && !ok {
				cancel(errLeaseLost) // another job holds the repository now: stop writing
				return
			}
		}
	}
}
