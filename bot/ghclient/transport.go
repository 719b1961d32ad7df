package ghclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/go-github/v60/github"
)

// RateLimitedError means GitHub asked warden to wait. The job should be
// retried at Until, without counting it as a failure.
type RateLimitedError struct {
	Until     time.Time
	Secondary bool
	// Local is true when the request was not sent because the
	// installation's writes were already paused.
	Local bool
}

func (e *RateLimitedError) Error() string {
	kind := "primary"
	if e.Secondary {
		kind = "secondary"
	}
	return fmt.Sprintf("GitHub %s rate limit: writes paused until %s", kind, e.Until.UTC().Format(time.RFC3339))
}

// lane serialises one installation's writes and remembers its pause.
type lane struct {
	id        int64
	mu        sync.Mutex // held for the duration of a write
	lastWrite time.Time
	paused    atomic.Int64 // unix nanos; in-memory copy of the persisted pause
	strikes   atomic.Int32 // consecutive secondary limits without guidance
}

// laneLocked returns installation id's write lane; f.mu must be held.
func (f *Factory) laneLocked(id int64) *lane {
	l, ok := f.lanes[id]
	if !ok {
		l = &lane{id: id}
		f.lanes[id] = l
	}
	return l
}

func isWrite(m string) bool {
	return m == http.MethodPost || m == http.MethodPatch || m == http.MethodPut || m == http.MethodDelete
}

// limitTransport sits between go-github and ghinstallation. It answers
// rate limits itself, so go-github v60 (which mistakes a 429 for an
// ordinary error and remembers resets per client) never sees them.
type limitTransport struct {
	next http.RoundTripper
	lane *lane
	f    *Factory
}

const (
	maxGetTries    = 5
	fallbackPause  = time.Minute
	maxBackoffStep = 5
)

func (t *limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	// GraphQL is a POST too; treating it as a write keeps mutations
	// (resolve thread, minimize comment) serial and spaced.
	write := isWrite(req.Method)
	if until := t.pausedUntil(ctx); time.Now().Before(until) {
		return nil, &RateLimitedError{Until: until, Local: true}
	}
	if write {
		t.lane.mu.Lock()
		defer t.lane.mu.Unlock()
		if wait := time.Until(t.lane.lastWrite.Add(t.f.cfg.MinWriteGap)); wait > 0 {
			if err := sleep(ctx, wait); err != nil {
				return nil, err
			}
		}
		defer func() { t.lane.lastWrite = time.Now() }()
	}
	tries := 1
	if !write {
		tries = maxGetTries
	}
	var resp *http.Response
	var err error
	for attempt := 0; attempt < tries; attempt++ {
		if attempt > 0 {
			if err := sleep(ctx, backoff(attempt)); err != nil {
				return nil, err
			}
		}
		resp, err = t.next.RoundTrip(cloneForRetry(req, attempt))
		if err != nil {
			if ctx.Err() != nil || write {
				return nil, err
			}
			continue
		}
		if rl := t.rateLimit(resp); rl != nil {
			drain(resp)
			t.pause(ctx, rl.Until)
			return nil, rl
		}
		t.lane.strikes.Store(0)
		if resp.StatusCode >= 500 && !write && attempt < tries-1 {
			drain(resp)
			continue
		}
		return resp, nil
	}
	return resp, err
}

func cloneForRetry(req *http.Request, attempt int) *http.Request {
	if attempt == 0 || req.GetBody == nil {
		return req
	}
	r := req.Clone(req.Context())
	r.Body, _ = req.GetBody()
	return r
}

// backoff is jittered exponential: ~0.25, 0.5, 1, 2 s.
func backoff(attempt int) time.Duration {
	d := 250 * time.Millisecond << (attempt - 1)
	return d/2 + time.Duration(rand.Int64N(int64(d)))
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func drain(resp *http.Response) {
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
}

var secondaryRe = regexp.MustCompile(`(?i)secondary rate limit|abuse detection`)

// rateLimit recognises GitHub's answers that mean "wait", and for how long:
// Retry-After first; else a spent primary quota until its reset (never a
// reset already past); else at least a minute, doubling on each repeat.
func (t *limitTransport) rateLimit(resp *http.Response) *RateLimitedError {
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests {
		return nil
	}
	now := time.Now()
	retryAfter := resp.Header.Get("Retry-After")
	remaining := resp.Header.Get("X-RateLimit-Remaining")
	if resp.StatusCode == http.StatusForbidden && retryAfter == "" && remaining != "0" {
		// A 403 is only a rate limit when GitHub says so in the body.
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		resp.Body = io.NopCloser(strings.NewReader(string(body)))
		if !secondaryRe.Match(body) {
			return nil
		}
	}
	if secs, err := strconv.Atoi(strings.TrimSpace(retryAfter)); err == nil && secs >= 0 {
		return &RateLimitedError{Until: now.Add(max(time.Duration(secs)*time.Second, time.Second)), Secondary: true}
	}
	if remaining == "0" {
		if reset, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64); err == nil {
			if until := time.Unix(reset, 0).Add(time.Second); until.After(now) {
				return &RateLimitedError{Until: until}
			}
		}
		return &RateLimitedError{Until: now.Add(fallbackPause)}
	}
	strikes := min(int(t.lane.strikes.Add(1))-1, maxBackoffStep)
	return &RateLimitedError{Until: now.Add(fallbackPause << strikes), Secondary: true}
}

