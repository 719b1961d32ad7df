package server

import (
	"context"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/bot/store/storetest"
)

// The deliveries table is pruned on a schedule: ids and body digests past
// the 30-day retention go, younger ones stay duplicates.
func TestDeliveriesPrunedOnSchedule(t *testing.T) {
	clock := storetest.NewClock()
	st := storetest.Open(t, storetest.SQLiteURL(t), store.WithClock(clock.Now))
	ctx := context.Background()
	st.SeenDelivery(ctx, "old")
	st.SeenDeliveryBody(ctx, "old-body")
	clock.Advance(29 * 24 * time.Hour)
	st.SeenDelivery(ctx, "recent")
	st.SeenDeliveryBody(ctx, "recent-body")
	clock.Advance(2 * 24 * time.Hour) // "old" is 31 days old, "recent" 2

	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		pruneDeliveries(runCtx, st, 10*time.Millisecond, clock.Now, zerolog.Nop())
		close(done)
	}()
	time.Sleep(100 * time.Millisecond) // several periods
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the pruner did not stop with its context")
	}
	for _, tc := range []struct {
		seen      func() (bool, error)
		wantFirst bool
		what      string
	}{
		{func() (bool, error) { return st.SeenDelivery(ctx, "old") }, true, "a 31-day-old id"},
		{func() (bool, error) { return st.SeenDeliveryBody(ctx, "old-body") }, true, "a 31-day-old body"},
		{func() (bool, error) { return st.SeenDelivery(ctx, "recent") }, false, "a 2-day-old id"},
		{func() (bool, error) { return st.SeenDeliveryBody(ctx, "recent-body") }, false, "a 2-day-old body"},
	} {
		first, err := tc.seen()
		if err != nil {
			t.Fatal(err)
		}
		if first != tc.wantFirst {
			t.Errorf("%s: pruned=%v, want %v", tc.what, first, tc.wantFirst)
		}
	}
}
