package queue

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Enqueued describes the outcome of an Enqueue call.
type Enqueued struct {
	JobID int64
	// Duplicate is true when an equivalent job already existed (same head,
	// same command key); JobID is that job.
	Duplicate bool
	// Cancelled lists older scans of the PR that this head superseded.
	Cancelled []int64
}

// liveStates are the states of a job that has not finished.
var liveStates = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
	rivertype.JobStateRunning, rivertype.JobStateScheduled,
}

// EnqueueScan stores a scan job durably. Repeated events for one head
// return the job still waiting or running for it; once that job finished, an
// event queues a new one, which publishes only if the verdict is stale. A
// new head cancels the PR's older scans.
func (q *Queue) EnqueueScan(ctx context.Context, job ScanJob) (Enqueued, error) {
	res, err := q.insert(ctx, job.InstallationID, job, &river.InsertOpts{
		Tags:       tags(job.InstallationID, job.RepoID, job.PR),
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: liveStates},
	})
	if err != nil || res.Duplicate {
		return res, err
	}
	prevSHA, prevJob, err := q.st.ReplaceHead(ctx, job.RepoID, job.PR, job.HeadSHA, res.JobID)
	if err != nil {
		// The job is stored and will advance the head itself when it runs.
		return res, fmt.Errorf("queue: enqueue scan: %w", err)
	}
	if prevJob != 0 && prevSHA != job.HeadSHA {
		// Each new head cancels the one it replaced, so a run of pushes
		// cancels every older head without searching the job table; a
		// worker re-checks the head before running in any case.
		if _, err := q.client.JobCancel(ctx, prevJob); err == nil {
			res.Cancelled = append(res.Cancelled, prevJob)
		}
	}
	return res, nil
}

func (q *Queue) EnqueueCommand(ctx context.Context, job CommandJob) (Enqueued, error) {
	opts := &river.InsertOpts{Tags: tags(job.InstallationID, job.RepoID, job.PR)}
	if job.DedupeKey != "" {
		opts.UniqueOpts = river.UniqueOpts{ByArgs: true}
	}
	return q.insert(ctx, job.InstallationID, job, opts)
}

// EnqueueReconcile stores a reconcile job unless one for the same target is
// still waiting or running.
func (q *Queue) EnqueueReconcile(ctx context.Context, job ReconcileJob) (Enqueued, error) {
	return q.insert(ctx, job.InstallationID, job, reconcileOpts(job))
}

func reconcileOpts(job ReconcileJob) *river.InsertOpts {
	o := &river.InsertOpts{
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
			rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
			rivertype.JobStateRetryable, rivertype.JobStateScheduled,
		}},
	}
	if job.InstallationID != 0 {
		o.Tags = tags(job.InstallationID, job.RepoID, 0)
	}
	return o
}

// insert refuses when the backlog is full — in all, or of the job's
// installation — sets the job's priority by how much its installation has
// waiting, then inserts in a committed transaction: when it returns nil
// the job survives a crash.
func (q *Queue) insert(ctx context.Context, installationID int64, args river.JobArgs, opts *river.InsertOpts) (Enqueued, error) {
	total, mine, err := q.waiting(ctx, installationID)
	if err != nil {
		return Enqueued{}, fmt.Errorf("queue: enqueue %s: %w", args.Kind(), err)
	}
	switch {
	case total >= q.cfg.MaxBacklog:
		return Enqueued{}, fmt.Errorf("queue: enqueue %s: %d jobs waiting: %w", args.Kind(), total, ErrBacklogFull)
	case installationID != 0 && mine >= q.cfg.MaxInstallationBacklog:
		return Enqueued{}, fmt.Errorf("queue: enqueue %s: installation %d has %d jobs waiting: %w", args.Kind(), installationID, mine, ErrBacklogFull)
	}
	if installationID != 0 {
		opts.Priority = priorityFor(mine)
	}
	res, err := q.client.Insert(ctx, args, opts)
	if err != nil {
		return Enqueued{}, fmt.Errorf("queue: enqueue %s: %w", args.Kind(), err)
	}
	return Enqueued{JobID: res.Job.ID, Duplicate: res.UniqueSkippedAsDuplicate}, nil
}
