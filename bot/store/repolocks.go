package store

import (
	"context"
	"fmt"
	"time"
)

// RepoLocks are leases that serialise work on one repository across all
// workers and processes. A lease expires, so a crashed holder cannot block
// the repository for longer than its TTL.
type RepoLocks interface {
	// TryLockRepo takes or renews the lease for holder. It fails (false)
	// while another holder's lease is unexpired; the same holder may take it
	// again (a rescued job keeps its id).
	TryLockRepo(ctx context.Context, repoID int64, holder string, ttl time.Duration) (bool, error)
	// UnlockRepo releases the lease if holder still has it.
	UnlockRepo(ctx context.Context, repoID int64, holder string) error
}

func (s *sqlStore) TryLockRepo(ctx context.Context, repoID int64, holder string, ttl time.Duration) (bool, error) {
	now := s.nowMS()
	res, err := s.exec(ctx, nil, `INSERT INTO repo_locks (repo_id, holder, expires_at) VALUES (?, ?, ?)
		ON CONFLICT (repo_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
		WHERE repo_locks.holder = excluded.holder OR repo_locks.expires_at <= ?`,
		repoID, holder, now+ttl.Milliseconds(), now)
	if err != nil {
		return false, fmt.Errorf("store: lock repository %d: %w", repoID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: lock repository %d: %w", repoID, err)
	}
	return n == 1, nil
}

func (s *sqlStore) UnlockRepo(ctx context.Context, repoID int64, holder string) error {
	if _, err := s.exec(ctx, nil, "DELETE FROM repo_locks WHERE repo_id = ? AND holder = ?", repoID, holder); err != nil {
		return fmt.Errorf("store: unlock repository %d: %w", repoID, err)
	}
	return nil
}
