package store_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/bot/store/storetest"
)

func TestSeenDeliveryDedupes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st, _ := openClocked(t, url)
		if !must(st.SeenDelivery(ctx, "d-1")) {
			t.Fatal("first arrival of d-1 reported as seen")
		}
		if must(st.SeenDelivery(ctx, "d-1")) {
			t.Fatal("redelivery of d-1 reported as first")
		}
		if !must(st.SeenDelivery(ctx, "d-2")) {
			t.Fatal("d-2 reported as seen")
		}
	})
}

// TestSeenConcurrentHasOneWinner: sixteen replicas receive the same
// delivery id, or the same body under fresh ids, at once; exactly one
// treats it as new.
func TestSeenConcurrentHasOneWinner(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st, _ := openClocked(t, url)
		for name, seen := range map[string]func() (bool, error){
			"delivery id": func() (bool, error) { return st.SeenDelivery(ctx, "same") },
			"body digest": func() (bool, error) { return st.SeenDeliveryBody(ctx, "same-body") },
		} {
			var firsts atomic.Int32
			var wg sync.WaitGroup
			for range 16 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					first, err := seen()
					if err != nil {
						t.Error(err)
					}
					if first {
						firsts.Add(1)
					}
				}()
			}
			wg.Wait()
			if got := firsts.Load(); got != 1 {
				t.Errorf("%s: %d callers saw it first, want 1", name, got)
			}
		}
	})
}

func TestPruneDeliveriesKeepsRetentionWindow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st, clock := openClocked(t, url)
		must(st.SeenDelivery(ctx, "old"))
		clock.Advance(29 * 24 * time.Hour)
		must(st.SeenDelivery(ctx, "recent"))
		clock.Advance(2 * 24 * time.Hour) // "old" is now 31 days old, "recent" 2

		n := must(st.PruneDeliveries(ctx, clock.Now().Add(-store.DeliveryRetention)))
		if n != 1 {
			t.Fatalf("pruned %d deliveries, want 1", n)
		}
		if must(st.SeenDelivery(ctx, "recent")) {
			t.Fatal("delivery within 30 days was forgotten")
		}
		if !must(st.SeenDelivery(ctx, "old")) {
			t.Fatal("delivery older than 30 days was not pruned")
		}
	})
}

func TestForgottenDeliveryIsProcessedAgain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st, _ := openClocked(t, url)
		must(st.SeenDelivery(ctx, "d-503"))
		check(t, st.ForgetDelivery(ctx, "d-503")) // enqueue failed: answer 503
		if !must(st.SeenDelivery(ctx, "d-503")) {
			t.Fatal("redelivery after a failed enqueue was treated as a duplicate")
		}
	})
}

// A body replayed under a fresh delivery id is known by its digest, for
// as long as delivery ids are kept.
func TestReplayedBodyDigestIsDeduped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st, clock := openClocked(t, url)
		if !must(st.SeenDeliveryBody(ctx, "digest-a")) {
			t.Fatal("first body reported as seen")
		}
		if must(st.SeenDeliveryBody(ctx, "digest-a")) {
			t.Fatal("replayed body reported as first")
		}
		if !must(st.SeenDeliveryBody(ctx, "digest-b")) {
			t.Fatal("another body reported as seen")
		}
		check(t, st.ForgetDeliveryBody(ctx, "digest-b")) // its enqueue failed
		if !must(st.SeenDeliveryBody(ctx, "digest-b")) {
			t.Fatal("a forgotten body is still a duplicate")
		}
		clock.Advance(29 * 24 * time.Hour)
		must(st.PruneDeliveries(ctx, clock.Now().Add(-store.DeliveryRetention)))
		if must(st.SeenDeliveryBody(ctx, "digest-a")) {
			t.Fatal("a body replayed after 29 days was accepted")
		}
		clock.Advance(2 * 24 * time.Hour)
		must(st.PruneDeliveries(ctx, clock.Now().Add(-store.DeliveryRetention)))
		if !must(st.SeenDeliveryBody(ctx, "digest-a")) {
			t.Fatal("a body digest older than the retention was not pruned")
		}
	})
}
