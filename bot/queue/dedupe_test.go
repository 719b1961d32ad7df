package queue_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/wardenbot/warden/bot/queue"
	"github.com/wardenbot/warden/bot/store/storetest"
)

func TestOneScanPerHead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st := openStore(t, url)
		var c calls
		q := newQueue(t, st, handlers{scan: func(_ context.Context, j queue.ScanJob) error {
			c.add(fmt.Sprintf("%d/%d/%s/%s", j.RepoID, j.PR, j.HeadSHA, j.Rerun))
			return nil
		}}, fastConfig())

		enq := must[queue.Enqueued](t)
		events := []string{"pull_request.synchronize", "pull_request.ready_for_review", "check_suite.requested"}
		var first queue.Enqueued
		for i, ev := range events {
			j := scan(1, 10, "h1")
			j.Trigger, j.DeliveryID = ev, fmt.Sprint("delivery-", i)
			got := enq(q.EnqueueScan(ctx, j))
			if i == 0 {
				first = got
				if got.Duplicate {
					t.Fatal("first event reported as duplicate")
				}
			} else if !got.Duplicate || got.JobID != first.JobID {
				t.Fatalf("%s: %+v, want duplicate of job %d", ev, got, first.JobID)
			}
		}
		waitState(t, q, first.JobID, "completed")

		// Once the job finished, a later event is a job of its own: the
		// review decides whether the published verdict is still current,
		// so a finished job can never swallow an event that needs one.
		late := enq(q.EnqueueScan(ctx, scan(1, 10, "h1")))
		if late.Duplicate {
			t.Fatal("a finished job swallowed a later event for its head")
		}
		waitState(t, q, late.JobID, "completed")
		rerun := scan(1, 10, "h1")
		rerun.Rerun = "comment-99"
		again := enq(q.EnqueueScan(ctx, rerun))
		if again.Duplicate {
			t.Fatal("/warden rescan of a scanned head was deduplicated")
		}
		waitState(t, q, again.JobID, "completed")
		if n := c.get("1/10/h1/"); n != 2 {
			t.Fatalf("head h1 handled %d times for events, want 2 (while waiting: one; after: one more)", n)
		}
		if n := c.get("1/10/h1/comment-99"); n != 1 {
			t.Fatalf("rescan ran %d times, want 1", n)
		}
	})
}

func TestCommandDedupeKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		q := newQueue(t, openStore(t, url), handlers{}, queue.Config{})
		enq := must[queue.Enqueued](t)
		a := enq(q.EnqueueCommand(ctx, queue.CommandJob{InstallationID: 7, RepoID: 1, PR: 2, CommentID: 5, DedupeKey: "comment-5"}))
		b := enq(q.EnqueueCommand(ctx, queue.CommandJob{InstallationID: 7, RepoID: 1, PR: 2, CommentID: 5, DedupeKey: "comment-5"}))
		if a.Duplicate || !b.Duplicate || a.JobID != b.JobID {
			t.Fatalf("same dedupe key: %+v then %+v", a, b)
		}
		c := enq(q.EnqueueCommand(ctx, queue.CommandJob{InstallationID: 7, RepoID: 1, PR: 2, CommentID: 6}))
		d := enq(q.EnqueueCommand(ctx, queue.CommandJob{InstallationID: 7, RepoID: 1, PR: 2, CommentID: 6}))
		if c.Duplicate || d.Duplicate {
			t.Fatal("commands without a dedupe key were deduplicated")
		}
	})
}
