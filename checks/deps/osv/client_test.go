package osv_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wardenbot/warden/checks/deps/osv"
	"github.com/wardenbot/warden/checks/deps/osv/osvfake"
)

func newFake(t *testing.T) *osvfake.Server {
	t.Helper()
	db, err := osv.LoadLocalDB(context.Background(), "../testdata/osv")
	if err != nil {
		t.Fatal(err)
	}
	s := osvfake.New(db)
	t.Cleanup(s.Close)
	return s
}

func ids(vs []*osv.Vuln) string {
	var out []string
	for _, v := range vs {
		out = append(out, v.ID)
	}
	return strings.Join(out, ",")
}

func TestClientQueryAndCache(t *testing.T) {
	fake := newFake(t)
	cache := osv.NewMemoryCache()
	c := &osv.Client{BaseURL: fake.URL, Cache: cache, Backoff: time.Millisecond}
	lodash := osv.PackageKey{Ecosystem: "npm", Name: "lodash", Version: "4.17.20"}
	clean := osv.PackageKey{Ecosystem: "npm", Name: "lodash", Version: "4.17.21"}
	py := osv.PackageKey{Ecosystem: "PyPI", Name: "py", Version: "1.11.0"} // only a withdrawn record
	got, err := c.Query(context.Background(), []osv.PackageKey{lodash, clean, py, lodash})
	if err != nil {
		t.Fatal(err)
	}
	if s := ids(got[lodash]); s != "GHSA-29mw-wpgm-hmr9,GHSA-35jh-r3h4-6jhm" && s != "GHSA-35jh-r3h4-6jhm,GHSA-29mw-wpgm-hmr9" {
		t.Errorf("lodash 4.17.20 -> %s", s)
	}
	if len(got[clean]) != 0 || len(got[py]) != 0 {
		t.Errorf("clean -> %s, py -> %s; want none", ids(got[clean]), ids(got[py]))
	}
	if n := fake.BatchRequests.Load(); n != 1 {
		t.Errorf("%d querybatch requests, want 1 for 3 distinct packages", n)
	}
	if n := fake.VulnRequests.Load(); n != 2 {
		t.Errorf("%d record requests, want 2", n)
	}
	// Warm cache: no network at all.
	if _, err := c.Query(context.Background(), []osv.PackageKey{lodash, clean}); err != nil {
		t.Fatal(err)
	}
	if b, v := fake.BatchRequests.Load(), fake.VulnRequests.Load(); b != 1 || v != 2 {
		t.Errorf("warm cache made requests: batch %d, vulns %d", b, v)
	}
	// Another version shares the records already cached: one batch, no GETs.
	older := osv.PackageKey{Ecosystem: "npm", Name: "lodash", Version: "4.17.19"}
	if _, err := c.Query(context.Background(), []osv.PackageKey{older}); err != nil {
		t.Fatal(err)
	}
	if b, v := fake.BatchRequests.Load(), fake.VulnRequests.Load(); b != 2 || v != 3 {
		t.Errorf("after 4.17.19: batch %d (want 2), vulns %d (want 3: only GHSA-p6mc is new)", b, v)
	}
}

func TestClientBatchesOfAtMost1000(t *testing.T) {
	fake := newFake(t)
	c := &osv.Client{BaseURL: fake.URL, Concurrency: 2}
	var keys []osv.PackageKey
	for i := range 2500 {
		keys = append(keys, osv.PackageKey{Ecosystem: "npm", Name: fmt.Sprintf("pkg-%d", i), Version: "1.0.0"})
	}
	keys = append(keys, osv.PackageKey{Ecosystem: "npm", Name: "lodash", Version: "4.17.20"})
	got, err := c.Query(context.Background(), keys)
	if err != nil {
		t.Fatal(err)
	}
	if n := fake.BatchRequests.Load(); n != 3 {
		t.Errorf("%d batches for 2501 packages, want 3", n)
	}
	if len(got[keys[2500]]) != 2 {
		t.Errorf("lodash in the last batch: %s", ids(got[keys[2500]]))
	}
}

