package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Approval is a `/warden approve` of one approval rule for one head of a
// PR: a new push, or a rule that changed (its digest), needs a new one.
type Approval struct {
	ID      int64
	Repo    Repo
	PR      int
	HeadSHA string
	// BaseSHA is the base the approval was given at (the configuration the
	// rule came from), for the record.
	BaseSHA string
	// PathsDigest identifies the rule and the files it covered
	// (config.TouchedRule.Digest).
	PathsDigest string
	// Team is the approver the rule required ("acme/security", "write",
	// "admin"): a scan counts the approval only if the rule still asks for
	// the same approver.
	Team      string
	By        string
	Note      string
	CreatedAt time.Time
}

// Push is a head a pull request moved to: who moved it (the sender of the
// pull_request event) and when warden heard of it.
type Push struct {
	Repo       Repo
	PR         int
	HeadSHA    string
	Pusher     string
	Event      string // "opened", "synchronize", "reopened"
	DeliveryID string
	At         time.Time // zero: now
}

// Approvals records approvals, each audited, and the pushes that decide
// who counts as an author and which head a comment saw.
type Approvals interface {
	// Approve records an approval. Approving the same key twice by the same
	// person returns the first approval and reports created == false.
	Approve(ctx context.Context, a Approval) (Approval, bool, error)
	// ApprovalsFor lists approvals for exactly this head and rule digest.
	ApprovalsFor(ctx context.Context, repoID int64, pr int, headSHA, pathsDigest string) ([]Approval, error)
	// RecordPush remembers a head of a pull request; a delivery recorded
	// before is not recorded again.
	RecordPush(ctx context.Context, p Push) error
	// Pushes lists the pull request's recorded heads, oldest first.
	Pushes(ctx context.Context, repoID int64, pr int) ([]Push, error)
}

func (s *sqlStore) Approve(ctx context.Context, a Approval) (Approval, bool, error) {
	if a.By == "" || a.HeadSHA == "" {
		return Approval{}, false, fmt.Errorf("%w: approval needs a head sha and who approved", ErrInvalid)
	}
	created := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.nowMS()
		res, err := s.exec(ctx, tx, `INSERT INTO approvals (repo_id, pr, head_sha, base_sha, paths_digest, team, approved_by, note, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (repo_id, pr, head_sha, paths_digest, approved_by) DO NOTHING`,
			a.Repo.ID, a.PR, a.HeadSHA, a.BaseSHA, a.PathsDigest, a.Team, a.By, a.Note, now)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		var at int64
		if err := tx.QueryRowContext(ctx, s.q(`SELECT id, base_sha, team, note, created_at FROM approvals
			WHERE repo_id = ? AND pr = ? AND head_sha = ? AND paths_digest = ? AND approved_by = ?`),
			a.Repo.ID, a.PR, a.HeadSHA, a.PathsDigest, a.By).Scan(&a.ID, &a.BaseSHA, &a.Team, &a.Note, &at); err != nil {
			return err
		}
		a.CreatedAt = msToTime(at)
		if n == 0 {
			return nil
		}
		created = true
		_, err = s.appendAudit(ctx, tx, Event{Repo: a.Repo, PR: a.PR, Kind: KindApproval, Actor: a.By, Subject: a.HeadSHA,
			Data: map[string]any{"paths_digest": a.PathsDigest, "base_sha": a.BaseSHA, "team": a.Team, "note": a.Note, "approval_id": a.ID}})
		return err
	})
	if err != nil {
		return Approval{}, false, fmt.Errorf("store: approve %s#%d@%s: %w", a.Repo.FullName(), a.PR, a.HeadSHA, err)
	}
	return a, created, nil
}

func (s *sqlStore) ApprovalsFor(ctx context.Context, repoID int64, pr int, headSHA, pathsDigest string) ([]Approval, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, base_sha, team, approved_by, note, created_at FROM approvals
		WHERE repo_id = ? AND pr = ? AND head_sha = ? AND paths_digest = ? ORDER BY id`), repoID, pr, headSHA, pathsDigest)
	if err != nil {
		return nil, fmt.Errorf("store: approvals of %d#%d: %w", repoID, pr, err)
	}
	defer rows.Close()
	var out []Approval
	for rows.Next() {
		a := Approval{Repo: Repo{ID: repoID}, PR: pr, HeadSHA: headSHA, PathsDigest: pathsDigest}
		var at int64
		if err := rows.Scan(&a.ID, &a.BaseSHA, &a.Team, &a.By, &a.Note, &at); err != nil {
			return nil, fmt.Errorf("store: approvals of %d#%d: %w", repoID, pr, err)
		}
		a.CreatedAt = msToTime(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

func (s *sqlStore) RecordPush(ctx context.Context, p Push) error {
	if p.HeadSHA == "" || p.PR == 0 {
		return fmt.Errorf("%w: a push needs a pull request and a head sha", ErrInvalid)
	}
	at := timeToMS(p.At)
	if at == 0 {
		at = s.nowMS()
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if p.DeliveryID != "" {
			var n int
			if err := tx.QueryRowContext(ctx, s.q("SELECT COUNT(*) FROM pr_pushes WHERE repo_id = ? AND delivery_id = ?"),
				p.Repo.ID, p.DeliveryID).Scan(&n); err != nil || n > 0 {
				return err
			}
		}
		_, err := s.exec(ctx, tx, `INSERT INTO pr_pushes (repo_id, pr, head_sha, pusher, event, delivery_id, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			p.Repo.ID, p.PR, p.HeadSHA, p.Pusher, p.Event, p.DeliveryID, at)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: record push to %s#%d: %w", p.Repo.FullName(), p.PR, err)
	}
	return nil
}

func (s *sqlStore) Pushes(ctx context.Context, repoID int64, pr int) ([]Push, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT head_sha, pusher, event, delivery_id, seen_at FROM pr_pushes
		WHERE repo_id = ? AND pr = ? ORDER BY seen_at, id`), repoID, pr)
	if err != nil {
		return nil, fmt.Errorf("store: pushes to %d#%d: %w", repoID, pr, err)
	}
	defer rows.Close()
	var out []Push
	for rows.Next() {
		p := Push{Repo: Repo{ID: repoID}, PR: pr}
		var at int64
		if err := rows.Scan(&p.HeadSHA, &p.Pusher, &p.Event, &p.DeliveryID, &at); err != nil {
			return nil, fmt.Errorf("store: pushes to %d#%d: %w", repoID, pr, err)
		}
		p.At = msToTime(at)
		out = append(out, p)
	}
	return out, rows.Err()
}
