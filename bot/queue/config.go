package queue

import (
	"log/slog"
	"time"
)

// Config tunes a Queue; zero fields take the defaults below.
type Config struct {
	// Workers is how many jobs this process runs at once. 0 makes an
	// insert-only queue (Start is then an error).
	Workers int
	// MaxBacklog is how many jobs may wait (available, or failed and
	// waiting to retry; snoozed jobs do not count) before Enqueue fails
	// with ErrBacklogFull. Default 1000.
	MaxBacklog int
	// MaxInstallationBacklog is the same bound for one installation, so
	// one organisation's flood cannot make another's webhooks fail.
	// Default 200.
	MaxInstallationBacklog int
	// MaxRunningPerInstallation is how many of this process's workers one
	// installation's jobs may hold at once. Default half the workers, at
	// least one.
	MaxRunningPerInstallation int
	// MaxAttempts before a failing job is discarded. Default 10.
	MaxAttempts int
	// RetryBase and RetryCap shape the backoff of failed jobs: base, 2×base,
	// 4×base … up to the cap, ±10% jitter. Defaults 1 s and 5 min.
	RetryBase, RetryCap time.Duration
	// JobTimeout cancels a job's context. Default 15 min.
	JobTimeout time.Duration
	// RescueStuckJobsAfter re-runs a job still "running" after this long,
	// which is how a job of a crashed process resumes. Must exceed
	// JobTimeout. Default JobTimeout + 5 min.
	RescueStuckJobsAfter time.Duration
	// RepoLockTTL is the repository lease of a running scan, renewed every
	// third of it; a crashed process's lease lapses after it. Default 2 min.
	RepoLockTTL time.Duration
	// RepoBusyRetry is how long a scan waits when its repository is busy.
	// Default 2 s (jittered).
	RepoBusyRetry time.Duration
	// PollInterval is how often workers look for jobs without a
	// notification. Default 1 s.
	PollInterval time.Duration
	// ReconcileEvery is how often a sweep for pull request heads warden
	// never reviewed is queued (ReconcileJob with no installation). Only
	// the replica elected leader queues it, and it runs once per period
	// whatever the number of replicas, plus once when a leader starts.
	// 0 queues none.
	ReconcileEvery time.Duration
	// ClientID names this process among River clients (default: random).
	ClientID string
	Logger   *slog.Logger
}

func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if c.MaxBacklog <= 0 {
		c.MaxBacklog = 1000
	}
	if c.MaxInstallationBacklog <= 0 {
		c.MaxInstallationBacklog = 200
	}
	if c.MaxRunningPerInstallation <= 0 {
		c.MaxRunningPerInstallation = max(1, c.Workers/2)
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 10
	}
	def(&c.RetryBase, time.Second)
	def(&c.RetryCap, 5*time.Minute)
	def(&c.JobTimeout, 15*time.Minute)
	def(&c.RescueStuckJobsAfter, c.JobTimeout+5*time.Minute)
	def(&c.RepoLockTTL, 2*time.Minute)
	def(&c.RepoBusyRetry, 2*time.Second)
	def(&c.PollInterval, time.Second)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}
