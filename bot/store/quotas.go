package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// CommandQuotas bound what comments can make warden do, in the database so
// that every replica counts the same uses.
type CommandQuotas interface {
	// TakeQuota uses one of limit uses of key in a fixed window that starts
	// at the first use. It reports false, using nothing, when none is left,
	// and when the window ends either way.
	TakeQuota(ctx context.Context, key string, limit int, window time.Duration) (ok bool, resetAt time.Time, err error)
	// PendingRescan is the rescan recorded as waiting for the pull request:
	// its head and queue job; zero values when none was recorded.
	PendingRescan(ctx context.Context, repoID int64, pr int) (headSHA string, jobID int64, err error)
	// SetPendingRescan records the pull request's waiting rescan, replacing
	// any earlier one.
	SetPendingRescan(ctx context.Context, repoID int64, pr int, headSHA string, jobID int64) error
}

// quotaRetention is how long a finished window is kept; no quota window is
// longer.
const quotaRetention = 24 * time.Hour

func (s *sqlStore) TakeQuota(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Time, error) {
	if key == "" || limit <= 0 || window <= 0 || window > quotaRetention {
		return false, time.Time{}, fmt.Errorf("%w: quota %q of %d per %s", ErrInvalid, key, limit, window)
	}
	now := s.nowMS()
	expired := now - window.Milliseconds()
	var used int
	var start int64
	// One statement, so that concurrent replicas cannot both take the last
	// use: an expired window restarts at 1, a live one counts up to one past
	// its limit and stays there.
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, s.q(`INSERT INTO command_quotas (quota_key, window_start, used) VALUES (?, ?, 1)
			ON CONFLICT (quota_key) DO UPDATE SET
				window_start = CASE WHEN command_quotas.window_start <= ? THEN excluded.window_start ELSE command_quotas.window_start END,
				used = CASE WHEN command_quotas.window_start <= ? THEN 1
					WHEN command_quotas.used <= ? THEN command_quotas.used + 1 ELSE command_quotas.used END
			RETURNING used, window_start`), key, now, expired, expired, limit).Scan(&used, &start); err != nil {
			return err
		}
		_, err := s.exec(ctx, tx, "DELETE FROM command_quotas WHERE window_start < ?", now-quotaRetention.Milliseconds())
		return err
	})
	if err != nil {
		return false, time.Time{}, fmt.Errorf("store: quota %s: %w", key, err)
	}
	return used <= limit, msToTime(start + window.Milliseconds()), nil
}

func (s *sqlStore) PendingRescan(ctx context.Context, repoID int64, pr int) (string, int64, error) {
	var head string
	var job int64
	err := s.db.QueryRowContext(ctx, s.q("SELECT head_sha, job_id FROM pending_rescans WHERE repo_id = ? AND pr = ?"), repoID, pr).Scan(&head, &job)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, nil
	}
	if err != nil {
		return "", 0, fmt.Errorf("store: pending rescan of %d#%d: %w", repoID, pr, err)
	}
	return head, job, nil
}

func (s *sqlStore) SetPendingRescan(ctx context.Context, repoID int64, pr int, headSHA string, jobID int64) error {
	_, err := s.exec(ctx, nil, `INSERT INTO pending_rescans (repo_id, pr, head_sha, job_id, asked_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (repo_id, pr) DO UPDATE SET head_sha = excluded.head_sha, job_id = excluded.job_id, asked_at = excluded.asked_at`,
		repoID, pr, headSHA, jobID, s.nowMS())
	if err != nil {
		return fmt.Errorf("store: pending rescan of %d#%d: %w", repoID, pr, err)
	}
	return nil
}
