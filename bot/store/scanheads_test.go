package store_test

import (
	"testing"

	"github.com/wardenbot/warden/bot/store/storetest"
)

func TestScanHeadsOrderByJobID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st, _ := openClocked(t, url)
		superseded := func(sha string, want bool) {
			t.Helper()
			if got := must(st.Superseded(ctx, repoA.ID, 5, sha)); got != want {
				t.Fatalf("Superseded(%s) = %v, want %v", sha, got, want)
			}
		}
		superseded("A", false) // nothing known: never block a scan
		check(t, st.AdvanceHead(ctx, repoA.ID, 5, "A", 10))
		superseded("A", false)
		check(t, st.AdvanceHead(ctx, repoA.ID, 5, "B", 12))
		superseded("A", true)
		superseded("B", false)
		check(t, st.AdvanceHead(ctx, repoA.ID, 5, "A", 11)) // a late, older job
		superseded("B", false)
		check(t, st.AdvanceHead(ctx, repoA.ID, 5, "B", 12)) // idempotent
		superseded("B", false)
		if must(st.Superseded(ctx, repoA.ID, 6, "A")) {
			t.Fatal("PR 6 affected by PR 5's head")
		}
	})
}
