package queue_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/queue"
	"github.com/wardenbot/warden/bot/store/storetest"
)

// repoGauge records how many scans of each repository run at once.
type repoGauge struct {
	mu      sync.Mutex
	running map[int64]int
	peak    map[int64]int
	runs    map[string]int
}

func newRepoGauge() *repoGauge {
	return &repoGauge{running: map[int64]int{}, peak: map[int64]int{}, runs: map[string]int{}}
}

func (g *repoGauge) scan(hold time.Duration) func(context.Context, queue.ScanJob) error {
	return func(ctx context.Context, j queue.ScanJob) error {
		g.mu.Lock()
		g.running[j.RepoID]++
		g.peak[j.RepoID] = max(g.peak[j.RepoID], g.running[j.RepoID])
		g.runs[fmt.Sprintf("%d#%d@%s", j.RepoID, j.PR, j.HeadSHA)]++
		g.mu.Unlock()
		defer func() {
			g.mu.Lock()
			g.running[j.RepoID]--
			g.mu.Unlock()
		}()
		select {
		case <-time.After(hold):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (g *repoGauge) check(t *testing.T, wantRuns int) {
	t.Helper()
	g.mu.Lock()
	defer g.mu.Unlock()
	for repo, peak := range g.peak {
		if peak != 1 {
			t.Errorf("repository %d had %d scans running at once, want 1", repo, peak)
		}
	}
	for key, n := range g.runs {
		if n != 1 {
			t.Errorf("%s scanned %d times, want exactly once", key, n)
		}
	}
	if len(g.runs) != wantRuns {
		t.Errorf("%d distinct scans ran, want %d", len(g.runs), wantRuns)
	}
}

func enqueueGrid(t *testing.T, q *queue.Queue, repos, prs int) []int64 {
	t.Helper()
	var ids []int64
	for r := 1; r <= repos; r++ {
		for pr := 1; pr <= prs; pr++ {
			e, err := q.EnqueueScan(ctx, scan(int64(r), pr, "h"))
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, e.JobID)
		}
	}
	return ids
}

func TestOneScanPerRepositoryAtATime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		g := newRepoGauge()
		q := newQueue(t, openStore(t, url), handlers{scan: g.scan(100 * time.Millisecond)}, fastConfig())
		ids := enqueueGrid(t, q, 2, 4)
		for _, id := range ids {
			waitState(t, q, id, "completed")
		}
		g.check(t, 8)
	})
}

// Two `warden serve` processes on one PostgreSQL: every job runs exactly
// once, and a repository still has one scan at a time across both.
func TestTwoProcessesShareOnePostgres(t *testing.T) {
	url := storetest.PostgresURL(t)
	g := newRepoGauge()
	cfg := fastConfig()
	cfg.Workers = 3
	a := newQueue(t, openStore(t, url), handlers{scan: g.scan(50 * time.Millisecond)}, cfg)
	newQueue(t, openStore(t, url), handlers{scan: g.scan(50 * time.Millisecond)}, cfg)
	ids := enqueueGrid(t, a, 5, 6)
	for _, id := range ids {
		waitState(t, a, id, "completed")
	}
	g.check(t, 30)
}
