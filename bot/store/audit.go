package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// Audit is the append-only, hash-chained audit log. Each repository has its
// own chain; records not tied to a repository (installation events) use
// repository id 0.
type Audit interface {
	// AppendAudit adds one record to the repository's chain.
	AppendAudit(ctx context.Context, ev Event) (Record, error)
	// AuditCommand records a slash command: who, what, the permission
	// GitHub reported, and the outcome.
	AuditCommand(ctx context.Context, c CommandAudit) (Record, error)
	// Verify walks the repository's chain and reports the first broken link.
	Verify(ctx context.Context, repoID int64) (VerifyReport, error)
	// Export writes matching records as JSON lines, oldest first.
	Export(ctx context.Context, f ExportFilter, w io.Writer) (int, error)
}

// Audit record kinds written by the store itself.
const (
	KindScanStarted        = "scan.started"
	KindScanFinished       = "scan.finished"
	KindFindingFirstSeen   = "finding.first_seen"
	KindFindingCommented   = "finding.commented"
	KindFindingFixed       = "finding.fixed"
	KindFindingIgnored     = "finding.ignored"
	KindFindingUnignored   = "finding.unignored"
	KindSuppressionCreated = "suppression.created"
	KindSuppressionRevoked = "suppression.revoked"
	KindApproval           = "approval"
	KindCommand            = "command"
	KindInstallation       = "installation"
)

// Event is what a caller appends; the store fills sequence, time and hashes.
type Event struct {
	Repo    Repo
	PR      int
	Kind    string
	Actor   string // GitHub login, or "warden" for the bot's own actions
	Subject string // what the event is about: a fingerprint, a scan id
	Data    any    // JSON-encodable details; encoded canonically
}

// Record is one stored audit entry.
type Record struct {
	ID       int64           `json:"id"`
	RepoID   int64           `json:"repo_id"`
	Seq      int64           `json:"seq"`
	Repo     string          `json:"repo"`
	PR       int             `json:"pr,omitempty"`
	Kind     string          `json:"kind"`
	Actor    string          `json:"actor"`
	Subject  string          `json:"subject,omitempty"`
	Data     json.RawMessage `json:"data"`
	At       time.Time       `json:"at"`
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
}

// CommandAudit describes one slash command for the audit log.
type CommandAudit struct {
	Repo       Repo
	PR         int
	Actor      string
	Command    string // the command line as parsed, e.g. "ignore W-1a2b3c4d reason"
	Permission string // what GitHub's permission endpoint said, e.g. "write"
	Outcome    string // "done", "refused: needs write", ...
	CommentID  int64
}

func (s *sqlStore) AppendAudit(ctx context.Context, ev Event) (Record, error) {
	var rec Record
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		rec, err = s.appendAudit(ctx, tx, ev)
		return err
	})
	if err != nil {
		return Record{}, fmt.Errorf("store: append audit %s: %w", ev.Kind, err)
	}
	return rec, nil
}

func (s *sqlStore) AuditCommand(ctx context.Context, c CommandAudit) (Record, error) {
	return s.AppendAudit(ctx, Event{
		Repo: c.Repo, PR: c.PR, Kind: KindCommand, Actor: c.Actor,
		Subject: fmt.Sprint(c.CommentID),
		Data: map[string]any{
			"command": c.Command, "permission": c.Permission, "outcome": c.Outcome, "comment_id": c.CommentID,
		},
	})
}

// appendAudit adds ev to its repository's chain inside tx, so the audit
// record commits or rolls back with the change it describes. The chain head
// row is locked first, which serialises concurrent appends to one chain.
func (s *sqlStore) appendAudit(ctx context.Context, tx *sql.Tx, ev Event) (Record, error) {
	data, err := canonicalJSON(ev.Data)
	if err != nil {
		return Record{}, fmt.Errorf("encode data: %w", err)
	}
	repoID := ev.Repo.ID
	if _, err := s.exec(ctx, tx, "INSERT INTO audit_heads (repo_id, seq, hash) VALUES (?, 0, '') ON CONFLICT (repo_id) DO NOTHING", repoID); err != nil {
		return Record{}, err
	}
	var head struct {
		seq  int64
		hash string
	}
	if err := tx.QueryRowContext(ctx, s.q("SELECT seq, hash FROM audit_heads WHERE repo_id = ?"+s.forUpdate()), repoID).
		Scan(&head.seq, &head.hash); err != nil {
		return Record{}, fmt.Errorf("lock chain head: %w", err)
	}
	rec := Record{
		RepoID: repoID, Seq: head.seq + 1, Repo: ev.Repo.FullName(), PR: ev.PR,
		Kind: ev.Kind, Actor: ev.Actor, Subject: ev.Subject, Data: data,
		At: msToTime(s.nowMS()), PrevHash: head.hash,
	}
	rec.Hash = recordHash(rec)
	err = tx.QueryRowContext(ctx, s.q(`INSERT INTO audit_log
		(repo_id, seq, repo, pr, kind, actor, subject, data, at, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		rec.RepoID, rec.Seq, rec.Repo, rec.PR, rec.Kind, rec.Actor, rec.Subject, string(rec.Data),
		timeToMS(rec.At), rec.PrevHash, rec.Hash).Scan(&rec.ID)
	if err != nil {
		return Record{}, fmt.Errorf("insert record: %w", err)
	}
	if _, err := s.exec(ctx, tx, "UPDATE audit_heads SET seq = ?, hash = ? WHERE repo_id = ?", rec.Seq, rec.Hash, repoID); err != nil {
		return Record{}, fmt.Errorf("advance chain head: %w", err)
	}
	return rec, nil
}

// canonicalJSON encodes v with sorted object keys and no insignificant
// whitespace, so the same details always hash the same way.
func canonicalJSON(v any) (json.RawMessage, error) {
	if v == nil {
		return json.RawMessage("{}"), nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	// Round-trip through interface{} to sort keys of structs and raw
	// messages alike; UseNumber keeps large integers exact.
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return nil, err
	}
	return json.Marshal(generic)
}
