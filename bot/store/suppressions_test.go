package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/bot/store/storetest"
)

func TestSuppressIgnoresFindingsUntilExpiry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st, clock := openClocked(t, url)
		must(st.ObserveFindings(ctx, scanRef(t, st, repoA, 1, "h1"), obs("W-a", "W-b")))

		sp := must(st.Suppress(ctx, store.Suppression{
			Repo: repoA, Fingerprint: "W-a", Kind: store.AcceptedRisk, Reason: "vendor key, rotated monthly",
			By: actorBob, ExpiresAt: clock.Now().Add(time.Hour),
		}))
		if got := must(st.Finding(ctx, repoA.ID, 1, "W-a")); got.State != store.FindingIgnored {
			t.Fatalf("W-a state = %s after suppress, want ignored", got.State)
		}
		active := must(st.ActiveSuppression(ctx, repoA.ID, "W-a"))
		if active.ID != sp.ID || active.By != actorBob || active.Kind != store.AcceptedRisk {
			t.Fatalf("active suppression = %+v", active)
		}
		// A new PR reporting W-a sees it ignored from the start.
		res := must(st.ObserveFindings(ctx, scanRef(t, st, repoA, 2, "p1"), obs("W-a")))
		if len(res.New) != 0 || !slices.Equal(res.Ignored, []string{"W-a"}) {
			t.Fatalf("PR 2 with suppressed W-a: %+v", res)
		}

		clock.Advance(61 * time.Minute)
		_, err := st.ActiveSuppression(ctx, repoA.ID, "W-a")
		wantErr(t, err, store.ErrNotFound)
		if got := must(st.ActiveSuppressions(ctx, repoA.ID)); len(got) != 0 {
			t.Fatalf("expired suppression still listed: %+v", got)
		}
		res = must(st.ObserveFindings(ctx, scanRef(t, st, repoA, 1, "h2"), obs("W-a", "W-b")))
		if !slices.Equal(res.Unignored, []string{"W-a"}) {
			t.Fatalf("after expiry: %+v, want W-a unignored", res)
		}
		verifyOK(t, st, repoA.ID)
	})
}

func TestUnignoreReopensFindings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st, _ := openClocked(t, url)
		must(st.ObserveFindings(ctx, scanRef(t, st, repoA, 1, "h1"), obs("W-a")))
		must(st.Suppress(ctx, store.Suppression{Repo: repoA, Fingerprint: "W-a", Kind: store.FalsePositive, Reason: "test fixture", By: actorBob}))

		check(t, st.Unignore(ctx, repoA, "W-a", "carol"))
		if got := must(st.Finding(ctx, repoA.ID, 1, "W-a")); got.State != store.FindingOpen {
			t.Fatalf("W-a state = %s after unignore, want open", got.State)
		}
		wantErr(t, st.Unignore(ctx, repoA, "W-a", "carol"), store.ErrNotFound)

		var kinds []string
		for _, line := range exportLines(t, st, store.ExportFilter{RepoID: repoA.ID}) {
			kinds = append(kinds, line.Kind+"/"+line.Actor)
		}
		want := []string{"scan.started/warden", "finding.first_seen/warden", "suppression.created/bob",
			"finding.ignored/bob", "suppression.revoked/carol", "finding.unignored/carol"}
		if !slices.Equal(kinds, want) {
			t.Fatalf("audit trail = %v\nwant %v", kinds, want)
		}
	})
}

func TestSuppressRejectsInvalidInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st, _ := openClocked(t, url)
		cases := []store.Suppression{
			{Repo: repoA, Fingerprint: "W-a", Kind: "because", Reason: "r", By: actorBob},
			{Repo: repoA, Fingerprint: "W-a", Kind: store.TestCode, Reason: "", By: actorBob},
			{Repo: repoA, Fingerprint: "", Kind: store.TestCode, Reason: "r", By: actorBob},
		}
		for _, c := range cases {
			_, err := st.Suppress(ctx, c)
			wantErr(t, err, store.ErrInvalid)
		}
	})
}
