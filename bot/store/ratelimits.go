package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// RateLimits persists per-installation write pauses (GitHub secondary rate
// limits), so a restarted process keeps honouring them.
type RateLimits interface {
	// PauseWrites pauses the installation's writes until the given time. A
	// pause never shortens an existing one.
	PauseWrites(ctx context.Context, installationID int64, until time.Time) error
	// WritesPausedUntil returns when writes may resume; zero if not paused.
	WritesPausedUntil(ctx context.Context, installationID int64) (time.Time, error)
}

func (s *sqlStore) PauseWrites(ctx context.Context, installationID int64, until time.Time) error {
	_, err := s.exec(ctx, nil, `INSERT INTO write_pauses (installation_id, until_at) VALUES (?, ?)
		ON CONFLICT (installation_id) DO UPDATE SET until_at = excluded.until_at
		WHERE write_pauses.until_at < excluded.until_at`, installationID, until.UnixMilli())
	if err != nil {
		return fmt.Errorf("store: pause writes of installation %d: %w", installationID, err)
	}
	return nil
}

func (s *sqlStore) WritesPausedUntil(ctx context.Context, installationID int64) (time.Time, error) {
	var until int64
	err := s.db.QueryRowContext(ctx, s.q("SELECT until_at FROM write_pauses WHERE installation_id = ?"), installationID).Scan(&until)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("store: write pause of installation %d: %w", installationID, err)
	}
	if until <= s.nowMS() {
		return time.Time{}, nil
	}
	return msToTime(until), nil
}
