package queue

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/wardenbot/warden/bot/store"
)

// Store is what the queue needs from bot/store.
type Store interface {
	Handle() store.Handle
	store.RepoLocks
	store.ScanHeads
	store.RateLimits
	Active(ctx context.Context, installationID, repoID int64) (bool, error)
}

// Queue enqueues and (with Workers > 0) works warden's jobs.
type Queue struct {
	cfg      Config
	st       Store
	handlers Handlers
	client   riverClient
	retry    backoff
}

// New migrates River's tables in the store's database and prepares a
// client. Call Start to begin working jobs.
func New(ctx context.Context, st Store, h Handlers, cfg Config) (*Queue, error) {
	cfg = cfg.withDefaults()
	q := &Queue{cfg: cfg, st: st, handlers: h, retry: backoff{base: cfg.RetryBase, cap: cfg.RetryCap}}
	rc := &river.Config{
		ID:                   cfg.ClientID,
		Logger:               cfg.Logger,
		MaxAttempts:          cfg.MaxAttempts,
		JobTimeout:           cfg.JobTimeout,
		RescueStuckJobsAfter: cfg.RescueStuckJobsAfter,
		RetryPolicy:          q.retry,
		FetchPollInterval:    cfg.PollInterval,
		FetchCooldown:        min(cfg.PollInterval, 100*time.Millisecond),
		// Keep finished jobs for a day: completed scans keep deduplicating
		// late events for their head that long.
		CompletedJobRetentionPeriod: 24 * time.Hour,
		SkipUnknownJobCheck:         cfg.Workers == 0,
	}
	if cfg.Workers > 0 {
		if h.Scan == nil || h.Command == nil || h.Reconcile == nil {
			return nil, errors.New("queue: a working queue needs scan, command and reconcile handlers")
		}
		workers := river.NewWorkers()
		river.AddWorker(workers, &scanWorker{q: q})
		river.AddWorker(workers, &commandWorker{q: q})
		river.AddWorker(workers, &reconcileWorker{q: q})
		rc.Workers = workers
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}}
		if cfg.ReconcileEvery > 0 {
			// River queues periodic jobs from the elected leader only.
			rc.PeriodicJobs = []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(cfg.ReconcileEvery),
				func() (river.JobArgs, *river.InsertOpts) {
					job := ReconcileJob{Reason: "periodic"}
					return job, reconcileOpts(job)
				}, &river.PeriodicJobOpts{RunOnStart: true})}
		}
	}
	client, err := newRiverClient(ctx, st.Handle(), rc)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	q.client = client
	return q, nil
}

// Start begins working jobs until Stop or ctx ends.
func (q *Queue) Start(ctx context.Context) error {
	if q.cfg.Workers == 0 {
		return errors.New("queue: insert-only queue (Workers = 0) cannot start")
	}
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("queue: start: %w", err)
	}
	return nil
}

// Stop lets running jobs finish, until ctx ends; then their contexts are
// cancelled and unfinished jobs retry later (or are rescued).
func (q *Queue) Stop(ctx context.Context) error {
	if q.cfg.Workers == 0 {
		return nil
	}
	if err := q.client.Stop(ctx); err == nil {
		return nil
	}
	hard, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := q.client.StopAndCancel(hard); err != nil {
		return fmt.Errorf("queue: stop: %w", err)
	}
	return nil
}

// Superseded reports whether a newer head of the PR has been enqueued. A
// scan handler calls it before each GitHub write and drops its output
// (returning ErrSuperseded) when true.
func (q *Queue) Superseded(ctx context.Context, repoID int64, pr int, sha string) (bool, error) {
	return q.st.Superseded(ctx, repoID, pr, sha)
}
