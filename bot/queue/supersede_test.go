package queue_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/queue"
	"github.com/wardenbot/warden/bot/store/storetest"
)

func TestNewHeadCancelsRunningScanOfOldHead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st := openStore(t, url)
		started := make(chan string, 4)
		stoppedA := make(chan error, 1)
		q := newQueue(t, st, handlers{scan: func(ctx context.Context, j queue.ScanJob) error {
			started <- j.HeadSHA
			if j.HeadSHA == "A" {
				<-ctx.Done() // a long scan, interrupted
				stoppedA <- context.Cause(ctx)
				return ctx.Err()
			}
			return nil
		}}, fastConfig())
		enq := must[queue.Enqueued](t)

		a := enq(q.EnqueueScan(ctx, scan(1, 3, "A")))
		if got := <-started; got != "A" {
			t.Fatalf("started %s, want A", got)
		}
		b := enq(q.EnqueueScan(ctx, scan(1, 3, "B")))
		if !slices.Equal(b.Cancelled, []int64{a.JobID}) {
			t.Fatalf("enqueueing head B cancelled %v, want [%d]", b.Cancelled, a.JobID)
		}
		select {
		case <-stoppedA:
		case <-time.After(15 * time.Second):
			t.Fatal("scan of A kept running after B arrived")
		}
		waitState(t, q, a.JobID, "cancelled")
		waitState(t, q, b.JobID, "completed")
		if gone := must[bool](t)(q.Superseded(ctx, 1, 3, "A")); !gone {
			t.Fatal("Superseded(A) = false after B")
		}
		if gone := must[bool](t)(q.Superseded(ctx, 1, 3, "B")); gone {
			t.Fatal("Superseded(B) = true")
		}
	})
}

func TestNewHeadCancelsQueuedScanBeforeItRuns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st := openStore(t, url)
		ingress := newQueue(t, st, handlers{}, queue.Config{}) // webhook side: insert only
		enq := must[queue.Enqueued](t)
		a := enq(ingress.EnqueueScan(ctx, scan(1, 4, "A")))
		other := enq(ingress.EnqueueScan(ctx, scan(1, 5, "A"))) // another PR: untouched
		b := enq(ingress.EnqueueScan(ctx, scan(1, 4, "B")))
		if !slices.Equal(b.Cancelled, []int64{a.JobID}) {
			t.Fatalf("cancelled %v, want [%d]", b.Cancelled, a.JobID)
		}
		if s := jobState(t, ingress, a.JobID).State; s != "cancelled" {
			t.Fatalf("queued scan of A is %s, want cancelled", s)
		}
		if s := jobState(t, ingress, other.JobID).State; s != "available" {
			t.Fatalf("scan of PR 5 is %s, want available", s)
		}
		// Workers that start later run only B for PR 4.
		var c calls
		newQueue(t, st, handlers{scan: func(_ context.Context, j queue.ScanJob) error {
			c.add(j.HeadSHA)
			return nil
		}}, fastConfig())
		waitState(t, ingress, b.JobID, "completed")
		waitState(t, ingress, other.JobID, "completed")
		if c.get("B") != 1 || c.get("A") != 1 {
			t.Fatalf("scans run: B=%d A=%d (PR 5), want 1 and 1", c.get("B"), c.get("A"))
		}
	})
}
