package store

import (
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrNotFound is returned by lookups for a record that does not exist.
var ErrNotFound = errors.New("store: not found")

// Store is every capability of warden's database. Depend on the narrow
// interfaces instead where possible.
type Store interface {
	Deliveries
	Installations
	Scans
	Findings
	Suppressions
	Approvals
	CommandQuotas
	RateLimits
	Outbox
	Audit
	RepoLocks
	ScanHeads

	// Handle exposes the connection so the job queue can share it.
	Handle() Handle
	Close() error
}

// Dialect names the SQL database behind a Store.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Handle is the shared connection: River runs on the same database as the
// store. SQLite has exactly one connection (River and SQLite's single writer
// both require it), so everything goes through DB; PostgreSQL also exposes
// the pgx pool that River's pgx driver needs.
type Handle struct {
	Dialect Dialect
	DB      *sql.DB
	Pool    *pgxpool.Pool // nil for SQLite
	Schema  string        // PostgreSQL schema in use (current_schema()); "" for SQLite
}
