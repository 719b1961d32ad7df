package store_test

import (
	"testing"

	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/bot/store/storetest"
)

func TestActiveFollowsInstallationEvents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st, _ := openClocked(t, url)
		const inst = 7
		active := func(want bool, when string) {
			t.Helper()
			if got := must(st.Active(ctx, inst, repoA.ID)); got != want {
				t.Fatalf("%s: Active = %v, want %v", when, got, want)
			}
		}
		active(true, "unknown installation")
		check(t, st.UpsertInstallation(ctx, store.Installation{ID: inst, Account: "acme"}))
		check(t, st.AddRepository(ctx, inst, repoA))
		active(true, "installed")

		check(t, st.SetInstallationSuspended(ctx, inst, true))
		active(false, "suspended")
		check(t, st.SetInstallationSuspended(ctx, inst, false))
		active(true, "unsuspended")

		check(t, st.RemoveRepository(ctx, repoA.ID))
		active(false, "repository removed")
		check(t, st.AddRepository(ctx, inst, repoA))
		active(true, "repository added back")

		check(t, st.DeleteInstallation(ctx, inst))
		active(false, "installation deleted")

		in := must(st.Installation(ctx, inst))
		if !in.Deleted || in.Account != "acme" {
			t.Fatalf("installation = %+v", in)
		}
		r := must(st.Repository(ctx, repoA.ID))
		if r.FullName() != "acme/api" || r.InstallationID != inst {
			t.Fatalf("repository = %+v", r)
		}
		_, err := st.Installation(ctx, 999)
		wantErr(t, err, store.ErrNotFound)
		verifyOK(t, st, 0) // installation events are audited on the repo-less chain
	})
}
