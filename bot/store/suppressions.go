package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// SuppressionKind says why a finding is ignored.
type SuppressionKind string

const (
	FalsePositive SuppressionKind = "false-positive"
	AcceptedRisk  SuppressionKind = "accepted-risk"
	TestCode      SuppressionKind = "test-code"
)

// ErrInvalid reports a record that fails validation.
var ErrInvalid = errors.New("store: invalid")

// Suppression ignores one fingerprint on one pull request, or in every
// pull request of a repository.
type Suppression struct {
	ID          int64
	Repo        Repo
	PR          int // 0: every pull request of the repository
	Fingerprint string
	Kind        SuppressionKind
	Reason      string
	By          string
	CreatedAt   time.Time
	ExpiresAt   time.Time // zero: never
	RevokedBy   string
	RevokedAt   time.Time
}

// ActiveAt reports whether the suppression applies at t.
func (sp Suppression) ActiveAt(t time.Time) bool {
	return sp.RevokedAt.IsZero() && (sp.ExpiresAt.IsZero() || t.Before(sp.ExpiresAt))
}

// Suppressions manages `/warden ignore` and `/warden unignore`. A pr of 0
// means the repository-wide scope; any other pr means that pull request,
// where its own suppressions and the repository-wide ones apply.
type Suppressions interface {
	// Suppress records a suppression and marks matching open findings in
	// its scope ignored; both are audited.
	Suppress(ctx context.Context, sp Suppression) (Suppression, error)
	// Unignore revokes the fingerprint's active suppressions of exactly
	// this scope and reopens the ignored findings nothing else covers.
	// ErrNotFound when the scope had none.
	Unignore(ctx context.Context, repo Repo, pr int, fingerprint, by string) error
	// ActiveSuppression is the newest suppression in force on pr, or
	// ErrNotFound.
	ActiveSuppression(ctx context.Context, repoID int64, pr int, fingerprint string) (Suppression, error)
	// ActiveSuppressions lists the suppressions in force on pr.
	ActiveSuppressions(ctx context.Context, repoID int64, pr int) ([]Suppression, error)
	// ObservedFinding is the most recently seen record of a fingerprint on
	// any pull request of the repository, or ErrNotFound when warden never
	// reported it there.
	ObservedFinding(ctx context.Context, repoID int64, fingerprint string) (Finding, error)
}

func (k SuppressionKind) valid() bool {
	return k == FalsePositive || k == AcceptedRisk || k == TestCode
}

