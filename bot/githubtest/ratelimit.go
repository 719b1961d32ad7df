package githubtest

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// RateLimit scripts an installation's primary rate limit.
type RateLimit struct {
	Limit     int
	Remaining int
	Reset     time.Time
	// ExceededStatus is the status once Remaining is 0: 403 (default) or 429.
	ExceededStatus int
}

type rateBucket struct {
	RateLimit
	contentTimes []time.Time
}

// Buckets that are not installations: the App's own (JWT) calls, and
// unauthenticated calls (60 per hour, like GitHub's per-IP limit).
const (
	appBucketID           = -1
	unauthenticatedBucket = -2
)

// SetRateLimit replaces an installation's primary rate-limit window.
func (s *Server) SetRateLimit(installationID int64, rl RateLimit) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rl.Limit == 0 {
		rl.Limit = s.opts.RateLimit
	}
	b := s.bucketLocked(installationID)
	b.RateLimit = rl
}

func (s *Server) bucketLocked(id int64) *rateBucket {
	b := s.st.ratelimits[id]
	now := s.nowLocked()
	if b == nil || !now.Before(b.Reset) {
		limit := s.opts.RateLimit
		if id == unauthenticatedBucket {
			limit = 60
		}
		if b != nil {
			limit = b.Limit
		}
		b = &rateBucket{RateLimit: RateLimit{Limit: limit, Remaining: limit, Reset: now.Add(time.Hour).Truncate(time.Second)}}
		s.st.ratelimits[id] = b
	}
	return b
}

func bucketID(c *call) int64 {
	switch {
	case c.tok != nil:
		return c.tok.installationID
	case c.route.auth == authApp:
		return appBucketID
	}
	return unauthenticatedBucket
}

// spendRateLimit charges one request, refusing it once the window is spent
// and applying the content-creation secondary limit when configured.
func (s *Server) spendRateLimit(c *call) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.bucketLocked(bucketID(c))
	if b.Remaining <= 0 {
		status := b.ExceededStatus
		if status == 0 {
			status = http.StatusForbidden
		}
		msg := "API rate limit exceeded for installation ID " + strconv.FormatInt(bucketID(c), 10) + "."
		return &apiError{Status: status, Message: msg, DocumentationURL: docsPrimaryRateLimit}
	}
	b.Remaining--
	if c.route.contentCreating && s.opts.ContentCreationPerMinute > 0 {
		now := s.nowLocked()
		kept := b.contentTimes[:0]
		for _, t := range b.contentTimes {
			if now.Sub(t) < time.Minute {
				kept = append(kept, t)
			}
		}
		b.contentTimes = kept
		if len(kept) >= s.opts.ContentCreationPerMinute {
			return secondaryLimitError(0)
		}
		b.contentTimes = append(b.contentTimes, now)
	}
	return nil
}

func secondaryLimitError(retryAfter time.Duration) *apiError {
	e := &apiError{Status: http.StatusForbidden, DocumentationURL: docsSecondaryRateLimit,
		Message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}
	if retryAfter > 0 {
		e.Header = http.Header{"Retry-After": {strconv.Itoa(int(retryAfter / time.Second))}}
	}
	return e
}

func (s *Server) writeRateHeaders(w http.ResponseWriter, c *call) {
	s.mu.Lock()
	b := s.bucketLocked(bucketID(c))
	rl := b.RateLimit
	s.mu.Unlock()
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(rl.Limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(rl.Remaining, 0)))
	h.Set("X-RateLimit-Used", strconv.Itoa(rl.Limit-max(rl.Remaining, 0)))
	h.Set("X-RateLimit-Reset", fmt.Sprint(rl.Reset.Unix()))
	h.Set("X-RateLimit-Resource", "core")
}
