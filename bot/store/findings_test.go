package store_test

import (
	"slices"
	"testing"

	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/bot/store/storetest"
)

func obs(fps ...string) []store.Observation {
	var out []store.Observation
	for i, fp := range fps {
		out = append(out, store.Observation{Fingerprint: fp, RuleID: "secrets/aws", Path: "main.go", Line: 10 + i, Severity: "high"})
	}
	return out
}

func scanRef(t *testing.T, st store.Store, repo store.Repo, pr int, head string) store.ScanRef {
	t.Helper()
	id := must(st.StartScan(ctx, store.Scan{Repo: repo, PR: pr, HeadSHA: head}))
	return store.ScanRef{ScanID: id, Repo: repo, PR: pr, HeadSHA: head}
}

func TestFindingLifecycleOnAPR(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st, _ := openClocked(t, url)
		s1 := scanRef(t, st, repoA, 1, "h1")
		res := must(st.ObserveFindings(ctx, s1, obs("W-a", "W-b", "W-a")))
		if !slices.Equal(res.New, []string{"W-a", "W-b"}) {
			t.Fatalf("new = %v, want [W-a W-b] (duplicates collapse)", res.New)
		}

		if !must(st.MarkCommented(ctx, repoA, 1, "W-a", 501, "PRRT_1")) {
			t.Fatal("first comment on W-a not recorded")
		}
		if must(st.MarkCommented(ctx, repoA, 1, "W-a", 502, "PRRT_2")) {
			t.Fatal("a second comment on W-a was accepted")
		}
		_, err := st.MarkCommented(ctx, repoA, 1, "W-unknown", 503, "")
		wantErr(t, err, store.ErrNotFound)

		s2 := scanRef(t, st, repoA, 1, "h2")
		res = must(st.ObserveFindings(ctx, s2, obs("W-a")))
		if len(res.New) != 0 || !slices.Equal(res.Fixed, []string{"W-b"}) {
			t.Fatalf("after removing W-b: %+v", res)
		}

		s3 := scanRef(t, st, repoA, 1, "h3")
		res = must(st.ObserveFindings(ctx, s3, obs("W-a", "W-b")))
		if len(res.New) != 0 || !slices.Equal(res.Reopened, []string{"W-b"}) {
			t.Fatalf("after W-b returns: %+v", res)
		}

		a := must(st.Finding(ctx, repoA.ID, 1, "W-a"))
		if a.CommentID != 501 || a.ThreadNodeID != "PRRT_1" || a.FirstSeenSHA != "h1" || a.LastSeenSHA != "h3" ||
			a.FirstSeenScan != s1.ScanID || a.LastSeenScan != s3.ScanID || a.State != store.FindingOpen {
			t.Fatalf("W-a = %+v", a)
		}
		// The same fingerprint on another PR is a separate finding.
		other := scanRef(t, st, repoA, 2, "x1")
		if res := must(st.ObserveFindings(ctx, other, obs("W-a"))); !slices.Equal(res.New, []string{"W-a"}) {
			t.Fatalf("W-a on PR 2: %+v", res)
		}
		if got := must(st.Findings(ctx, repoA.ID, 1)); len(got) != 2 {
			t.Fatalf("PR 1 has %d findings, want 2", len(got))
		}
		verifyOK(t, st, repoA.ID)
	})
}
