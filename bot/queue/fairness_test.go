package queue_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/wardenbot/warden/bot/queue"
	"github.com/wardenbot/warden/bot/store/storetest"
)

func scanOf(installation, repoID int64, pr int) queue.ScanJob {
	j := scan(repoID, pr, "h")
	j.InstallationID = installation
	return j
}

// TestOneInstallationsBacklogDoesNotRefuseAnother: an organisation that
// fills its share of the queue gets ErrBacklogFull (503) for its own
// deliveries; another organisation's delivery is still accepted.
func TestOneInstallationsBacklogDoesNotRefuseAnother(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		q := newQueue(t, openStore(t, url), handlers{}, queue.Config{MaxInstallationBacklog: 5})
		for pr := 1; pr <= 5; pr++ {
			must[queue.Enqueued](t)(q.EnqueueScan(ctx, scanOf(1, 100, pr)))
		}
		if _, err := q.EnqueueScan(ctx, scanOf(1, 100, 6)); !errors.Is(err, queue.ErrBacklogFull) {
			t.Fatalf("the flooding installation's sixth job: %v, want ErrBacklogFull", err)
		}
		if _, err := q.EnqueueScan(ctx, scanOf(2, 200, 1)); err != nil {
			t.Fatalf("another installation was refused: %v", err)
		}
	})
}

// TestSnoozedJobsAreNotBacklog: jobs that wait on purpose (a busy
// repository, a rate limit) do not fill the backlog.
func TestSnoozedJobsAreNotBacklog(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		cfg := fastConfig()
		cfg.Workers, cfg.MaxInstallationBacklog = 1, 2
		q := newQueue(t, openStore(t, url), handlers{scan: func(context.Context, queue.ScanJob) error {
			return river.JobSnooze(time.Hour)
		}}, cfg)
		for pr := 1; pr <= 2; pr++ {
			id := must[queue.Enqueued](t)(q.EnqueueScan(ctx, scanOf(1, 100, pr))).JobID
			waitState(t, q, id, "scheduled")
		}
		if _, err := q.EnqueueScan(ctx, scanOf(1, 100, 3)); err != nil {
			t.Fatalf("two snoozed jobs filled a backlog of two: %v", err)
		}
	})
}

// TestAFloodRunsBehindAQuietInstallation: one installation queues a flood
// of scans over many repositories and takes both workers while nobody else
// waits; a quiet installation's scan queued after it gets the next free
// worker: the flood keeps its share (one of two) once someone else waits.
func TestAFloodRunsBehindAQuietInstallation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		var mu sync.Mutex
		var order []string
		running := map[int64]int{}
		cfg := fastConfig()
		cfg.Workers = 2
		release := make(chan struct{})
		q := newQueue(t, openStore(t, url), handlers{scan: func(_ context.Context, j queue.ScanJob) error {
			<-release
			mu.Lock()
			running[j.InstallationID]++
			order = append(order, fmt.Sprintf("%d/%d", j.InstallationID, j.RepoID))
			mu.Unlock()
			time.Sleep(30 * time.Millisecond)
			mu.Lock()
			running[j.InstallationID]--
			mu.Unlock()
			return nil
		}}, cfg)
		for repo := int64(1); repo <= 30; repo++ {
			must[queue.Enqueued](t)(q.EnqueueScan(ctx, scanOf(1, 1000+repo, 1)))
		}
		quiet := must[queue.Enqueued](t)(q.EnqueueScan(ctx, scanOf(2, 2000, 1)))
		close(release)
		waitState(t, q, quiet.JobID, "completed")
		mu.Lock()
		defer mu.Unlock()
		pos := -1
		for i, o := range order {
			if o == "2/2000" {
				pos = i
			}
		}
		// Two flood jobs held the workers when it arrived; as they finish,
		// the flood keeps one worker and the quiet job gets the other.
		if pos < 0 || pos > 3 {
			t.Errorf("the quiet installation's job ran %dth of %d: %v", pos+1, len(order), order)
		}
	})
}
