package queue

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Handlers are implemented by the bot; the queue calls them from workers.
type ScanHandler interface {
	HandleScan(ctx context.Context, job ScanJob) error
}

type CommandHandler interface {
	HandleCommand(ctx context.Context, job CommandJob) error
}

type ReconcileHandler interface {
	HandleReconcile(ctx context.Context, job ReconcileJob) error
}

// Handlers groups the handlers a working queue needs.
type Handlers struct {
	Scan      ScanHandler
	Command   CommandHandler
	Reconcile ReconcileHandler
}

// What a handler returns decides what happens to the job:
//
//	nil                  completed
//	RetryAt(t, err)      run again at t; no attempt consumed (e.g. 422 "No commit found")
//	&RateLimitedError{}  pause the installation's writes until Until (persisted), then run again; no attempt consumed
//	Permanent(err)       cancelled, never retried (uninstalled, suspended, invalid)
//	ErrSuperseded        cancelled: a newer head exists
//	any other error      retried with backoff until MaxAttempts, then discarded
var (
	// ErrSuperseded reports that a newer head of the PR was enqueued.
	ErrSuperseded = errors.New("queue: superseded by a newer head")
	// ErrInactive reports a suspended or deleted installation, or a removed repository.
	ErrInactive = errors.New("queue: installation or repository is no longer active")
	// ErrBacklogFull is returned by Enqueue when too many jobs wait.
	ErrBacklogFull = errors.New("queue: backlog full")
)

// RateLimitedError pauses the job's whole installation until Until, for
// GitHub's Retry-After or x-ratelimit-reset.
type RateLimitedError struct {
	Until time.Time
	Err   error
}

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("rate limited until %s: %v", e.Until.Format(time.RFC3339), e.Err)
}
func (e *RateLimitedError) Unwrap() error { return e.Err }

type retryAtError struct {
	at  time.Time
	err error
}

func (e *retryAtError) Error() string {
	return fmt.Sprintf("retry at %s: %v", e.at.Format(time.RFC3339), e.err)
}
func (e *retryAtError) Unwrap() error { return e.err }

// RetryAt asks for the job to run again at t without consuming an attempt.
func RetryAt(t time.Time, err error) error { return &retryAtError{at: t, err: err} }

type permanentError struct{ err error }

func (e *permanentError) Error() string { return "permanent: " + e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks err as not worth retrying.
func Permanent(err error) error { return &permanentError{err: err} }
