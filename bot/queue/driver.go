package queue

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/wardenbot/warden/bot/store"
)

// riverClient is the part of *river.Client[TTx] the queue uses; it hides
// the transaction type, which differs between the two drivers.
type riverClient interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	JobCancel(ctx context.Context, jobID int64) (*rivertype.JobRow, error)
	JobGet(ctx context.Context, jobID int64) (*rivertype.JobRow, error)
	JobList(ctx context.Context, params *river.JobListParams) (*river.JobListResult, error)
}

// riverMigrationLockKey serialises River migrations of replicas starting
// together (rivermigrate itself takes no lock). Arbitrary, fixed.
const riverMigrationLockKey = 0x7269766572

// newRiverClient migrates River's tables and builds a client on the store's
// connection: the same *sql.DB (one connection) for SQLite, the pgx pool
// for PostgreSQL.
func newRiverClient(ctx context.Context, h store.Handle, cfg *river.Config) (riverClient, error) {
	switch h.Dialect {
	case store.SQLite:
		drv := riversqlite.New(h.DB)
		if err := migrateSQLite(ctx, drv, cfg); err != nil {
			return nil, err
		}
		return river.NewClient(drv, cfg)
	case store.Postgres:
		drv := riverpgxv5.New(h.Pool)
		cfg.Schema = h.Schema // also namespaces LISTEN/NOTIFY topics per schema
		if err := migratePostgres(ctx, h, drv, cfg); err != nil {
			return nil, err
		}
		return river.NewClient(drv, cfg)
	default:
		return nil, fmt.Errorf("queue: unsupported dialect %q", h.Dialect)
	}
}

// migrateSQLite applies River's migrations, one transaction per version.
// SQLite serves a single warden process, so no cross-process lock is taken.
func migrateSQLite(ctx context.Context, drv *riversqlite.Driver, cfg *river.Config) error {
	m, err := rivermigrate.New(drv, &rivermigrate.Config{Logger: cfg.Logger})
	if err != nil {
		return fmt.Errorf("queue: river migrator: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("queue: migrate river: %w", err)
	}
	return nil
}

func migratePostgres(ctx context.Context, h store.Handle, drv *riverpgxv5.Driver, cfg *river.Config) error {
	m, err := rivermigrate.New(drv, &rivermigrate.Config{Logger: cfg.Logger, Schema: cfg.Schema})
	if err != nil {
		return fmt.Errorf("queue: river migrator: %w", err)
	}
	// River's migrations cannot share one transaction (version 6 uses an
	// enum value version 4 adds), so hold a session lock on a connection of
	// our own while the migrator runs its per-version transactions.
	conn, err := h.Pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("queue: migrate river: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", riverMigrationLockKey); err != nil {
		return fmt.Errorf("queue: migrate river: lock: %w", err)
	}
	defer func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", riverMigrationLockKey)
	}()
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("queue: migrate river: %w", err)
	}
	return nil
}
