package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ScanHeads remembers the newest head enqueued for each PR, ordered by job
// id (River's ids ascend with insertion), so an older head's scan can tell
// it has been superseded.
type ScanHeads interface {
	// AdvanceHead records sha as the PR's head unless a later job (higher
	// jobID) already recorded one. It is idempotent.
	AdvanceHead(ctx context.Context, repoID int64, pr int, sha string, jobID int64) error
	// Superseded reports whether a later job recorded a different head.
	Superseded(ctx context.Context, repoID int64, pr int, sha string) (bool, error)
	// ReplaceHead is AdvanceHead that also returns the head it replaced
	// (zero when none, or when a later job already holds the PR), so the
	// queue can cancel exactly that job instead of searching for it.
	ReplaceHead(ctx context.Context, repoID int64, pr int, sha string, jobID int64) (prevSHA string, prevJobID int64, err error)
}

func (s *sqlStore) ReplaceHead(ctx context.Context, repoID int64, pr int, sha string, jobID int64) (string, int64, error) {
	var prevSHA string
	var prevJob int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.q("SELECT head_sha, job_id FROM scan_heads WHERE repo_id = ? AND pr = ?"), repoID, pr).Scan(&prevSHA, &prevJob)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if prevJob >= jobID {
			prevSHA, prevJob = "", 0 // a later job owns the PR; nothing to replace
			return nil
		}
		_, err = s.exec(ctx, tx, `INSERT INTO scan_heads (repo_id, pr, head_sha, job_id, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (repo_id, pr) DO UPDATE SET head_sha = excluded.head_sha, job_id = excluded.job_id, updated_at = excluded.updated_at
			WHERE scan_heads.job_id < excluded.job_id`, repoID, pr, sha, jobID, s.nowMS())
		return err
	})
	if err != nil {
		return "", 0, fmt.Errorf("store: replace head of %d#%d: %w", repoID, pr, err)
	}
	return prevSHA, prevJob, nil
}

func (s *sqlStore) AdvanceHead(ctx context.Context, repoID int64, pr int, sha string, jobID int64) error {
	_, err := s.exec(ctx, nil, `INSERT INTO scan_heads (repo_id, pr, head_sha, job_id, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (repo_id, pr) DO UPDATE SET head_sha = excluded.head_sha, job_id = excluded.job_id, updated_at = excluded.updated_at
		WHERE scan_heads.job_id < excluded.job_id`, repoID, pr, sha, jobID, s.nowMS())
	if err != nil {
		return fmt.Errorf("store: advance head of %d#%d: %w", repoID, pr, err)
	}
	return nil
}

func (s *sqlStore) Superseded(ctx context.Context, repoID int64, pr int, sha string) (bool, error) {
	var head string
	err := s.db.QueryRowContext(ctx, s.q("SELECT head_sha FROM scan_heads WHERE repo_id = ? AND pr = ?"), repoID, pr).Scan(&head)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: head of %d#%d: %w", repoID, pr, err)
	}
	return head != sha, nil
}
