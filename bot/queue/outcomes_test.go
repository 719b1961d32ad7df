package queue_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/queue"
	"github.com/wardenbot/warden/bot/store/storetest"
)

// TestHandlerOutcomes drives one job per kind of handler result.
func TestHandlerOutcomes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st := openStore(t, url)
		var c calls
		var mu sync.Mutex
		callTimes := map[int64][]time.Time{}
		snoozeFor := 300 * time.Millisecond
		q := newQueue(t, st, handlers{scan: func(_ context.Context, j queue.ScanJob) error {
			n := c.add(j.HeadSHA)
			mu.Lock()
			callTimes[j.RepoID] = append(callTimes[j.RepoID], time.Now())
			mu.Unlock()
			switch {
			case j.HeadSHA == "flaky" && n <= 2:
				return errors.New("GitHub 502")
			case j.HeadSHA == "snooze" && n == 1:
				return queue.RetryAt(time.Now().Add(snoozeFor), errors.New("422 No commit found for SHA"))
			case j.HeadSHA == "uninstalled":
				return queue.Permanent(errors.New("404 installation not found"))
			}
			return nil
		}}, fastConfig())
		enq := must[queue.Enqueued](t)
		flaky := enq(q.EnqueueScan(ctx, scan(1, 1, "flaky")))
		snooze := enq(q.EnqueueScan(ctx, scan(2, 1, "snooze")))
		gone := enq(q.EnqueueScan(ctx, scan(3, 1, "uninstalled")))

		info := waitState(t, q, flaky.JobID, "completed")
		if info.Attempt != 3 || len(info.Errors) != 2 {
			t.Fatalf("flaky job: attempt %d, %d errors; want 3 and 2", info.Attempt, len(info.Errors))
		}
		info = waitState(t, q, snooze.JobID, "completed")
		if info.Attempt != 1 || len(info.Errors) != 0 {
			t.Fatalf("snoozed job: attempt %d, errors %v; want 1 attempt, no errors", info.Attempt, info.Errors)
		}
		mu.Lock()
		ts := callTimes[2]
		mu.Unlock()
		if len(ts) != 2 || ts[1].Sub(ts[0]) < snoozeFor-20*time.Millisecond {
			t.Fatalf("snoozed job ran at %v, want a second run ≥%s after the first", ts, snoozeFor)
		}
		waitState(t, q, gone.JobID, "cancelled")
		time.Sleep(200 * time.Millisecond)
		if n := c.get("uninstalled"); n != 1 {
			t.Fatalf("permanent failure ran %d times, want 1", n)
		}
	})
}

func TestRateLimitPausesTheInstallationAcrossJobs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st := openStore(t, url)
		var until time.Time // set by the first run: the limit starts when GitHub says so
		var c calls
		var mu sync.Mutex
		ran := map[string]time.Time{}
		limited := make(chan struct{})
		q := newQueue(t, st, handlers{scan: func(_ context.Context, j queue.ScanJob) error {
			n := c.add(j.HeadSHA)
			mu.Lock()
			ran[fmt.Sprint(j.HeadSHA, n)] = time.Now()
			mu.Unlock()
			if j.HeadSHA == "first" && n == 1 {
				defer close(limited)
				until = time.Now().Add(1500 * time.Millisecond).Truncate(time.Millisecond)
				return &queue.RateLimitedError{Until: until, Err: errors.New("secondary rate limit, Retry-After: 1.5")}
			}
			return nil
		}}, fastConfig())
		enq := must[queue.Enqueued](t)
		first := enq(q.EnqueueScan(ctx, scan(1, 1, "first")))
		<-limited // the handler set until before closing limited
		eventually(t, time.Until(until), "the pause to be stored", func() bool {
			got, err := st.WritesPausedUntil(ctx, 7)
			return err == nil && got.Equal(until)
		})
		second := enq(q.EnqueueScan(ctx, scan(2, 1, "second"))) // same installation, other repo

		waitState(t, q, first.JobID, "completed")
		waitState(t, q, second.JobID, "completed")
		mu.Lock()
		defer mu.Unlock()
		for _, k := range []string{"first2", "second1"} {
			if ran[k].Before(until) {
				t.Errorf("%s ran %s before the pause ended", k, until.Sub(ran[k]))
			}
		}
		if info := jobState(t, q, first.JobID); info.Attempt != 1 {
			t.Errorf("rate-limited job used %d attempts, want 1", info.Attempt)
		}
	})
}

func TestInactiveInstallationsCancelJobs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st := openStore(t, url)
		var c calls
		running := make(chan struct{}, 1)
		q := newQueue(t, st, handlers{scan: func(ctx context.Context, j queue.ScanJob) error {
			c.add(fmt.Sprint(j.InstallationID))
			if j.InstallationID == 9 {
				running <- struct{}{}
				<-ctx.Done()
				return ctx.Err()
			}
			return nil
		}}, fastConfig())
		enq := must[queue.Enqueued](t)

		if err := st.SetInstallationSuspended(ctx, 8, true); err != nil {
			t.Fatal(err)
		}
		suspended := scan(1, 1, "h")
		suspended.InstallationID = 8
		j := enq(q.EnqueueScan(ctx, suspended))
		waitState(t, q, j.JobID, "cancelled")
		if n := c.get("8"); n != 0 {
			t.Fatalf("handler ran %d times for a suspended installation", n)
		}

		busy := scan(2, 1, "h")
		busy.InstallationID = 9
		k := enq(q.EnqueueScan(ctx, busy))
		<-running
		if err := st.DeleteInstallation(ctx, 9); err != nil {
			t.Fatal(err)
		}
		if n := must[int](t)(q.CancelInstallation(ctx, 9)); n != 1 {
			t.Fatalf("CancelInstallation cancelled %d jobs, want 1", n)
		}
		waitState(t, q, k.JobID, "cancelled")
	})
}
