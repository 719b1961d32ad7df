package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// ScanStatus is the lifecycle of a scan.
type ScanStatus string

const (
	ScanInProgress  ScanStatus = "in_progress"
	ScanCompleted   ScanStatus = "completed"    // a verdict from a review (or an unusable configuration)
	ScanSuperseded  ScanStatus = "superseded"   // a newer head arrived; output dropped, run cancelled
	ScanFailed      ScanStatus = "failed"       // this attempt failed; it may be retried
	ScanNotReviewed ScanStatus = "not_reviewed" // a draft, a limit or a refused clone: nothing reviewed
	ScanCrashed     ScanStatus = "crashed"      // the scan died; the head is not retried without a new push
)

// Trigger is what started a scan.
type Trigger struct {
	Event      string // "pull_request.synchronize", "command.rescan", ...
	DeliveryID string
	Actor      string
}

// SeverityCounts counts findings by severity.
type SeverityCounts struct {
	Critical int `json:"critical"`
	High     int `json:"high"`
	Medium   int `json:"medium"`
	Low      int `json:"low"`
	Info     int `json:"info"`
}

// ScanCounts splits a scan's findings the way the summary reports them.
type ScanCounts struct {
	New         SeverityCounts `json:"new"`
	PreExisting SeverityCounts `json:"pre_existing"`
	Ignored     SeverityCounts `json:"ignored"`
}

// Scan is one run of the checks over a PR head.
type Scan struct {
	ID             int64
	InstallationID int64
	Repo           Repo
	PR             int
	BaseSHA        string
	HeadSHA        string
	Trigger        Trigger
	JobID          int64
	ConfigDigest   string
	ConfigSource   string // e.g. ".github/warden.yml@<base sha>", "defaults"
	Status         ScanStatus
	Conclusion     string // check-run conclusion: success, failure, neutral, cancelled
	Counts         ScanCounts
	CheckRunID     int64
	StartedAt      time.Time
	FinishedAt     time.Time
}

// ScanResult is what FinishScan records.
type ScanResult struct {
	Status     ScanStatus
	Conclusion string
	Counts     ScanCounts
}

// Scans records scans and their outcome; start and finish are audited.
type Scans interface {
	StartScan(ctx context.Context, sc Scan) (int64, error)
	SetCheckRun(ctx context.Context, scanID, checkRunID int64) error
	FinishScan(ctx context.Context, scanID int64, res ScanResult) error
	Scan(ctx context.Context, id int64) (Scan, error)
	// LatestScan is the most recent scan of a PR, any head.
	LatestScan(ctx context.Context, repoID int64, pr int) (Scan, error)
	// ScansOfHead lists the most recent attempts at reviewing one head of
	// a PR, newest first (at most 50).
	ScansOfHead(ctx context.Context, repoID int64, pr int, headSHA string) ([]Scan, error)
}

