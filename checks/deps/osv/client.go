package osv

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// DefaultAPIURL is the public OSV API.
const DefaultAPIURL = "https://api.osv.dev"

// Limits of the OSV API and of what warden accepts from it.
const (
	maxBatch         = 1000     // queries per querybatch request (API limit)
	maxPages         = 20       // next_page_token rounds per package
	maxBatchResponse = 64 << 20 // bytes
	maxVulnResponse  = 8 << 20  // bytes
)

// Client queries an OSV API: POST /v1/querybatch for the ids affecting each
// package version, then GET /v1/vulns/{id} for records not in the cache.
type Client struct {
	// BaseURL is the API root, e.g. https://api.osv.dev (no /v1).
	BaseURL string
	// HTTP is the client used; nil means a client with a 30 s timeout.
	HTTP *http.Client
	// Cache, when set, answers repeated queries and records.
	Cache Cache
	// Concurrency bounds parallel requests (default 4).
	Concurrency int
	// Retries is how often a 429/5xx or transport error is retried (default 3).
	Retries int
	// Backoff is the first retry delay, doubled each time (default 250 ms).
	Backoff time.Duration
	// RequestTimeout bounds one HTTP request (default 30 s).
	RequestTimeout time.Duration
}

var _ Source = (*Client)(nil)

// Describe names the API for notes.
func (c *Client) Describe() string { return "OSV API at " + c.base() }

func (c *Client) base() string {
	if c.BaseURL == "" {
		return DefaultAPIURL
	}
	return strings.TrimRight(c.BaseURL, "/")
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return &http.Client{Timeout: 30 * time.Second}
}

func (c *Client) concurrency() int {
	if c.Concurrency > 0 {
		return c.Concurrency
	}
	return 4
}

// Query implements Source.
func (c *Client) Query(ctx context.Context, keys []PackageKey) (map[PackageKey][]*Vuln, error) {
	ids := make(map[PackageKey][]string, len(keys))
	var missing []PackageKey
	seen := map[PackageKey]bool{}
	for _, k := range keys {
		if seen[k] || k.Version == "" {
			continue
		}
		seen[k] = true
		if c.Cache != nil {
			if cached, ok := c.Cache.Query(ctx, k); ok {
				ids[k] = cached
				continue
			}
		}
		missing = append(missing, k)
	}
	if err := c.queryBatches(ctx, missing, ids); err != nil {
		return nil, err
	}
	records, err := c.records(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[PackageKey][]*Vuln, len(ids))
	for k, list := range ids {
		for _, id := range list {
			if v := records[id]; v != nil && !v.IsWithdrawn() {
				out[k] = append(out[k], v)
			}
		}
	}
	return out, nil
}

type batchQuery struct {
	Package   Package `json:"package"`
	Version   string  `json:"version"`
	PageToken string  `json:"page_token,omitempty"`
}

type batchResponse struct {
	Results []struct {
		Vulns []struct {
			ID string `json:"id"`
		} `json:"vulns"`
		NextPageToken string `json:"next_page_token"`
	} `json:"results"`
}

// queryBatches sends the keys in batches of at most 1000, a few batches at
// a time, following page tokens, and stores each answer in ids and the cache.
func (c *Client) queryBatches(ctx context.Context, keys []PackageKey, ids map[PackageKey][]string) error {
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.concurrency())
	for start := 0; start < len(keys); start += maxBatch {
		batch := keys[start:min(start+maxBatch, len(keys))]
		g.Go(func() error {
			found, err := c.queryBatch(gctx, batch)
			if err != nil {
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			for i, k := range batch {
				ids[k] = found[i]
				if c.Cache != nil {
					c.Cache.SetQuery(gctx, k, found[i])
				}
			}
			return nil
		})
	}
	return g.Wait()
}

