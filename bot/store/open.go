package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Option adjusts Open.
type Option func(*options)

type options struct {
	now func() time.Time
}

// WithClock replaces time.Now, for tests of expiry and pruning.
func WithClock(now func() time.Time) Option {
	return func(o *options) { o.now = now }
}

// Open connects to url, applies pending migrations and returns the Store.
//
//	sqlite://warden.db            a file relative to the working directory
//	sqlite:///var/lib/warden.db   an absolute path
//	postgres://user@host/db?...   PostgreSQL (postgresql:// also accepted)
func Open(ctx context.Context, rawURL string, opts ...Option) (Store, error) {
	o := options{now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	var (
		s   *sqlStore
		err error
	)
	switch {
	case strings.HasPrefix(rawURL, "sqlite://"):
		s, err = openSQLite(strings.TrimPrefix(rawURL, "sqlite://"))
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		s, err = openPostgres(ctx, rawURL)
	default:
		return nil, fmt.Errorf("store: unsupported database URL scheme in %q (want sqlite:// or postgres://)", redact(rawURL))
	}
	if err != nil {
		return nil, err
	}
	s.now = o.now
	if err := s.migrate(ctx); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

func openSQLite(path string) (*sqlStore, error) {
	if path == "" {
		return nil, fmt.Errorf("store: sqlite URL has no path")
	}
	// WAL lets readers proceed during a write; busy_timeout rides out another
	// process's write lock; immediate transactions take the write lock at
	// BEGIN so two writers never deadlock upgrading a read lock.
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	// One connection: SQLite has one writer, and River's SQLite driver
	// returns SQLITE_BUSY under concurrent connections.
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	db.SetConnMaxLifetime(0)
	if err := db.Ping(); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	return &sqlStore{dialect: SQLite, db: db}, nil
}

func openPostgres(ctx context.Context, rawURL string) (*sqlStore, error) {
	cfg, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("store: parse postgres URL %s: %w", redact(rawURL), err)
	}
	if !strings.Contains(rawURL, "pool_max_conns") {
		// pgx defaults to max(4, CPUs); webhook intake, workers and the
		// queue's own maintenance share the pool, and each delivery is a
		// few short transactions, so a small machine needs more.
		cfg.MaxConns = 16
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: connect postgres %s: %w", redact(rawURL), err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: connect postgres %s: %w", redact(rawURL), err)
	}
	var schema string
	if err := pool.QueryRow(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: postgres current_schema: %w", err)
	}
	return &sqlStore{dialect: Postgres, db: stdlib.OpenDBFromPool(pool), pool: pool, schema: schema}, nil
}

// redact drops the password from a database URL before it reaches an error.
func redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "<unparseable URL>"
	}
	return u.Redacted()
}
