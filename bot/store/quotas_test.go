package store_test

import (
	"sync"
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/bot/store/storetest"
)

func TestQuotaWindowsCountAndReset(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st, clock := openClocked(t, url)
		start := clock.Now()
		for i := 1; i <= 4; i++ {
			ok, reset, err := st.TakeQuota(ctx, "rescan:sender", 3, time.Hour)
			check(t, err)
			if ok != (i <= 3) || !reset.Equal(start.Add(time.Hour)) {
				t.Fatalf("use %d: ok=%v reset=%v", i, ok, reset)
			}
		}
		if ok := must3(st.TakeQuota(ctx, "rescan:other", 3, time.Hour)); !ok {
			t.Fatal("keys share a window")
		}
		clock.Advance(59 * time.Minute)
		if ok := must3(st.TakeQuota(ctx, "rescan:sender", 3, time.Hour)); ok {
			t.Fatal("the window ended early")
		}
		clock.Advance(time.Minute)
		ok, reset, err := st.TakeQuota(ctx, "rescan:sender", 3, time.Hour)
		check(t, err)
		if !ok || !reset.Equal(clock.Now().Add(time.Hour)) {
			t.Fatalf("a new window: ok=%v reset=%v", ok, reset)
		}
		_, _, err = st.TakeQuota(ctx, "", 1, time.Hour)
		wantErr(t, err, store.ErrInvalid)
	})
}

// TestQuotaIsSharedByReplicas takes one quota from two stores on the same
// database at once: together they get exactly the limit.
func TestQuotaIsSharedByReplicas(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		a, b := storetest.Open(t, url), storetest.Open(t, url)
		var mu sync.Mutex
		granted := 0
		var wg sync.WaitGroup
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func(st store.Store) {
				defer wg.Done()
				ok, _, err := st.TakeQuota(ctx, "pr:101:4:rescan", 5, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if ok {
					mu.Lock()
					granted++
					mu.Unlock()
				}
			}(map[bool]store.Store{true: a, false: b}[i%2 == 0])
		}
		wg.Wait()
		if granted != 5 {
			t.Fatalf("%d uses granted, want 5", granted)
		}
	})
}

func TestPendingRescanIsOnePerPullRequest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st, _ := openClocked(t, url)
		if head, job := must2(st.PendingRescan(ctx, repoA.ID, 4)); head != "" || job != 0 {
			t.Fatalf("pending = %s %d, want none", head, job)
		}
		check(t, st.SetPendingRescan(ctx, repoA.ID, 4, "h1", 11))
		check(t, st.SetPendingRescan(ctx, repoA.ID, 4, "h2", 12))
		check(t, st.SetPendingRescan(ctx, repoA.ID, 5, "x", 13))
		if head, job := must2(st.PendingRescan(ctx, repoA.ID, 4)); head != "h2" || job != 12 {
			t.Fatalf("pending = %s %d, want h2 12", head, job)
		}
	})
}

func must2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		panic(err)
	}
	return a, b
}

func must3(ok bool, _ time.Time, err error) bool {
	if err != nil {
		panic(err)
	}
	return ok
}
