package store_test

import (
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/bot/store/storetest"
)

func TestScanLifecycleIsRecordedAndAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st, clock := openClocked(t, url)
		started := clock.Now()
		id := must(st.StartScan(ctx, store.Scan{
			InstallationID: 7, Repo: repoA, PR: 12, BaseSHA: "base1", HeadSHA: "head1",
			Trigger: store.Trigger{Event: "pull_request.synchronize", DeliveryID: "d-9", Actor: "alice"},
			JobID:   55, ConfigDigest: "sha256:abc", ConfigSource: ".github/warden.yml@base1",
		}))
		check(t, st.SetCheckRun(ctx, id, 9001))
		clock.Advance(3 * time.Second)
		counts := store.ScanCounts{New: store.SeverityCounts{High: 2}, PreExisting: store.SeverityCounts{Low: 5}, Ignored: store.SeverityCounts{Medium: 1}}
		check(t, st.FinishScan(ctx, id, store.ScanResult{Status: store.ScanCompleted, Conclusion: "failure", Counts: counts}))

		got := must(st.Scan(ctx, id))
		want := store.Scan{
			ID: id, InstallationID: 7, Repo: repoA, PR: 12, BaseSHA: "base1", HeadSHA: "head1",
			Trigger: store.Trigger{Event: "pull_request.synchronize", DeliveryID: "d-9", Actor: "alice"},
			JobID:   55, ConfigDigest: "sha256:abc", ConfigSource: ".github/warden.yml@base1",
			Status: store.ScanCompleted, Conclusion: "failure", Counts: counts, CheckRunID: 9001,
			StartedAt: started, FinishedAt: started.Add(3 * time.Second),
		}
		if got != want {
			t.Fatalf("scan =\n%+v\nwant\n%+v", got, want)
		}

		second := must(st.StartScan(ctx, store.Scan{Repo: repoA, PR: 12, HeadSHA: "head2"}))
		if latest := must(st.LatestScan(ctx, repoA.ID, 12)); latest.ID != second || latest.Status != store.ScanInProgress {
			t.Fatalf("latest scan = %d %s, want %d in_progress", latest.ID, latest.Status, second)
		}
		_, err := st.LatestScan(ctx, repoA.ID, 13)
		wantErr(t, err, store.ErrNotFound)
		if rep := verifyOK(t, st, repoA.ID); rep.Records != 3 {
			t.Fatalf("audit records = %d, want 3 (start, finish, start)", rep.Records)
		}
	})
}
