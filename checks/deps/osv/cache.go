package osv

import (
	"context"
	"sync"
	"time"
)

// Cache remembers which records affect a package version and the records
// themselves, so repeated scans do not ask the OSV API again. The bot's
// database implements it for sharing across replicas; implementations treat
// their own failures as misses. Safe for concurrent use.
type Cache interface {
	// Query returns the record ids for a package version; ok is false on a
	// miss or an expired entry. An empty, non-nil answer is a cached "none".
	Query(ctx context.Context, k PackageKey) (ids []string, ok bool)
	SetQuery(ctx context.Context, k PackageKey, ids []string)
	// Vuln returns a record by id.
	Vuln(ctx context.Context, id string) (*Vuln, bool)
	SetVuln(ctx context.Context, v *Vuln)
}

// MemoryCache is an in-process Cache with a time to live and a size bound.
type MemoryCache struct {
	// QueryTTL is how long a package's answer is trusted (new advisories
	// appear daily; default 6h). VulnTTL is the same for records (default 24h).
	QueryTTL, VulnTTL time.Duration
	// MaxEntries bounds each of the two maps (default 200,000).
	MaxEntries int
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu      sync.Mutex
	queries map[PackageKey]cacheEntry[[]string]
	vulns   map[string]cacheEntry[*Vuln]
}

type cacheEntry[T any] struct {
	value   T
	expires time.Time
}

// NewMemoryCache returns a MemoryCache with default limits.
func NewMemoryCache() *MemoryCache { return &MemoryCache{} }

func (c *MemoryCache) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *MemoryCache) limits() (qttl, vttl time.Duration, max int) {
	qttl, vttl, max = c.QueryTTL, c.VulnTTL, c.MaxEntries
	if qttl <= 0 {
		qttl = 6 * time.Hour
	}
	if vttl <= 0 {
		vttl = 24 * time.Hour
	}
	if max <= 0 {
		max = 200_000
	}
	return
}

func (c *MemoryCache) Query(_ context.Context, k PackageKey) ([]string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.queries[k]
	if !ok || !c.now().Before(e.expires) {
		return nil, false
	}
	return append([]string{}, e.value...), true
}

func (c *MemoryCache) SetQuery(_ context.Context, k PackageKey, ids []string) {
	qttl, _, max := c.limits()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.queries == nil {
		c.queries = map[PackageKey]cacheEntry[[]string]{}
	}
	now := c.now()
	evict(c.queries, max, now)
	c.queries[k] = cacheEntry[[]string]{value: append([]string{}, ids...), expires: now.Add(qttl)}
}

func (c *MemoryCache) Vuln(_ context.Context, id string) (*Vuln, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.vulns[id]
	if !ok || !c.now().Before(e.expires) {
		return nil, false
	}
	return e.value, true
}

func (c *MemoryCache) SetVuln(_ context.Context, v *Vuln) {
	_, vttl, max := c.limits()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.vulns == nil {
		c.vulns = map[string]cacheEntry[*Vuln]{}
	}
	now := c.now()
	evict(c.vulns, max, now)
	c.vulns[v.ID] = cacheEntry[*Vuln]{value: v, expires: now.Add(vttl)}
}

// evict makes room for one entry: expired entries first, then arbitrary
// ones (map order), a quarter at a time so eviction stays amortised.
func evict[K comparable, T any](m map[K]cacheEntry[T], max int, now time.Time) {
	if len(m) < max {
		return
	}
	for k, e := range m {
		if !now.Before(e.expires) {
			delete(m, k)
		}
	}
	for k := range m {
		if len(m) < max-max/4 {
			break
		}
		delete(m, k)
	}
}
