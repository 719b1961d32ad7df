package queue_test

import (
	"errors"
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/queue"
	"github.com/wardenbot/warden/bot/store/storetest"
)

func TestBacklogIsBoundedAndMeasured(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		q := newQueue(t, openStore(t, url), handlers{}, queue.Config{MaxBacklog: 3})
		for pr := 1; pr <= 3; pr++ {
			if _, err := q.EnqueueScan(ctx, scan(1, pr, "h")); err != nil {
				t.Fatalf("enqueue %d: %v", pr, err)
			}
		}
		_, err := q.EnqueueScan(ctx, scan(1, 4, "h"))
		if !errors.Is(err, queue.ErrBacklogFull) {
			t.Fatalf("fourth enqueue: %v, want ErrBacklogFull", err)
		}
		time.Sleep(20 * time.Millisecond)
		s := must[queue.Stats](t)(q.Stats(ctx))
		if s.Available != 3 || s.Backlog != 3 || s.Running != 0 || s.OldestWait < 20*time.Millisecond {
			t.Fatalf("stats = %+v, want 3 available, waiting ≥20ms", s)
		}
	})
}