func (t *limitTransport) pausedUntil(ctx context.Context) time.Time {
	until := time.Unix(0, t.lane.paused.Load())
	if t.f.cfg.Pauses != nil {
		if p, err := t.f.cfg.Pauses.WritesPausedUntil(ctx, t.lane.id); err == nil && p.After(until) {
			until = p
			t.lane.paused.Store(p.UnixNano())
		}
	}
	return until
}

func (t *limitTransport) pause(ctx context.Context, until time.Time) {
	if until.UnixNano() > t.lane.paused.Load() {
		t.lane.paused.Store(until.UnixNano())
	}
	t.f.cfg.Log.Warn().Int64("installation", t.lane.id).Time("until", until).Msg("GitHub rate limit: pausing this installation")
	if t.f.cfg.Pauses != nil {
		if err := t.f.cfg.Pauses.PauseWrites(ctx, t.lane.id, until); err != nil {
			t.f.cfg.Log.Error().Err(err).Int64("installation", t.lane.id).Msg("could not persist rate-limit pause")
		}
	}
}

// IsRateLimited returns the pause GitHub asked for, if err is one.
func IsRateLimited(err error) (*RateLimitedError, bool) {
	var rl *RateLimitedError
	ok := errors.As(err, &rl)
	return rl, ok
}

// observingTransport times every call, records clock skew from GitHub's
// Date header, and reports the route (never the query or headers, which
// may hold tokens).
type observingTransport struct {
	next http.RoundTripper
	f    *Factory
}

func (o *observingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := o.next.RoundTrip(req)
	route := routeTemplate(strings.TrimPrefix(req.URL.Path, strings.TrimSuffix(o.f.apiURL.Path, "/")))
	status := 0
	if resp != nil {
		status = resp.StatusCode
		if d, perr := http.ParseTime(resp.Header.Get("Date")); perr == nil {
			o.f.skew.set(time.Until(d))
		}
	}
	o.f.cfg.Observe(req.Method, route, status, time.Since(start))
	ev := o.f.cfg.Log.Debug()
	if err != nil || status >= 400 {
		ev = o.f.cfg.Log.Info()
	}
	ev.Str("method", req.Method).Str("route", route).Int("status", status).Dur("took", time.Since(start)).Msg("github api")
	return resp, err
}

// REST path vocabulary for routeTemplate. A route label is made of these
// words and parameter names only, so no repository, user, branch, path or
// sha ever becomes a metric series.
var (
	// routeParams: a collection followed by one item's parameter.
	routeParams = map[string]string{
		"pulls": "{pull_number}", "issues": "{issue_number}", "comments": "{comment_id}", "reviews": "{review_id}",
		"check-runs": "{check_run_id}", "check-suites": "{check_suite_id}", "collaborators": "{username}",
		"installations": "{installation_id}", "orgs": "{org}", "teams": "{team_slug}", "memberships": "{username}",
		"members": "{username}", "users": "{username}", "tags": "{tag_sha}", "trees": "{tree_sha}", "blobs": "{file_sha}",
		"reactions": "{reaction_id}", "statuses": "{sha}", "repositories": "{repository_id}",
	}
	// routeRest: a collection whose parameter may hold slashes (refs,
	// file paths), so it takes the rest of the path but a final word.
	routeRest = map[string]string{
		"contents": "{path}", "commits": "{ref}", "ref": "{ref}", "refs": "{ref}", "compare": "{basehead}", "branches": "{branch}",
	}
	// routeWords are literal segments: the collections above and these.
	routeWords = map[string]bool{
		"app": true, "installation": true, "access_tokens": true, "files": true, "replies": true, "permission": true,
		"annotations": true, "git": true, "requested_reviewers": true, "merge": true, "events": true, "status": true,
		"rate_limit": true, "labels": true, "dismissals": true, "user": true, "graphql": true, "repos": true,
	}
)

func routeWord(s string) bool {
	_, param := routeParams[s]
	_, rest := routeRest[s]
	return routeWords[s] || param || rest
}

// routeTemplate turns a REST path (relative to the API base) into its
// template, e.g. /repos/acme/shop/pulls/7 → /repos/{owner}/{repo}/pulls/{pull_number}.
// A segment outside the vocabulary ends the template with {other}.
func routeTemplate(path string) string {
	if strings.HasSuffix(path, "/graphql") {
		return "/graphql" // GitHub Enterprise Server serves it beside the REST base path
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	var out []string
	if len(segs) >= 3 && segs[0] == "repos" {
		out, segs = []string{"repos", "{owner}", "{repo}"}, segs[3:]
	}
walk:
	for i := 0; i < len(segs); i++ {
		s := segs[i]
		if !routeWord(s) {
			out = append(out, "{other}")
			break
		}
		out = append(out, s)
		rest := segs[i+1:]
		switch {
		case len(rest) == 0:
		case routeRest[s] != "":
			out = append(out, routeRest[s])
			if last := rest[len(rest)-1]; len(rest) > 1 && routeWord(last) {
				out = append(out, last)
			}
			break walk
		case routeParams[s] != "" && !routeWord(rest[0]):
			out = append(out, routeParams[s])
			i++
		}
	}
	return "/" + strings.Join(out, "/")
}

type skewTracker struct{ nanos atomic.Int64 }

func (s *skewTracker) set(d time.Duration) { s.nanos.Store(int64(d)) }
func (s *skewTracker) get() time.Duration  { return time.Duration(s.nanos.Load()) }

// StatusCode is the HTTP status of a GitHub API error from go-github, or 0
// for any other error.
func StatusCode(err error) int {
	var e *github.ErrorResponse
	if errors.As(err, &e) && e.Response != nil {
		return e.Response.StatusCode
	}
	return 0
}
