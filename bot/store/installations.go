package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Repo identifies a repository. ID is GitHub's numeric id, stable across
// renames; Owner/Name are as last seen.
type Repo struct {
	ID    int64
	Owner string
	Name  string
}

// FullName is "owner/name".
func (r Repo) FullName() string {
	if r.Owner == "" && r.Name == "" {
		return ""
	}
	return r.Owner + "/" + r.Name
}

// Installation is a GitHub App installation as recorded from webhooks.
type Installation struct {
	ID        int64
	Account   string
	Suspended bool
	Deleted   bool
}

// Repository is a repository an installation grants access to.
type Repository struct {
	Repo
	InstallationID int64
	Removed        bool
}

// Installations records installation and installation_repositories events,
// and answers whether jobs for a repository may still run.
type Installations interface {
	UpsertInstallation(ctx context.Context, in Installation) error
	SetInstallationSuspended(ctx context.Context, id int64, suspended bool) error
	DeleteInstallation(ctx context.Context, id int64) error
	Installation(ctx context.Context, id int64) (Installation, error)
	AddRepository(ctx context.Context, installationID int64, r Repo) error
	RemoveRepository(ctx context.Context, repoID int64) error
	Repository(ctx context.Context, repoID int64) (Repository, error)
	// Active is false when the installation is suspended or deleted, or the
	// repository was removed from it: jobs for it should be cancelled.
	// Unknown installations and repositories are active (events may arrive
	// before the installation event, or predate this database).
	Active(ctx context.Context, installationID, repoID int64) (bool, error)
}

func (s *sqlStore) UpsertInstallation(ctx context.Context, in Installation) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `INSERT INTO installations (id, account, suspended, deleted, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET account = excluded.account, suspended = excluded.suspended,
			deleted = excluded.deleted, updated_at = excluded.updated_at`,
			in.ID, in.Account, in.Suspended, in.Deleted, s.nowMS()); err != nil {
			return fmt.Errorf("store: upsert installation %d: %w", in.ID, err)
		}
		return s.auditInstallation(ctx, tx, in.ID, "upserted", map[string]any{
			"account": in.Account, "suspended": in.Suspended, "deleted": in.Deleted})
	})
}

func (s *sqlStore) SetInstallationSuspended(ctx context.Context, id int64, suspended bool) error {
	return s.setInstallationFlag(ctx, id, "suspended", suspended)
}

func (s *sqlStore) DeleteInstallation(ctx context.Context, id int64) error {
	return s.setInstallationFlag(ctx, id, "deleted", true)
}

// setInstallationFlag upserts so a suspend for an unknown installation
// still takes effect.
func (s *sqlStore) setInstallationFlag(ctx context.Context, id int64, column string, value bool) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `INSERT INTO installations (id, `+column+`, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET `+column+` = excluded.`+column+`, updated_at = excluded.updated_at`,
			id, value, s.nowMS()); err != nil {
			return fmt.Errorf("store: set installation %d %s: %w", id, column, err)
		}
		return s.auditInstallation(ctx, tx, id, column, map[string]any{column: value})
	})
}

func (s *sqlStore) auditInstallation(ctx context.Context, tx *sql.Tx, id int64, what string, data map[string]any) error {
	data["installation_id"] = id
	_, err := s.appendAudit(ctx, tx, Event{Kind: KindInstallation, Actor: "github", Subject: what, Data: data})
	return err
}

func (s *sqlStore) Installation(ctx context.Context, id int64) (Installation, error) {
	in := Installation{ID: id}
	err := s.db.QueryRowContext(ctx, s.q("SELECT account, suspended, deleted FROM installations WHERE id = ?"), id).
		Scan(&in.Account, &in.Suspended, &in.Deleted)
	if err != nil {
		return Installation{}, fmt.Errorf("store: installation %d: %w", id, notFound(err))
	}
	return in, nil
}

func (s *sqlStore) AddRepository(ctx context.Context, installationID int64, r Repo) error {
	_, err := s.exec(ctx, nil, `INSERT INTO repositories (id, installation_id, owner, name, removed, updated_at) VALUES (?, ?, ?, ?, FALSE, ?)
		ON CONFLICT (id) DO UPDATE SET installation_id = excluded.installation_id, owner = excluded.owner,
		name = excluded.name, removed = FALSE, updated_at = excluded.updated_at`,
		r.ID, installationID, r.Owner, r.Name, s.nowMS())
	if err != nil {
		return fmt.Errorf("store: add repository %s: %w", r.FullName(), err)
	}
	return nil
}

func (s *sqlStore) RemoveRepository(ctx context.Context, repoID int64) error {
	if _, err := s.exec(ctx, nil, "UPDATE repositories SET removed = TRUE, updated_at = ? WHERE id = ?", s.nowMS(), repoID); err != nil {
		return fmt.Errorf("store: remove repository %d: %w", repoID, err)
	}
	return nil
}

func (s *sqlStore) Repository(ctx context.Context, repoID int64) (Repository, error) {
	r := Repository{Repo: Repo{ID: repoID}}
	err := s.db.QueryRowContext(ctx, s.q("SELECT installation_id, owner, name, removed FROM repositories WHERE id = ?"), repoID).
		Scan(&r.InstallationID, &r.Owner, &r.Name, &r.Removed)
	if err != nil {
		return Repository{}, fmt.Errorf("store: repository %d: %w", repoID, notFound(err))
	}
	return r, nil
}

func (s *sqlStore) Active(ctx context.Context, installationID, repoID int64) (bool, error) {
	var blocked int
	err := s.db.QueryRowContext(ctx, s.q(`SELECT
		(SELECT COUNT(*) FROM installations WHERE id = ? AND (suspended OR deleted)) +
		(SELECT COUNT(*) FROM repositories WHERE id = ? AND removed)`), installationID, repoID).Scan(&blocked)
	if err != nil {
		return false, fmt.Errorf("store: active %d/%d: %w", installationID, repoID, err)
	}
	return blocked == 0, nil
}
