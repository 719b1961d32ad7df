package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// FindingState is a finding's lifecycle on one PR.
type FindingState string

const (
	FindingOpen    FindingState = "open"
	FindingFixed   FindingState = "fixed"   // no longer reported at the latest head
	FindingIgnored FindingState = "ignored" // an active suppression covers it
)

// KindFindingReopened is audited when a fixed finding shows up again.
const KindFindingReopened = "finding.reopened"

// Finding is warden's memory of one fingerprint on one PR. CommentID is set
// once warden has commented on it, so it is never commented twice.
type Finding struct {
	RepoID        int64
	PR            int
	Fingerprint   string
	RuleID        string
	Path          string
	Line          int
	Severity      string
	FirstSeenScan int64
	FirstSeenSHA  string
	LastSeenScan  int64
	LastSeenSHA   string
	LastSeenAt    time.Time
	State         FindingState
	CommentID     int64
	ThreadNodeID  string
	Message       string // the scan's one-sentence message (secrets masked)
}

// Observation is one finding reported by a scan.
type Observation struct {
	Fingerprint string
	RuleID      string
	Path        string
	Line        int
	Severity    string
	Message     string
}

// ScanRef names the scan that made observations.
type ScanRef struct {
	ScanID  int64
	Repo    Repo
	PR      int
	HeadSHA string
}

// ObserveResult lists fingerprints whose state changed.
type ObserveResult struct {
	New       []string // first seen on this PR and not suppressed
	Reopened  []string // fixed before, reported again
	Fixed     []string // open or ignored before, not reported now
	Ignored   []string // now covered by a suppression
	Unignored []string // their suppression expired
}

// Findings tracks findings per (repository, PR).
type Findings interface {
	// ObserveFindings applies a complete scan result: inserts new
	// fingerprints, refreshes known ones, marks unreported ones fixed and
	// applies active suppressions. Every state change is audited.
	ObserveFindings(ctx context.Context, scan ScanRef, seen []Observation) (ObserveResult, error)
	// MarkCommented records warden's review comment on a finding. It
	// reports false (and changes nothing) when one was recorded already, and
	// ErrNotFound for a fingerprint never observed on the PR.
	MarkCommented(ctx context.Context, repo Repo, pr int, fingerprint string, commentID int64, threadNodeID string) (bool, error)
	Finding(ctx context.Context, repoID int64, pr int, fingerprint string) (Finding, error)
	Findings(ctx context.Context, repoID int64, pr int) ([]Finding, error)
}

const findingColumns = `repo_id, pr, fingerprint, rule_id, path, line, severity, first_seen_scan, first_seen_sha,
	last_seen_scan, last_seen_sha, last_seen_at, state, comment_id, thread_node_id, message`

func scanFinding(row rowScanner) (Finding, error) {
	var f Finding
	var state string
	var lastSeen int64
	if err := row.Scan(&f.RepoID, &f.PR, &f.Fingerprint, &f.RuleID, &f.Path, &f.Line, &f.Severity, &f.FirstSeenScan,
		&f.FirstSeenSHA, &f.LastSeenScan, &f.LastSeenSHA, &lastSeen, &state, &f.CommentID, &f.ThreadNodeID, &f.Message); err != nil {
		return Finding{}, notFound(err)
	}
	f.State, f.LastSeenAt = FindingState(state), msToTime(lastSeen)
	return f, nil
}

