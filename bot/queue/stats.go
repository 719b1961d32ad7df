package queue

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Stats is the queue's state for metrics.
type Stats struct {
	Available int // ready to run now
	Scheduled int // waiting for a time (snoozed, rate limited)
	Retryable int // failed, waiting for a retry
	Running   int
	// Backlog is Available+Retryable: what MaxBacklog bounds (a snoozed,
	// scheduled job waits on purpose).
	Backlog int
	// OldestWait is how long the oldest runnable job has been runnable:
	// the queue latency a new job can expect.
	OldestWait time.Duration
}

// Stats counts jobs by state and measures the oldest runnable job's wait.
func (q *Queue) Stats(ctx context.Context) (Stats, error) {
	rows, err := q.st.Handle().DB.QueryContext(ctx,
		"SELECT state, COUNT(*) FROM river_job WHERE state IN ('available', 'scheduled', 'retryable', 'running') GROUP BY state")
	if err != nil {
		return Stats{}, fmt.Errorf("queue: stats: %w", err)
	}
	defer rows.Close()
	var s Stats
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return Stats{}, fmt.Errorf("queue: stats: %w", err)
		}
		switch rivertype.JobState(state) {
		case rivertype.JobStateAvailable:
			s.Available = n
		case rivertype.JobStateScheduled:
			s.Scheduled = n
		case rivertype.JobStateRetryable:
			s.Retryable = n
		case rivertype.JobStateRunning:
			s.Running = n
		}
	}
	if err := rows.Err(); err != nil {
		return Stats{}, fmt.Errorf("queue: stats: %w", err)
	}
	s.Backlog = s.Available + s.Retryable
	oldest, err := q.client.JobList(ctx, river.NewJobListParams().
		States(rivertype.JobStateAvailable).OrderBy(river.JobListOrderByScheduledAt, river.SortOrderAsc).First(1))
	if err != nil {
		return Stats{}, fmt.Errorf("queue: stats: %w", err)
	}
	if len(oldest.Jobs) == 1 {
		s.OldestWait = max(time.Since(oldest.Jobs[0].ScheduledAt), 0)
	}
	return s, nil
}

// JobInfo is a job's state as River records it.
type JobInfo struct {
	ID       int64
	Kind     string
	State    string // available, running, completed, cancelled, ...
	Attempt  int    // attempts consumed (snoozes do not count)
	Errors   []string
	Finished time.Time
}

// Job reports one job's state.
func (q *Queue) Job(ctx context.Context, id int64) (JobInfo, error) {
	row, err := q.client.JobGet(ctx, id)
	if err != nil {
		return JobInfo{}, fmt.Errorf("queue: job %d: %w", id, err)
	}
	info := JobInfo{ID: row.ID, Kind: row.Kind, State: string(row.State), Attempt: row.Attempt}
	for _, e := range row.Errors {
		info.Errors = append(info.Errors, e.Error)
	}
	if row.FinalizedAt != nil {
		info.Finished = *row.FinalizedAt
	}
	return info, nil
}
