package queue_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/queue"
	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/bot/store/storetest"
)

var ctx = context.Background()

// handlers adapts functions to the queue's handler interfaces; nil
// functions succeed.
type handlers struct {
	scan      func(context.Context, queue.ScanJob) error
	command   func(context.Context, queue.CommandJob) error
	reconcile func(context.Context, queue.ReconcileJob) error
}

func (h handlers) HandleScan(ctx context.Context, j queue.ScanJob) error {
	if h.scan == nil {
		return nil
	}
	return h.scan(ctx, j)
}

func (h handlers) HandleCommand(ctx context.Context, j queue.CommandJob) error {
	if h.command == nil {
		return nil
	}
	return h.command(ctx, j)
}

func (h handlers) HandleReconcile(ctx context.Context, j queue.ReconcileJob) error {
	if h.reconcile == nil {
		return nil
	}
	return h.reconcile(ctx, j)
}

func (h handlers) all() queue.Handlers {
	return queue.Handlers{Scan: h, Command: h, Reconcile: h}
}

// fastConfig keeps tests quick: short polls, retries and lock waits.
func fastConfig() queue.Config {
	return queue.Config{
		Workers:       4,
		PollInterval:  50 * time.Millisecond,
		RetryBase:     50 * time.Millisecond,
		RetryCap:      time.Second,
		RepoBusyRetry: 100 * time.Millisecond,
		Logger:        slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

// newQueue builds a queue on st and stops it when the test ends (before
// the store closes). It is started unless cfg.Workers is 0.
func newQueue(t *testing.T, st store.Store, h handlers, cfg queue.Config) *queue.Queue {
	t.Helper()
	q, err := queue.New(ctx, st, h.all(), cfg)
	if err != nil {
		t.Fatalf("queue.New: %v", err)
	}
	if cfg.Workers > 0 {
		if err := q.Start(ctx); err != nil {
			t.Fatalf("Start: %v", err)
		}
		t.Cleanup(func() {
			stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			if err := q.Stop(stopCtx); err != nil {
				t.Errorf("Stop: %v", err)
			}
		})
	}
	return q
}

// eventually polls cond until it holds or the timeout passes.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func jobState(t *testing.T, q *queue.Queue, id int64) queue.JobInfo {
	t.Helper()
	info, err := q.Job(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func waitState(t *testing.T, q *queue.Queue, id int64, state string) queue.JobInfo {
	t.Helper()
	var info queue.JobInfo
	eventually(t, 20*time.Second, "job to be "+state, func() bool {
		info = jobState(t, q, id)
		return info.State == state
	})
	return info
}

// calls counts handler invocations by key.
type calls struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *calls) add(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[key]++
	return c.n[key]
}

func (c *calls) get(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[key]
}

func scan(repoID int64, pr int, sha string) queue.ScanJob {
	return queue.ScanJob{InstallationID: 7, Owner: "acme", Repo: "api", RepoID: repoID, PR: pr, HeadSHA: sha, BaseRef: "main"}
}

func openStore(t *testing.T, url string) store.Store {
	return storetest.Open(t, url)
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