func (s *sqlStore) StartScan(ctx context.Context, sc Scan) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.q(`INSERT INTO scans (installation_id, repo_id, repo, pr, base_sha, head_sha,
			trigger_event, trigger_delivery, trigger_actor, job_id, config_digest, config_source, status, started_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			sc.InstallationID, sc.Repo.ID, sc.Repo.FullName(), sc.PR, sc.BaseSHA, sc.HeadSHA,
			sc.Trigger.Event, sc.Trigger.DeliveryID, sc.Trigger.Actor, sc.JobID, sc.ConfigDigest, sc.ConfigSource,
			string(ScanInProgress), s.nowMS()).Scan(&id)
		if err != nil {
			return err
		}
		_, err = s.appendAudit(ctx, tx, Event{
			Repo: sc.Repo, PR: sc.PR, Kind: KindScanStarted, Actor: actorOr(sc.Trigger.Actor), Subject: fmt.Sprint(id),
			Data: map[string]any{
				"base_sha": sc.BaseSHA, "head_sha": sc.HeadSHA, "trigger": sc.Trigger.Event,
				"delivery_id": sc.Trigger.DeliveryID, "config_digest": sc.ConfigDigest, "config_source": sc.ConfigSource,
			},
		})
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: start scan %s#%d@%s: %w", sc.Repo.FullName(), sc.PR, sc.HeadSHA, err)
	}
	return id, nil
}

func (s *sqlStore) SetCheckRun(ctx context.Context, scanID, checkRunID int64) error {
	if _, err := s.exec(ctx, nil, "UPDATE scans SET check_run_id = ? WHERE id = ?", checkRunID, scanID); err != nil {
		return fmt.Errorf("store: set check run of scan %d: %w", scanID, err)
	}
	return nil
}

func (s *sqlStore) FinishScan(ctx context.Context, scanID int64, res ScanResult) error {
	counts, err := json.Marshal(res.Counts)
	if err != nil {
		return fmt.Errorf("store: finish scan %d: %w", scanID, err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		sc, err := s.scanTx(ctx, tx, scanID)
		if err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, "UPDATE scans SET status = ?, conclusion = ?, counts = ?, finished_at = ? WHERE id = ?",
			string(res.Status), res.Conclusion, string(counts), s.nowMS(), scanID); err != nil {
			return err
		}
		_, err = s.appendAudit(ctx, tx, Event{
			Repo: sc.Repo, PR: sc.PR, Kind: KindScanFinished, Actor: "warden", Subject: fmt.Sprint(scanID),
			Data: map[string]any{"head_sha": sc.HeadSHA, "status": res.Status, "conclusion": res.Conclusion,
				"counts": res.Counts, "check_run_id": sc.CheckRunID},
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("store: finish scan %d: %w", scanID, err)
	}
	return nil
}

const scanColumns = `id, installation_id, repo_id, repo, pr, base_sha, head_sha, trigger_event, trigger_delivery,
	trigger_actor, job_id, config_digest, config_source, status, conclusion, counts, check_run_id, started_at, finished_at`

type rowScanner interface{ Scan(dest ...any) error }

func scanScan(row rowScanner) (Scan, error) {
	var sc Scan
	var fullName, status, counts string
	var started, finished int64
	if err := row.Scan(&sc.ID, &sc.InstallationID, &sc.Repo.ID, &fullName, &sc.PR, &sc.BaseSHA, &sc.HeadSHA,
		&sc.Trigger.Event, &sc.Trigger.DeliveryID, &sc.Trigger.Actor, &sc.JobID, &sc.ConfigDigest, &sc.ConfigSource,
		&status, &sc.Conclusion, &counts, &sc.CheckRunID, &started, &finished); err != nil {
		return Scan{}, notFound(err)
	}
	sc.Repo.Owner, sc.Repo.Name = splitFullName(fullName)
	sc.Status = ScanStatus(status)
	sc.StartedAt, sc.FinishedAt = msToTime(started), msToTime(finished)
	if err := json.Unmarshal([]byte(counts), &sc.Counts); err != nil {
		return Scan{}, fmt.Errorf("decode counts: %w", err)
	}
	return sc, nil
}

func (s *sqlStore) scanTx(ctx context.Context, tx *sql.Tx, id int64) (Scan, error) {
	return scanScan(tx.QueryRowContext(ctx, s.q("SELECT "+scanColumns+" FROM scans WHERE id = ?"), id))
}

func (s *sqlStore) Scan(ctx context.Context, id int64) (Scan, error) {
	sc, err := scanScan(s.db.QueryRowContext(ctx, s.q("SELECT "+scanColumns+" FROM scans WHERE id = ?"), id))
	if err != nil {
		return Scan{}, fmt.Errorf("store: scan %d: %w", id, err)
	}
	return sc, nil
}

func (s *sqlStore) LatestScan(ctx context.Context, repoID int64, pr int) (Scan, error) {
	sc, err := scanScan(s.db.QueryRowContext(ctx,
		s.q("SELECT "+scanColumns+" FROM scans WHERE repo_id = ? AND pr = ? ORDER BY id DESC LIMIT 1"), repoID, pr))
	if err != nil {
		return Scan{}, fmt.Errorf("store: latest scan of %d#%d: %w", repoID, pr, err)
	}
	return sc, nil
}

func (s *sqlStore) ScansOfHead(ctx context.Context, repoID int64, pr int, headSHA string) ([]Scan, error) {
	rows, err := s.db.QueryContext(ctx, s.q("SELECT "+scanColumns+" FROM scans WHERE repo_id = ? AND pr = ? AND head_sha = ? ORDER BY id DESC LIMIT 50"),
		repoID, pr, headSHA)
	if err != nil {
		return nil, fmt.Errorf("store: scans of %d#%d@%s: %w", repoID, pr, headSHA, err)
	}
	defer rows.Close()
	var out []Scan
	for rows.Next() {
		sc, err := scanScan(rows)
		if err != nil {
			return nil, fmt.Errorf("store: scans of %d#%d@%s: %w", repoID, pr, headSHA, err)
		}
		out = append(out, sc)
	}
	return out, rows.Err()
}

func splitFullName(full string) (owner, name string) {
	owner, name, _ = strings.Cut(full, "/")
	return owner, name
}

func actorOr(actor string) string {
	if actor == "" {
		return "warden"
	}
	return actor
}