func (s *sqlStore) Suppress(ctx context.Context, sp Suppression) (Suppression, error) {
	switch {
	case !sp.Kind.valid():
		return Suppression{}, fmt.Errorf("%w: suppression kind %q (want false-positive, accepted-risk or test-code)", ErrInvalid, sp.Kind)
	case sp.Fingerprint == "" || sp.By == "" || sp.Reason == "":
		return Suppression{}, fmt.Errorf("%w: suppression needs a fingerprint, a reason and who asked", ErrInvalid)
	}
	now := s.nowMS()
	sp.CreatedAt, sp.RevokedAt, sp.RevokedBy = msToTime(now), time.Time{}, ""
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, s.q(`INSERT INTO suppressions (repo_id, pr, fingerprint, kind, reason, created_by, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			sp.Repo.ID, sp.PR, sp.Fingerprint, string(sp.Kind), sp.Reason, sp.By, now, timeToMS(sp.ExpiresAt)).Scan(&sp.ID); err != nil {
			return err
		}
		data := map[string]any{"kind": sp.Kind, "reason": sp.Reason, "suppression_id": sp.ID, "scope": scopeName(sp.PR)}
		if !sp.ExpiresAt.IsZero() {
			data["expires_at"] = sp.ExpiresAt.UTC().Format(time.RFC3339)
		}
		if _, err := s.appendAudit(ctx, tx, Event{Repo: sp.Repo, PR: sp.PR, Kind: KindSuppressionCreated, Actor: sp.By, Subject: sp.Fingerprint, Data: data}); err != nil {
			return err
		}
		return s.moveFindings(ctx, tx, sp.Repo, sp.PR, sp.Fingerprint, FindingOpen, FindingIgnored, KindFindingIgnored, sp.By)
	})
	if err != nil {
		return Suppression{}, fmt.Errorf("store: suppress %s in %s: %w", sp.Fingerprint, sp.Repo.FullName(), err)
	}
	return sp, nil
}

// scopeName is how the audit trail names a suppression's scope.
func scopeName(pr int) string {
	if pr == 0 {
		return "repository"
	}
	return "pull_request"
}

func (s *sqlStore) Unignore(ctx context.Context, repo Repo, pr int, fingerprint, by string) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.nowMS()
		res, err := s.exec(ctx, tx, `UPDATE suppressions SET revoked_by = ?, revoked_at = ?
			WHERE repo_id = ? AND pr = ? AND fingerprint = ? AND revoked_at = 0 AND (expires_at = 0 OR expires_at > ?)`,
			by, now, repo.ID, pr, fingerprint, now)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		if _, err := s.appendAudit(ctx, tx, Event{Repo: repo, PR: pr, Kind: KindSuppressionRevoked, Actor: by, Subject: fingerprint,
			Data: map[string]any{"revoked": n, "scope": scopeName(pr)}}); err != nil {
			return err
		}
		return s.moveFindings(ctx, tx, repo, pr, fingerprint, FindingIgnored, FindingOpen, KindFindingUnignored, by)
	})
	if err != nil {
		return fmt.Errorf("store: unignore %s in %s: %w", fingerprint, repo.FullName(), err)
	}
	return nil
}

// moveFindings changes the state of the fingerprint's findings in a scope
// (one PR, or every PR of the repository when scope is 0) and audits each
// change. A finding is reopened only when no suppression still covers it
// (a repository-wide one, or its PR's own).
func (s *sqlStore) moveFindings(ctx context.Context, tx *sql.Tx, repo Repo, scope int, fingerprint string, from, to FindingState, kind, actor string) error {
	query, args := "SELECT pr FROM findings WHERE repo_id = ? AND fingerprint = ? AND state = ?", []any{repo.ID, fingerprint, string(from)}
	if scope != 0 {
		query, args = query+" AND pr = ?", append(args, scope)
	}
	rows, err := tx.QueryContext(ctx, s.q(query+" ORDER BY pr"), args...)
	if err != nil {
		return err
	}
	var prs []int
	for rows.Next() {
		var pr int
		if err := rows.Scan(&pr); err != nil {
			_ = rows.Close()
			return err
		}
		prs = append(prs, pr)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, pr := range prs {
		if to == FindingOpen {
			still, err := s.activeSuppressedSet(ctx, tx, repo.ID, pr)
			if err != nil {
				return err
			}
			if still[fingerprint] {
				continue
			}
		}
		if _, err := s.exec(ctx, tx, "UPDATE findings SET state = ? WHERE repo_id = ? AND pr = ? AND fingerprint = ?",
			string(to), repo.ID, pr, fingerprint); err != nil {
			return err
		}
		if _, err := s.appendAudit(ctx, tx, Event{Repo: repo, PR: pr, Kind: kind, Actor: actor, Subject: fingerprint,
			Data: map[string]any{"previous": from}}); err != nil {
			return err
		}
	}
	return nil
}

const suppressionColumns = "id, repo_id, pr, fingerprint, kind, reason, created_by, created_at, expires_at, revoked_by, revoked_at"

func scanSuppression(row rowScanner) (Suppression, error) {
	var sp Suppression
	var kind string
	var created, expires, revoked int64
	if err := row.Scan(&sp.ID, &sp.Repo.ID, &sp.PR, &sp.Fingerprint, &kind, &sp.Reason, &sp.By, &created, &expires, &sp.RevokedBy, &revoked); err != nil {
		return Suppression{}, notFound(err)
	}
	sp.Kind = SuppressionKind(kind)
	sp.CreatedAt, sp.ExpiresAt, sp.RevokedAt = msToTime(created), msToTime(expires), msToTime(revoked)
	return sp, nil
}

// activeSuppressionWhere selects what is in force on a PR: its own
// suppressions and the repository-wide ones (pr 0). Arguments: repo id, pr,
// now.
const activeSuppressionWhere = "repo_id = ? AND (pr = 0 OR pr = ?) AND revoked_at = 0 AND (expires_at = 0 OR expires_at > ?)"

func (s *sqlStore) ActiveSuppression(ctx context.Context, repoID int64, pr int, fingerprint string) (Suppression, error) {
	sp, err := scanSuppression(s.db.QueryRowContext(ctx, s.q("SELECT "+suppressionColumns+" FROM suppressions WHERE "+
		activeSuppressionWhere+" AND fingerprint = ? ORDER BY id DESC LIMIT 1"), repoID, pr, s.nowMS(), fingerprint))
	if err != nil {
		return Suppression{}, fmt.Errorf("store: suppression of %s in %d#%d: %w", fingerprint, repoID, pr, err)
	}
	return sp, nil
}

func (s *sqlStore) ActiveSuppressions(ctx context.Context, repoID int64, pr int) ([]Suppression, error) {
	rows, err := s.db.QueryContext(ctx, s.q("SELECT "+suppressionColumns+" FROM suppressions WHERE "+
		activeSuppressionWhere+" ORDER BY id"), repoID, pr, s.nowMS())
	if err != nil {
		return nil, fmt.Errorf("store: suppressions of %d: %w", repoID, err)
	}
	defer rows.Close()
	var out []Suppression
	for rows.Next() {
		sp, err := scanSuppression(rows)
		if err != nil {
			return nil, fmt.Errorf("store: suppressions of %d: %w", repoID, err)
		}
		out = append(out, sp)
	}
	return out, rows.Err()
}

func (s *sqlStore) ObservedFinding(ctx context.Context, repoID int64, fingerprint string) (Finding, error) {
	f, err := scanFinding(s.db.QueryRowContext(ctx, s.q("SELECT "+findingColumns+
		" FROM findings WHERE repo_id = ? AND fingerprint = ? ORDER BY last_seen_at DESC, pr DESC LIMIT 1"), repoID, fingerprint))
	if err != nil {
		return Finding{}, fmt.Errorf("store: finding %s in %d: %w", fingerprint, repoID, err)
	}
	return f, nil
}

// activeSuppressedSet is the fingerprints suppressed on a PR.
func (s *sqlStore) activeSuppressedSet(ctx context.Context, tx *sql.Tx, repoID int64, pr int) (map[string]bool, error) {
	rows, err := tx.QueryContext(ctx, s.q("SELECT fingerprint FROM suppressions WHERE "+activeSuppressionWhere), repoID, pr, s.nowMS())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	set := map[string]bool{}
	for rows.Next() {
		var fp string
		if err := rows.Scan(&fp); err != nil {
			return nil, err
		}
		set[fp] = true
	}
	return set, rows.Err()
}
