// Package queue runs warden's durable jobs on River, in the same database as
// bot/store: riversqlite for SQLite, riverpgxv5 for PostgreSQL.
//
// What it guarantees, on both databases:
//   - Enqueue returns only after the job is committed, and fails with
//     ErrBacklogFull when too many jobs wait (the webhook answers 503).
//   - One scan per (repository, PR, head sha): repeated events for a head are
//     deduplicated by River's unique jobs; a newer head cancels the older
//     head's queued or running scans, and Superseded tells a running scan
//     to drop its output.
//   - At most one scan per repository runs at a time, across all workers and
//     processes (a lease in the store; River's open-source edition has no
//     partitioned concurrency limits).
//   - Jobs survive crashes (River's rescuer re-runs a job whose process died),
//     retry transient errors with capped exponential backoff, wait out rate
//     limits without spending attempts, and stop for good on permanent errors
//     or suspended/uninstalled installations.
package queue
