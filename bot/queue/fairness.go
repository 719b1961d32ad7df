package queue

import (
	"context"
	"fmt"

	"github.com/wardenbot/warden/bot/store"
)

// One organisation's burst of work must not starve the others. Three
// mechanisms keep the queue fair between installations:
//   - admission: an installation with MaxInstallationBacklog jobs waiting
//     gets ErrBacklogFull (the webhook answers 503) while others are still
//     accepted;
//   - priority: an installation's jobs beyond the first few waiting ones go
//     in at a lower River priority, so a quiet installation's job is
//     fetched before the rest of a flood;
//   - concurrency: while another installation's job waits, an installation
//     runs at most MaxRunningPerInstallation jobs at once; a job over it is
//     snoozed, which neither consumes an attempt nor counts as waiting.

// Waiting jobs of one installation at which its new jobs drop a priority.
const (
	busyInstallation    = 10
	floodedInstallation = 50
)

// waiting counts the jobs that wait to run — available now, or waiting for
// a retry — in all, and of one installation. A snoozed job (scheduled)
// waits on purpose and is not counted.
func (q *Queue) waiting(ctx context.Context, installationID int64) (total, mine int, err error) {
	match := "json_extract(args, '$.installation_id') = ?"
	if q.st.Handle().Dialect == store.Postgres {
		match = "(args->>'installation_id')::bigint = $1"
	}
	err = q.st.Handle().DB.QueryRowContext(ctx,
		"SELECT COUNT(*), COALESCE(SUM(CASE WHEN "+match+" THEN 1 ELSE 0 END), 0) FROM river_job WHERE state IN ('available', 'retryable')",
		installationID).Scan(&total, &mine)
	if err != nil {
		return 0, 0, fmt.Errorf("count waiting jobs: %w", err)
	}
	return total, mine, nil
}

// priorityFor is the River priority of a new job of an installation that
// already has mine jobs waiting (1 runs first).
func priorityFor(mine int) int {
	switch {
	case mine >= floodedInstallation:
		return 3
	case mine >= busyInstallation:
		return 2
	}
	return 1
}

// overShare reports whether the installation already holds its share of
// the workers (MaxRunningPerInstallation running jobs besides jobID) while
// another installation's job waits. Without contention there is no share
// to keep: a lone installation may use every worker.
func (q *Queue) overShare(ctx context.Context, installationID, jobID int64) (bool, error) {
	inst, p1, p2, p3 := "json_extract(args, '$.installation_id')", "?", "?", "?"
	if q.st.Handle().Dialect == store.Postgres {
		inst, p1, p2, p3 = "(args->>'installation_id')::bigint", "$1", "$2", "$3"
	}
	var running, othersWaiting int
	err := q.st.Handle().DB.QueryRowContext(ctx,
		"SELECT COALESCE(SUM(CASE WHEN state = 'running' AND "+inst+" = "+p1+" AND id <> "+p2+" THEN 1 ELSE 0 END), 0), "+
			"COALESCE(SUM(CASE WHEN state = 'available' AND "+inst+" <> "+p3+" THEN 1 ELSE 0 END), 0) "+
			"FROM river_job WHERE state IN ('running', 'available')",
		installationID, jobID, installationID).Scan(&running, &othersWaiting)
	if err != nil {
		return false, fmt.Errorf("count running jobs: %w", err)
	}
	return running >= q.cfg.MaxRunningPerInstallation && othersWaiting > 0, nil
}
