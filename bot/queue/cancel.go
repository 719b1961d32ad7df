package queue

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"
)

// CancelInstallation cancels every unfinished job of an installation
// (installation deleted or suspended). Running jobs have their contexts
// cancelled. It returns how many jobs it cancelled.
func (q *Queue) CancelInstallation(ctx context.Context, installationID int64) (int, error) {
	return q.cancelTagged(ctx, installationTag(installationID))
}

// CancelRepository cancels every unfinished job of a repository (removed
// from the installation).
func (q *Queue) CancelRepository(ctx context.Context, repoID int64) (int, error) {
	return q.cancelTagged(ctx, repoTag(repoID))
}

func (q *Queue) cancelTagged(ctx context.Context, tag string) (int, error) {
	n := 0
	params := river.NewJobListParams().TagsAll(tag).States(liveStates...).First(500)
	for {
		list, err := q.client.JobList(ctx, params)
		if err != nil {
			return n, fmt.Errorf("queue: list jobs tagged %s: %w", tag, err)
		}
		for _, row := range list.Jobs {
			if _, err := q.client.JobCancel(ctx, row.ID); err != nil {
				return n, fmt.Errorf("queue: cancel job %d: %w", row.ID, err)
			}
			n++
		}
		if len(list.Jobs) < 500 {
			return n, nil
		}
		params = params.After(list.LastCursor)
	}
}
