package store_test

import (
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/store/storetest"
)

func TestRepoLockIsExclusiveAndExpires(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st, clock := openClocked(t, url)
		lock := func(holder string, want bool) {
			t.Helper()
			if got := must(st.TryLockRepo(ctx, repoA.ID, holder, time.Minute)); got != want {
				t.Fatalf("TryLockRepo(%s) = %v, want %v", holder, got, want)
			}
		}
		lock("job-1", true)
		lock("job-2", false)
		lock("job-1", true) // the holder renews (or a rescued job resumes)
		if !must(st.TryLockRepo(ctx, repoB.ID, "job-2", time.Minute)) {
			t.Fatal("lock on repo A blocked repo B")
		}
		check(t, st.UnlockRepo(ctx, repoA.ID, "job-2")) // not the holder: no effect
		lock("job-3", false)

		clock.Advance(61 * time.Second) // job-1 crashed and never unlocked
		lock("job-3", true)
		check(t, st.UnlockRepo(ctx, repoA.ID, "job-3"))
		lock("job-4", true)
	})
}
