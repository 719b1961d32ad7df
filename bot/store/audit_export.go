package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// ExportFilter selects audit records; zero fields do not filter.
type ExportFilter struct {
	RepoID int64 // 0: all repositories
	PR     int
	Kinds  []string
	Since  time.Time // inclusive
	Until  time.Time // exclusive
}

const auditColumns = "id, repo_id, seq, repo, pr, kind, actor, subject, data, at, prev_hash, hash"

func scanRecord(rows *sql.Rows) (Record, error) {
	var r Record
	var data string
	var at int64
	if err := rows.Scan(&r.ID, &r.RepoID, &r.Seq, &r.Repo, &r.PR, &r.Kind, &r.Actor, &r.Subject, &data, &at, &r.PrevHash, &r.Hash); err != nil {
		return Record{}, err
	}
	r.Data = json.RawMessage(data)
	r.At = msToTime(at)
	return r, nil
}

// Export writes one JSON object per line, in id order, and returns the count.
func (s *sqlStore) Export(ctx context.Context, f ExportFilter, w io.Writer) (int, error) {
	var where []string
	var args []any
	if f.RepoID != 0 {
		where, args = append(where, "repo_id = ?"), append(args, f.RepoID)
	}
	if f.PR != 0 {
		where, args = append(where, "pr = ?"), append(args, f.PR)
	}
	if len(f.Kinds) > 0 {
		where = append(where, "kind IN (?"+strings.Repeat(", ?", len(f.Kinds)-1)+")")
		for _, k := range f.Kinds {
			args = append(args, k)
		}
	}
	if !f.Since.IsZero() {
		where, args = append(where, "at >= ?"), append(args, f.Since.UnixMilli())
	}
	if !f.Until.IsZero() {
		where, args = append(where, "at < ?"), append(args, f.Until.UnixMilli())
	}
	query := "SELECT " + auditColumns + " FROM audit_log"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := s.db.QueryContext(ctx, s.q(query+" ORDER BY id"), args...)
	if err != nil {
		return 0, fmt.Errorf("store: export: %w", err)
	}
	defer rows.Close()
	enc := json.NewEncoder(w)
	n := 0
	for rows.Next() {
		rec, err := scanRecord(rows)
		if err != nil {
			return n, fmt.Errorf("store: export: %w", err)
		}
		if err := enc.Encode(rec); err != nil {
			return n, fmt.Errorf("store: export: write: %w", err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("store: export: %w", err)
	}
	return n, nil
}
