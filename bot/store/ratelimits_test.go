package store_test

import (
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/bot/store/storetest"
)

func TestWritePauseSurvivesRestart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		clock := storetest.NewClock()
		first, err := store.Open(ctx, url, store.WithClock(clock.Now))
		check(t, err)
		until := clock.Now().Add(60 * time.Second)
		check(t, first.PauseWrites(ctx, 7, until))
		check(t, first.PauseWrites(ctx, 7, clock.Now().Add(10*time.Second))) // must not shorten
		check(t, first.Close())

		restarted := storetest.Open(t, url, store.WithClock(clock.Now))
		if got := must(restarted.WritesPausedUntil(ctx, 7)); !got.Equal(until) {
			t.Fatalf("after restart paused until %v, want %v", got, until)
		}
		if got := must(restarted.WritesPausedUntil(ctx, 8)); !got.IsZero() {
			t.Fatalf("installation 8 paused until %v, want not paused", got)
		}
		clock.Advance(61 * time.Second)
		if got := must(restarted.WritesPausedUntil(ctx, 7)); !got.IsZero() {
			t.Fatalf("pause still reported after it ended: %v", got)
		}
	})
}
