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
		active := must(st.ActiveSuppression(ctx, repoA.ID, 1, "W-a"))
		if active.ID != sp.ID || active.By != actorBob || active.Kind != store.AcceptedRisk {
			t.Fatalf("active suppression = %+v", active)
		}
		// A new PR reporting W-a sees it ignored from the start.
		res := must(st.ObserveFindings(ctx, scanRef(t, st, repoA, 2, "p1"), obs("W-a")))
		if len(res.New) != 0 || !slices.Equal(res.Ignored, []string{"W-a"}) {
			t.Fatalf("PR 2 with suppressed W-a: %+v", res)
		}

		clock.Advance(61 * time.Minute)
		_, err := st.ActiveSuppression(ctx, repoA.ID, 1, "W-a")
		wantErr(t, err, store.ErrNotFound)
		if got := must(st.ActiveSuppressions(ctx, repoA.ID, 1)); len(got) != 0 {
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

		check(t, st.Unignore(ctx, repoA, 0, "W-a", "carol"))
		if got := must(st.Finding(ctx, repoA.ID, 1, "W-a")); got.State != store.FindingOpen {
			t.Fatalf("W-a state = %s after unignore, want open", got.State)
		}
		wantErr(t, st.Unignore(ctx, repoA, 0, "W-a", "carol"), store.ErrNotFound)

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

func TestAnIgnoreOfOnePullRequestStaysOnIt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st, _ := openClocked(t, url)
		must(st.ObserveFindings(ctx, scanRef(t, st, repoA, 1, "h1"), obs("W-a")))
		must(st.ObserveFindings(ctx, scanRef(t, st, repoA, 2, "p1"), obs("W-a")))

		must(st.Suppress(ctx, store.Suppression{Repo: repoA, PR: 1, Fingerprint: "W-a", Kind: store.TestCode, Reason: "fixture of #1", By: actorBob}))
		if got := must(st.Finding(ctx, repoA.ID, 1, "W-a")); got.State != store.FindingIgnored {
			t.Fatalf("#1: %s, want ignored", got.State)
		}
		if got := must(st.Finding(ctx, repoA.ID, 2, "W-a")); got.State != store.FindingOpen {
			t.Fatalf("#2: %s, want open: an ignore on #1 leaked to #2", got.State)
		}
		if got := must(st.ActiveSuppressions(ctx, repoA.ID, 2)); len(got) != 0 {
			t.Fatalf("#2 sees #1's ignore: %+v", got)
		}
		if got := must(st.ActiveSuppressions(ctx, repoA.ID, 1)); len(got) != 1 || got[0].PR != 1 {
			t.Fatalf("#1's ignores: %+v", got)
		}
		// A later push to #2 and a new PR #3 still report W-a.
		if res := must(st.ObserveFindings(ctx, scanRef(t, st, repoA, 2, "p2"), obs("W-a"))); len(res.Ignored) != 0 {
			t.Fatalf("#2 after a push: %+v", res)
		}
		if res := must(st.ObserveFindings(ctx, scanRef(t, st, repoA, 3, "q1"), obs("W-a"))); !slices.Equal(res.New, []string{"W-a"}) {
			t.Fatalf("#3: %+v, want W-a new", res)
		}

		// Repository-wide: every PR; revoking #1's own ignore leaves it
		// covered by the repository's.
		must(st.Suppress(ctx, store.Suppression{Repo: repoA, Fingerprint: "W-a", Kind: store.AcceptedRisk, Reason: "vendor key", By: "sec"}))
		for _, pr := range []int{1, 2, 3} {
			if got := must(st.Finding(ctx, repoA.ID, pr, "W-a")); got.State != store.FindingIgnored {
				t.Fatalf("#%d: %s after the repository-wide ignore", pr, got.State)
			}
		}
		check(t, st.Unignore(ctx, repoA, 1, "W-a", "carol"))
		if got := must(st.Finding(ctx, repoA.ID, 1, "W-a")); got.State != store.FindingIgnored {
			t.Fatalf("#1 reopened though the repository-wide ignore holds: %s", got.State)
		}
		wantErr(t, st.Unignore(ctx, repoA, 2, "W-a", "carol"), store.ErrNotFound)
		check(t, st.Unignore(ctx, repoA, 0, "W-a", "sec"))
		for _, pr := range []int{1, 2, 3} {
			if got := must(st.Finding(ctx, repoA.ID, pr, "W-a")); got.State != store.FindingOpen {
				t.Fatalf("#%d: %s after every ignore was revoked", pr, got.State)
			}
		}
		verifyOK(t, st, repoA.ID)
	})
}

func TestObservedFindingIsAnyPullRequestsNewestRecord(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st, clock := openClocked(t, url)
		_, err := st.ObservedFinding(ctx, repoA.ID, "W-a")
		wantErr(t, err, store.ErrNotFound)
		must(st.ObserveFindings(ctx, scanRef(t, st, repoA, 1, "h1"), obs("W-a")))
		clock.Advance(time.Minute)
		must(st.ObserveFindings(ctx, scanRef(t, st, repoA, 7, "p1"), obs("W-b", "W-a")))
		if f := must(st.ObservedFinding(ctx, repoA.ID, "W-a")); f.PR != 7 || f.RuleID != "secrets/aws" {
			t.Fatalf("observed = %+v, want #7's record", f)
		}
		_, err = st.ObservedFinding(ctx, repoB.ID, "W-a")
		wantErr(t, err, store.ErrNotFound)
	})
}
