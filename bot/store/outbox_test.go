package store_test

import (
	"encoding/json"
	"testing"

	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/bot/store/storetest"
)

func TestOutboxLetsARetriedJobReconcile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st, _ := openClocked(t, url)
		intent := store.Intent{Key: "scan/42/review", InstallationID: 7, RepoID: repoA.ID, PR: 3, HeadSHA: "h1",
			Kind: "review", Request: json.RawMessage(`{"fingerprints":["W-a"]}`)}

		got, created, err := st.RecordIntent(ctx, intent)
		check(t, err)
		if !created || got.State != store.IntentPending {
			t.Fatalf("first record: created=%v state=%s", created, got.State)
		}
		// The job crashes here, after GitHub may have accepted the review.
		again, created, err := st.RecordIntent(ctx, intent)
		check(t, err)
		if created || again.State != store.IntentPending || string(again.Request) != `{"fingerprints":["W-a"]}` {
			t.Fatalf("retry sees created=%v %+v; want the pending intent to reconcile", created, again)
		}
		if pend := must(st.PendingIntents(ctx, repoA.ID)); len(pend) != 1 || pend[0].Key != intent.Key {
			t.Fatalf("pending = %+v", pend)
		}

		check(t, st.CompleteIntent(ctx, intent.Key, map[string]int64{"review_id": 77}))
		done, created, err := st.RecordIntent(ctx, intent)
		check(t, err)
		if created || done.State != store.IntentDone || string(done.Result) != `{"review_id":77}` {
			t.Fatalf("after completion: created=%v %+v", created, done)
		}
		if pend := must(st.PendingIntents(ctx, repoA.ID)); len(pend) != 0 {
			t.Fatalf("completed intent still pending: %+v", pend)
		}

		_, _, err = st.RecordIntent(ctx, store.Intent{Key: "scan/43/check-run", RepoID: repoA.ID, Kind: "check_run"})
		check(t, err)
		check(t, st.AbandonIntent(ctx, "scan/43/check-run"))
		if in := must(st.Intent(ctx, "scan/43/check-run")); in.State != store.IntentAbandoned {
			t.Fatalf("abandoned intent state = %s", in.State)
		}
		wantErr(t, st.CompleteIntent(ctx, "no-such-key", nil), store.ErrNotFound)
	})
}