func (s *sqlStore) findingsTx(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, repoID int64, pr int) ([]Finding, error) {
	rows, err := q.QueryContext(ctx, s.q("SELECT "+findingColumns+" FROM findings WHERE repo_id = ? AND pr = ? ORDER BY path, line, fingerprint"), repoID, pr)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Finding
	for rows.Next() {
		f, err := scanFinding(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func (s *sqlStore) Findings(ctx context.Context, repoID int64, pr int) ([]Finding, error) {
	fs, err := s.findingsTx(ctx, s.db, repoID, pr)
	if err != nil {
		return nil, fmt.Errorf("store: findings of %d#%d: %w", repoID, pr, err)
	}
	return fs, nil
}

func (s *sqlStore) Finding(ctx context.Context, repoID int64, pr int, fingerprint string) (Finding, error) {
	f, err := scanFinding(s.db.QueryRowContext(ctx,
		s.q("SELECT "+findingColumns+" FROM findings WHERE repo_id = ? AND pr = ? AND fingerprint = ?"), repoID, pr, fingerprint))
	if err != nil {
		return Finding{}, fmt.Errorf("store: finding %s on %d#%d: %w", fingerprint, repoID, pr, err)
	}
	return f, nil
}

func (s *sqlStore) ObserveFindings(ctx context.Context, scan ScanRef, seen []Observation) (ObserveResult, error) {
	var res ObserveResult
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res = ObserveResult{}
		known, err := s.findingsTx(ctx, tx, scan.Repo.ID, scan.PR)
		if err != nil {
			return err
		}
		byFP := make(map[string]Finding, len(known))
		for _, f := range known {
			byFP[f.Fingerprint] = f
		}
		suppressed, err := s.activeSuppressedSet(ctx, tx, scan.Repo.ID, scan.PR)
		if err != nil {
			return err
		}
		now := s.nowMS()
		audit := func(kind, fp string, data map[string]any) error {
			data["scan_id"], data["head_sha"] = scan.ScanID, scan.HeadSHA
			_, err := s.appendAudit(ctx, tx, Event{Repo: scan.Repo, PR: scan.PR, Kind: kind, Actor: "warden", Subject: fp, Data: data})
			return err
		}
		reported := make(map[string]bool, len(seen))
		for _, o := range seen {
			if reported[o.Fingerprint] {
				continue // one finding per fingerprint, whatever the checks emit
			}
			reported[o.Fingerprint] = true
			state := FindingOpen
			if suppressed[o.Fingerprint] {
				state = FindingIgnored
			}
			prev, exists := byFP[o.Fingerprint]
			if !exists {
				if _, err := s.exec(ctx, tx, `INSERT INTO findings (`+findingColumns+`)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, '', ?)`,
					scan.Repo.ID, scan.PR, o.Fingerprint, o.RuleID, o.Path, o.Line, o.Severity, scan.ScanID, scan.HeadSHA,
					scan.ScanID, scan.HeadSHA, now, string(state), o.Message); err != nil {
					return fmt.Errorf("insert finding %s: %w", o.Fingerprint, err)
				}
				if state == FindingOpen {
					res.New = append(res.New, o.Fingerprint)
				} else {
					res.Ignored = append(res.Ignored, o.Fingerprint)
				}
				if err := audit(KindFindingFirstSeen, o.Fingerprint, map[string]any{
					"rule_id": o.RuleID, "path": o.Path, "line": o.Line, "severity": o.Severity, "state": state}); err != nil {
					return err
				}
				continue
			}
			if _, err := s.exec(ctx, tx, `UPDATE findings SET rule_id = ?, path = ?, line = ?, severity = ?, last_seen_scan = ?,
				last_seen_sha = ?, last_seen_at = ?, state = ?, message = ? WHERE repo_id = ? AND pr = ? AND fingerprint = ?`,
				o.RuleID, o.Path, o.Line, o.Severity, scan.ScanID, scan.HeadSHA, now, string(state), o.Message,
				scan.Repo.ID, scan.PR, o.Fingerprint); err != nil {
				return fmt.Errorf("update finding %s: %w", o.Fingerprint, err)
			}
			switch {
			case prev.State == state:
			case prev.State == FindingFixed && state == FindingOpen:
				res.Reopened = append(res.Reopened, o.Fingerprint)
				err = audit(KindFindingReopened, o.Fingerprint, map[string]any{"path": o.Path, "line": o.Line})
			case state == FindingIgnored:
				res.Ignored = append(res.Ignored, o.Fingerprint)
				err = audit(KindFindingIgnored, o.Fingerprint, map[string]any{"previous": prev.State})
			case prev.State == FindingIgnored:
				res.Unignored = append(res.Unignored, o.Fingerprint)
				err = audit(KindFindingUnignored, o.Fingerprint, map[string]any{"reason": "suppression expired or revoked"})
			}
			if err != nil {
				return err
			}
		}
		for _, f := range known {
			if reported[f.Fingerprint] || f.State == FindingFixed {
				continue
			}
			if _, err := s.exec(ctx, tx, "UPDATE findings SET state = ? WHERE repo_id = ? AND pr = ? AND fingerprint = ?",
				string(FindingFixed), scan.Repo.ID, scan.PR, f.Fingerprint); err != nil {
				return fmt.Errorf("fix finding %s: %w", f.Fingerprint, err)
			}
			res.Fixed = append(res.Fixed, f.Fingerprint)
			if err := audit(KindFindingFixed, f.Fingerprint, map[string]any{"previous": f.State}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return ObserveResult{}, fmt.Errorf("store: observe findings of scan %d: %w", scan.ScanID, err)
	}
	return res, nil
}

func (s *sqlStore) MarkCommented(ctx context.Context, repo Repo, pr int, fingerprint string, commentID int64, threadNodeID string) (bool, error) {
	first := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		r, err := s.exec(ctx, tx, `UPDATE findings SET comment_id = ?, thread_node_id = ?
			WHERE repo_id = ? AND pr = ? AND fingerprint = ? AND comment_id = 0`,
			commentID, threadNodeID, repo.ID, pr, fingerprint)
		if err != nil {
			return err
		}
		n, err := r.RowsAffected()
		if err != nil {
			return err
		}
		if n == 0 {
			var one int
			return notFound(tx.QueryRowContext(ctx, s.q("SELECT 1 FROM findings WHERE repo_id = ? AND pr = ? AND fingerprint = ?"),
				repo.ID, pr, fingerprint).Scan(&one))
		}
		first = true
		_, err = s.appendAudit(ctx, tx, Event{Repo: repo, PR: pr, Kind: KindFindingCommented, Actor: "warden", Subject: fingerprint,
			Data: map[string]any{"comment_id": commentID, "thread_node_id": threadNodeID}})
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: mark %s commented on %s#%d: %w", fingerprint, repo.FullName(), pr, err)
	}
	return first, nil
}
