// Package store keeps warden's state and its audit trail: webhook deliveries,
// installations, scans, findings, suppressions, approvals, rate-limit pauses,
// the GitHub write-intent outbox and a hash-chained audit log.
//
// One implementation serves SQLite (single process, the default) and
// PostgreSQL (several `warden serve` replicas). Callers depend on the narrow
// interfaces (Deliveries, Scans, Findings, ...) rather than on Store.
//
// Times are stored as Unix milliseconds (UTC) in both dialects so that
// comparisons and the audit hash encoding are identical everywhere.
package store
