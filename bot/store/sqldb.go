package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// sqlStore implements Store over database/sql for both dialects. Queries are
// written once with ? placeholders and rebound for PostgreSQL.
type sqlStore struct {
	dialect Dialect
	db      *sql.DB
	pool    *pgxpool.Pool
	schema  string
	now     func() time.Time
}

var _ Store = (*sqlStore)(nil)

func (s *sqlStore) Handle() Handle {
	return Handle{Dialect: s.dialect, DB: s.db, Pool: s.pool, Schema: s.schema}
}

func (s *sqlStore) Close() error {
	err := s.db.Close()
	if s.pool != nil {
		s.pool.Close()
	}
	return err
}

// q rewrites ? placeholders to $1, $2, ... for PostgreSQL. Queries never
// contain a literal question mark.
func (s *sqlStore) q(query string) string {
	if s.dialect != Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// forUpdate locks selected rows in PostgreSQL; SQLite's immediate
// transactions already hold the database-wide write lock.
func (s *sqlStore) forUpdate() string {
	if s.dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

func (s *sqlStore) nowMS() int64 { return s.now().UnixMilli() }

// inTx runs fn in a transaction. Inside fn use only tx: with SQLite's single
// connection a query on s.db would wait for the transaction forever.
func (s *sqlStore) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (s *sqlStore) exec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if tx != nil {
		return tx.ExecContext(ctx, s.q(query), args...)
	}
	return s.db.ExecContext(ctx, s.q(query), args...)
}

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

func msToTime(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

func timeToMS(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}