func (c *Client) queryBatch(ctx context.Context, batch []PackageKey) ([][]string, error) {
	found := make([][]string, len(batch))
	for i := range found {
		found[i] = []string{} // a cached "no vulnerabilities" answer
	}
	tokens := make([]string, len(batch))
	pending := make([]int, len(batch))
	for i := range pending {
		pending[i] = i
	}
	for page := 0; len(pending) > 0; page++ {
		if page == maxPages {
			return nil, fmt.Errorf("osv querybatch: more than %d pages of results", maxPages)
		}
		req := struct {
			Queries []batchQuery `json:"queries"`
		}{}
		for _, i := range pending {
			k := batch[i]
			req.Queries = append(req.Queries, batchQuery{Package: Package{Ecosystem: k.Ecosystem, Name: k.Name}, Version: k.Version, PageToken: tokens[i]})
		}
		body, err := json.Marshal(req)
		if err != nil {
			return nil, fmt.Errorf("osv querybatch: %w", err)
		}
		var resp batchResponse
		if err := c.do(ctx, http.MethodPost, c.base()+"/v1/querybatch", body, maxBatchResponse, &resp); err != nil {
			return nil, err
		}
		if len(resp.Results) != len(pending) {
			return nil, fmt.Errorf("osv querybatch: %d results for %d queries", len(resp.Results), len(pending))
		}
		var next []int
		for j, res := range resp.Results {
			i := pending[j]
			for _, v := range res.Vulns {
				if v.ID != "" {
					found[i] = append(found[i], v.ID)
				}
			}
			if res.NextPageToken != "" {
				tokens[i] = res.NextPageToken
				next = append(next, i)
			}
		}
		pending = next
	}
	return found, nil
}

// records loads every referenced record, from the cache when it has it.
func (c *Client) records(ctx context.Context, ids map[PackageKey][]string) (map[string]*Vuln, error) {
	out := map[string]*Vuln{}
	var fetch []string
	for _, list := range ids {
		for _, id := range list {
			if _, done := out[id]; done {
				continue
			}
			out[id] = nil
			if c.Cache != nil {
				if v, ok := c.Cache.Vuln(ctx, id); ok {
					out[id] = v
					continue
				}
			}
			fetch = append(fetch, id)
		}
	}
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.concurrency() * 2)
	for _, id := range fetch {
		g.Go(func() error {
			var v Vuln
			if err := c.do(gctx, http.MethodGet, c.base()+"/v1/vulns/"+url.PathEscape(id), nil, maxVulnResponse, &v); err != nil {
				return err
			}
			if v.ID != id {
				return fmt.Errorf("osv: asked for %s, got record %q", id, clip(v.ID))
			}
			if c.Cache != nil {
				c.Cache.SetVuln(gctx, &v)
			}
			mu.Lock()
			out[id] = &v
			mu.Unlock()
			return nil
		})
	}
	return out, g.Wait()
}

// errRetryable marks failures worth another attempt.
var errRetryable = errors.New("retryable")

// do sends one request with retries on transport errors, 429 and 5xx,
// backing off exponentially (or as Retry-After asks, capped), and decodes a
// bounded JSON body into out.
func (c *Client) do(ctx context.Context, method, u string, body []byte, limit int64, out any) error {
	retries := c.Retries
	if retries <= 0 {
		retries = 3
	}
	backoff := c.Backoff
	if backoff <= 0 {
		backoff = 250 * time.Millisecond
	}
	var last error
	for attempt := 0; ; attempt++ {
		wait, err := c.attempt(ctx, method, u, body, limit, out)
		if err == nil {
			return nil
		}
		last = err
		if !errors.Is(err, errRetryable) || attempt >= retries {
			break
		}
		if wait <= 0 {
			wait = backoff << attempt
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%s %s: %w (last error: %v)", method, u, ctx.Err(), last)
		case <-t.C:
		}
	}
	return last
}

func (c *Client) attempt(ctx context.Context, method, u string, body []byte, limit int64, out any) (retryAfter time.Duration, err error) {
	timeout := c.RequestTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(rctx, method, u, rd)
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w", method, u, err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return 0, fmt.Errorf("%s %s: %w", method, u, ctx.Err())
		}
		return 0, fmt.Errorf("%s %s: %w: %w", method, u, errRetryable, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return retryAfterOf(resp), fmt.Errorf("%s %s: %w: HTTP %d", method, u, errRetryable, resp.StatusCode)
	case resp.StatusCode != http.StatusOK:
		return 0, fmt.Errorf("%s %s: HTTP %d", method, u, resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return 0, fmt.Errorf("%s %s: reading body: %w: %w", method, u, errRetryable, err)
	}
	if int64(len(data)) > limit {
		return 0, fmt.Errorf("%s %s: response over %d bytes", method, u, limit)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return 0, fmt.Errorf("%s %s: decoding response: %w", method, u, err)
	}
	return 0, nil
}

// retryAfterOf honours a Retry-After in seconds, capped at 10 s so a
// misbehaving server cannot stall a scan.
func retryAfterOf(resp *http.Response) time.Duration {
	s, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After")))
	if err != nil || s < 0 {
		return 0
	}
	return min(time.Duration(s)*time.Second, 10*time.Second)
}
