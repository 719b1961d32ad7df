package store_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/bot/store/storetest"
)

func TestOpenRejectsUnknownScheme(t *testing.T) {
	_, err := store.Open(ctx, "mysql://user:secret@host/db")
	if err == nil || !strings.Contains(err.Error(), "unsupported") || strings.Contains(err.Error(), "secret") {
		t.Fatalf("Open(mysql) error = %v; want unsupported scheme without the password", err)
	}
}

func TestReopenAndConcurrentMigrationsAreSafe(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		st := storetest.Open(t, url)
		must(st.SeenDelivery(ctx, "kept"))
		// Two more processes starting at once against the same database.
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				other, err := store.Open(ctx, url)
				if err != nil {
					t.Error(err)
					return
				}
				defer other.Close()
				if first, err := other.SeenDelivery(ctx, "kept"); err != nil || first {
					t.Errorf("reopened store lost data: first=%v err=%v", first, err)
				}
			}()
		}
		wg.Wait()
	})
}