func TestClientFollowsPages(t *testing.T) {
	fake := newFake(t)
	fake.PageSize = 1
	c := &osv.Client{BaseURL: fake.URL}
	k := osv.PackageKey{Ecosystem: "npm", Name: "lodash", Version: "4.17.15"}
	got, err := c.Query(context.Background(), []osv.PackageKey{k})
	if err != nil {
		t.Fatal(err)
	}
	if len(got[k]) != 3 {
		t.Errorf("got %s, want all 3 advisories across pages", ids(got[k]))
	}
	if n := fake.BatchRequests.Load(); n != 3 {
		t.Errorf("%d batch requests, want 3 pages", n)
	}
}

func TestClientRetries(t *testing.T) {
	fake := newFake(t)
	fake.FailNext(http.StatusServiceUnavailable, http.StatusTooManyRequests)
	c := &osv.Client{BaseURL: fake.URL, Backoff: time.Millisecond}
	k := osv.PackageKey{Ecosystem: "PyPI", Name: "requests", Version: "2.30.0"}
	got, err := c.Query(context.Background(), []osv.PackageKey{k})
	if err != nil {
		t.Fatalf("two transient failures should be retried: %v", err)
	}
	if len(got[k]) != 2 {
		t.Errorf("requests 2.30.0 -> %s", ids(got[k]))
	}
}

func TestClientGivesUp(t *testing.T) {
	fake := newFake(t)
	fake.FailNext(500, 500, 500, 500, 500)
	c := &osv.Client{BaseURL: fake.URL, Backoff: time.Millisecond, Retries: 2}
	_, err := c.Query(context.Background(), []osv.PackageKey{{Ecosystem: "npm", Name: "lodash", Version: "1.0.0"}})
	if err == nil || !strings.Contains(err.Error(), "HTTP 500") {
		t.Fatalf("err = %v, want the server error", err)
	}
	if n := fake.BatchRequests.Load(); n != 3 {
		t.Errorf("%d attempts, want 1 + 2 retries", n)
	}
}

func TestClientNoRetryOn4xx(t *testing.T) {
	fake := newFake(t)
	fake.FailNext(http.StatusBadRequest)
	c := &osv.Client{BaseURL: fake.URL, Backoff: time.Millisecond}
	if _, err := c.Query(context.Background(), []osv.PackageKey{{Ecosystem: "npm", Name: "x", Version: "1"}}); err == nil {
		t.Fatal("a 400 must fail the query")
	}
	if n := fake.BatchRequests.Load(); n != 1 {
		t.Errorf("%d attempts, want no retry on 400", n)
	}
}

func TestClientUnreachable(t *testing.T) {
	c := &osv.Client{BaseURL: "http://127.0.0.1:1", Backoff: time.Millisecond, Retries: 1}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.Query(ctx, []osv.PackageKey{{Ecosystem: "npm", Name: "x", Version: "1"}}); err == nil {
		t.Fatal("an unreachable API must be an error, never an empty answer")
	}
}

func TestMemoryCacheTTL(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	c := &osv.MemoryCache{QueryTTL: time.Hour, Now: func() time.Time { return now }}
	k := osv.PackageKey{Ecosystem: "npm", Name: "a", Version: "1"}
	c.SetQuery(context.Background(), k, nil)
	if ids, ok := c.Query(context.Background(), k); !ok || len(ids) != 0 {
		t.Fatalf("cached empty answer: %v %v", ids, ok)
	}
	now = now.Add(61 * time.Minute)
	if _, ok := c.Query(context.Background(), k); ok {
		t.Error("entry survived its TTL")
	}
}

func TestMemoryCacheBound(t *testing.T) {
	c := &osv.MemoryCache{MaxEntries: 100}
	for i := range 1000 {
		c.SetVuln(context.Background(), &osv.Vuln{ID: fmt.Sprint(i)})
	}
	n := 0
	for i := range 1000 {
		if _, ok := c.Vuln(context.Background(), fmt.Sprint(i)); ok {
			n++
		}
	}
	if n > 100 || n == 0 {
		t.Errorf("%d entries kept, want between 1 and 100", n)
	}
	if _, ok := c.Vuln(context.Background(), "999"); !ok {
		t.Error("the newest entry was evicted")
	}
}
