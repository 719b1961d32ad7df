package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/bot/store/storetest"
)

var (
	ctx      = context.Background()
	repoA    = store.Repo{ID: 101, Owner: "acme", Name: "api"}
	repoB    = store.Repo{ID: 202, Owner: "acme", Name: "web"}
	actorBob = "bob"
)

// openClocked opens url with a controllable clock.
func openClocked(t *testing.T, url string) (store.Store, *storetest.Clock) {
	t.Helper()
	clock := storetest.NewClock()
	return storetest.Open(t, url, store.WithClock(clock.Now)), clock
}

// must unwraps a (value, error) result. Go cannot pass a multi-value call
// alongside t, so a failure panics; storetest.Each turns the panic into a
// test failure with its stack. Use only on the test's own goroutine.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want %v", err, target)
	}
}

// verifyOK fails the test unless the repository's audit chain is intact.
func verifyOK(t *testing.T, st store.Store, repoID int64) store.VerifyReport {
	t.Helper()
	rep := must(st.Verify(ctx, repoID))
	if !rep.OK {
		t.Fatalf("audit chain broken: %s", rep)
	}
	return rep
}
