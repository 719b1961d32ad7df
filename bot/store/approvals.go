package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Approval is a `/warden approve` for one head of a PR and one set of
// sensitive paths: a new push or a different set of paths needs a new one.
type Approval struct {
	ID          int64
	Repo        Repo
	PR          int
	HeadSHA     string
	PathsDigest string
	By          string
	Note        string
	CreatedAt   time.Time
}

// Approvals records approvals; each new one is audited.
type Approvals interface {
	// Approve records an approval. Approving the same key twice by the same
	// person returns the first approval and reports created == false.
	Approve(ctx context.Context, a Approval) (Approval, bool, error)
	// ApprovalsFor lists approvals for exactly this head and paths digest.
	ApprovalsFor(ctx context.Context, repoID int64, pr int, headSHA, pathsDigest string) ([]Approval, error)
}

func (s *sqlStore) Approve(ctx context.Context, a Approval) (Approval, bool, error) {
	if a.By == "" || a.HeadSHA == "" {
		return Approval{}, false, fmt.Errorf("%w: approval needs a head sha and who approved", ErrInvalid)
	}
	created := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.nowMS()
		res, err := s.exec(ctx, tx, `INSERT INTO approvals (repo_id, pr, head_sha, paths_digest, approved_by, note, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (repo_id, pr, head_sha, paths_digest, approved_by) DO NOTHING`,
			a.Repo.ID, a.PR, a.HeadSHA, a.PathsDigest, a.By, a.Note, now)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		var at int64
		if err := tx.QueryRowContext(ctx, s.q(`SELECT id, note, created_at FROM approvals
			WHERE repo_id = ? AND pr = ? AND head_sha = ? AND paths_digest = ? AND approved_by = ?`),
			a.Repo.ID, a.PR, a.HeadSHA, a.PathsDigest, a.By).Scan(&a.ID, &a.Note, &at); err != nil {
			return err
		}
		a.CreatedAt = msToTime(at)
		if n == 0 {
			return nil
		}
		created = true
		_, err = s.appendAudit(ctx, tx, Event{Repo: a.Repo, PR: a.PR, Kind: KindApproval, Actor: a.By, Subject: a.HeadSHA,
			Data: map[string]any{"paths_digest": a.PathsDigest, "note": a.Note, "approval_id": a.ID}})
		return err
	})
	if err != nil {
		return Approval{}, false, fmt.Errorf("store: approve %s#%d@%s: %w", a.Repo.FullName(), a.PR, a.HeadSHA, err)
	}
	return a, created, nil
}

func (s *sqlStore) ApprovalsFor(ctx context.Context, repoID int64, pr int, headSHA, pathsDigest string) ([]Approval, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, approved_by, note, created_at FROM approvals
		WHERE repo_id = ? AND pr = ? AND head_sha = ? AND paths_digest = ? ORDER BY id`), repoID, pr, headSHA, pathsDigest)
	if err != nil {
		return nil, fmt.Errorf("store: approvals of %d#%d: %w", repoID, pr, err)
	}
	defer rows.Close()
	var out []Approval
	for rows.Next() {
		a := Approval{Repo: Repo{ID: repoID}, PR: pr, HeadSHA: headSHA, PathsDigest: pathsDigest}
		var at int64
		if err := rows.Scan(&a.ID, &a.By, &a.Note, &at); err != nil {
			return nil, fmt.Errorf("store: approvals of %d#%d: %w", repoID, pr, err)
		}
		a.CreatedAt = msToTime(at)
		out = append(out, a)
	}
	return out, rows.Err()
}
