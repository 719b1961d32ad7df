package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// IntentState is the progress of one GitHub write.
type IntentState string

const (
	IntentPending   IntentState = "pending" // recorded; the write may or may not have reached GitHub
	IntentDone      IntentState = "done"    // GitHub answered; Result holds the ids
	IntentAbandoned IntentState = "abandoned"
)

// Intent is one non-idempotent GitHub write (create check run, post review,
// PATCH annotations batch N). Key names it deterministically, e.g.
// "scan/42/review" or "scan/42/annotations/3", so a retried job finds the
// intent of its crashed predecessor.
type Intent struct {
	Key            string
	InstallationID int64
	RepoID         int64
	PR             int
	HeadSHA        string
	Kind           string
	Request        json.RawMessage // enough to reconcile: e.g. marker fingerprints, external_id
	State          IntentState
	Result         json.RawMessage // e.g. {"check_run_id": 1}
	CreatedAt      time.Time
	DoneAt         time.Time
}

// Outbox is the write-intent log. Protocol for a job:
//
//	in, created, err := RecordIntent(ctx, in)
//	switch {
//	case in.State == IntentDone:   use in.Result; skip the write
//	case !created:                 a previous attempt may have written: reconcile
//	                               against GitHub (markers, external_id), then
//	                               CompleteIntent with what was found or write
//	default:                       write, then CompleteIntent(ctx, key, ids)
//	}
type Outbox interface {
	// RecordIntent stores the intent unless its key exists; it returns the
	// stored intent and whether this call created it.
	RecordIntent(ctx context.Context, in Intent) (Intent, bool, error)
	// CompleteIntent records the write's result.
	CompleteIntent(ctx context.Context, key string, result any) error
	// AbandonIntent marks a write that will not be made (superseded scan).
	AbandonIntent(ctx context.Context, key string) error
	Intent(ctx context.Context, key string) (Intent, error)
	// PendingIntents lists unfinished writes of a repository, oldest first.
	PendingIntents(ctx context.Context, repoID int64) ([]Intent, error)
}

func (s *sqlStore) RecordIntent(ctx context.Context, in Intent) (Intent, bool, error) {
	if in.Key == "" || in.Kind == "" {
		return Intent{}, false, fmt.Errorf("%w: intent needs a key and a kind", ErrInvalid)
	}
	req := in.Request
	if len(req) == 0 {
		req = json.RawMessage("{}")
	}
	created := false
	var out Intent
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, `INSERT INTO outbox (intent_key, installation_id, repo_id, pr, head_sha, kind, request, state, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (intent_key) DO NOTHING`,
			in.Key, in.InstallationID, in.RepoID, in.PR, in.HeadSHA, in.Kind, string(req), string(IntentPending), s.nowMS())
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		created = n == 1
		out, err = scanIntent(tx.QueryRowContext(ctx, s.q("SELECT "+intentColumns+" FROM outbox WHERE intent_key = ?"), in.Key))
		return err
	})
	if err != nil {
		return Intent{}, false, fmt.Errorf("store: record intent %s: %w", in.Key, err)
	}
	return out, created, nil
}

func (s *sqlStore) CompleteIntent(ctx context.Context, key string, result any) error {
	raw, err := json.Marshal(result)
	if err != nil {
		return fmt.Errorf("store: complete intent %s: %w", key, err)
	}
	return s.finishIntent(ctx, key, IntentDone, string(raw))
}

func (s *sqlStore) AbandonIntent(ctx context.Context, key string) error {
	return s.finishIntent(ctx, key, IntentAbandoned, "")
}

func (s *sqlStore) finishIntent(ctx context.Context, key string, state IntentState, result string) error {
	res, err := s.exec(ctx, nil, "UPDATE outbox SET state = ?, result = ?, done_at = ? WHERE intent_key = ?",
		string(state), result, s.nowMS(), key)
	if err != nil {
		return fmt.Errorf("store: %s intent %s: %w", state, key, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("store: %s intent %s: %w", state, key, ErrNotFound)
	}
	return nil
}

const intentColumns = "intent_key, installation_id, repo_id, pr, head_sha, kind, request, state, result, created_at, done_at"

func scanIntent(row rowScanner) (Intent, error) {
	var in Intent
	var req, state, result string
	var created, done int64
	if err := row.Scan(&in.Key, &in.InstallationID, &in.RepoID, &in.PR, &in.HeadSHA, &in.Kind, &req, &state, &result, &created, &done); err != nil {
		return Intent{}, notFound(err)
	}
	in.Request, in.State = json.RawMessage(req), IntentState(state)
	if result != "" {
		in.Result = json.RawMessage(result)
	}
	in.CreatedAt, in.DoneAt = msToTime(created), msToTime(done)
	return in, nil
}

func (s *sqlStore) Intent(ctx context.Context, key string) (Intent, error) {
	in, err := scanIntent(s.db.QueryRowContext(ctx, s.q("SELECT "+intentColumns+" FROM outbox WHERE intent_key = ?"), key))
	if err != nil {
		return Intent{}, fmt.Errorf("store: intent %s: %w", key, err)
	}
	return in, nil
}

func (s *sqlStore) PendingIntents(ctx context.Context, repoID int64) ([]Intent, error) {
	rows, err := s.db.QueryContext(ctx, s.q("SELECT "+intentColumns+" FROM outbox WHERE repo_id = ? AND state = ? ORDER BY created_at, intent_key"),
		repoID, string(IntentPending))
	if err != nil {
		return nil, fmt.Errorf("store: pending intents of %d: %w", repoID, err)
	}
	defer rows.Close()
	var out []Intent
	for rows.Next() {
		in, err := scanIntent(rows)
		if err != nil {
			return nil, fmt.Errorf("store: pending intents of %d: %w", repoID, err)
		}
		out = append(out, in)
	}
	return out, rows.Err()
}
