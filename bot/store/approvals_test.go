package store_test

import (
	"testing"

	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/bot/store/storetest"
)

func TestApprovalsAreKeyedByHeadAndPaths(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st, clock := openClocked(t, url)
		a := store.Approval{Repo: repoA, PR: 4, HeadSHA: "h1", PathsDigest: "sha256:wf", By: "sec-lead", Note: "reviewed workflow change"}
		first, created, err := st.Approve(ctx, a)
		check(t, err)
		if !created || first.ID == 0 || !first.CreatedAt.Equal(clock.Now()) {
			t.Fatalf("first approval = %+v created=%v", first, created)
		}
		again, created2, err := st.Approve(ctx, a)
		check(t, err)
		if created2 || again.ID != first.ID {
			t.Fatalf("repeated approval created=%v id=%d, want existing %d", created2, again.ID, first.ID)
		}
		if got := must(st.ApprovalsFor(ctx, repoA.ID, 4, "h1", "sha256:wf")); len(got) != 1 || got[0].By != "sec-lead" {
			t.Fatalf("approvals for h1 = %+v", got)
		}
		for _, miss := range [][2]string{{"h2", "sha256:wf"}, {"h1", "sha256:other"}} {
			if got := must(st.ApprovalsFor(ctx, repoA.ID, 4, miss[0], miss[1])); len(got) != 0 {
				t.Fatalf("approval leaked to head %s paths %s: %+v", miss[0], miss[1], got)
			}
		}
		_, _, err = st.Approve(ctx, store.Approval{Repo: repoA, PR: 4, HeadSHA: "h1"})
		wantErr(t, err, store.ErrInvalid)
		if rep := verifyOK(t, st, repoA.ID); rep.Records != 1 {
			t.Fatalf("audit records = %d, want 1 (the repeat is not a new approval)", rep.Records)
		}
	})
}
