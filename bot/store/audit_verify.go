package store

import (
	"context"
	"fmt"
)

// VerifyReport is the result of walking one chain.
type VerifyReport struct {
	RepoID  int64
	Records int  // records checked
	OK      bool // every link holds
	// BrokenID is the id of the first record that fails (0 when OK, or when
	// the break is a missing tail, reported against the head).
	BrokenID int64
	Reason   string
}

func (v VerifyReport) String() string {
	if v.OK {
		return fmt.Sprintf("repository %d: %d records, chain intact", v.RepoID, v.Records)
	}
	return fmt.Sprintf("repository %d: chain broken at record %d: %s", v.RepoID, v.BrokenID, v.Reason)
}

// Verify recomputes every hash of the repository's chain in sequence order.
// It detects edited records (hash mismatch), removed or reordered records
// (sequence gap, previous-hash mismatch) and a removed tail (head mismatch).
func (s *sqlStore) Verify(ctx context.Context, repoID int64) (VerifyReport, error) {
	rep := VerifyReport{RepoID: repoID}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+auditColumns+` FROM audit_log WHERE repo_id = ? ORDER BY seq`), repoID)
	if err != nil {
		return rep, fmt.Errorf("store: verify: %w", err)
	}
	prevHash := ""
	var prevSeq int64
	broken := func(id int64, format string, args ...any) {
		rep.BrokenID, rep.Reason = id, fmt.Sprintf(format, args...)
	}
	for rows.Next() {
		rec, err := scanRecord(rows)
		if err != nil {
			_ = rows.Close()
			return rep, fmt.Errorf("store: verify: %w", err)
		}
		rep.Records++
		switch {
		case rec.Seq != prevSeq+1:
			broken(rec.ID, "sequence jumps from %d to %d (records removed)", prevSeq, rec.Seq)
		case rec.PrevHash != prevHash:
			broken(rec.ID, "prev_hash %.12s… does not match the hash of record seq %d (%.12s…)", rec.PrevHash, prevSeq, prevHash)
		case recordHash(rec) != rec.Hash:
			broken(rec.ID, "content does not match its hash (record altered)")
		}
		if rep.Reason != "" {
			_ = rows.Close()
			return rep, nil
		}
		prevSeq, prevHash = rec.Seq, rec.Hash
	}
	if err := rows.Close(); err != nil {
		return rep, fmt.Errorf("store: verify: %w", err)
	}
	if err := rows.Err(); err != nil {
		return rep, fmt.Errorf("store: verify: %w", err)
	}
	var headSeq int64
	var headHash string
	err = s.db.QueryRowContext(ctx, s.q("SELECT seq, hash FROM audit_heads WHERE repo_id = ?"), repoID).Scan(&headSeq, &headHash)
	switch {
	case notFound(err) == ErrNotFound:
		if rep.Records > 0 {
			rep.Reason = "chain head is missing"
			return rep, nil
		}
	case err != nil:
		return rep, fmt.Errorf("store: verify head: %w", err)
	case headSeq != prevSeq || headHash != prevHash:
		rep.Reason = fmt.Sprintf("chain head expects seq %d but the log ends at seq %d (records removed from the end)", headSeq, prevSeq)
		return rep, nil
	}
	rep.OK = true
	return rep, nil
}
