-- warden schema v1. Portable SQL: {{PK}} becomes the dialect's
-- auto-increment primary key; times are Unix milliseconds.

CREATE TABLE deliveries (
	id      TEXT PRIMARY KEY,
	seen_at BIGINT NOT NULL
);
CREATE INDEX deliveries_seen_at ON deliveries (seen_at);

CREATE TABLE installations (
	id         BIGINT PRIMARY KEY,
	account    TEXT NOT NULL DEFAULT '',
	suspended  BOOLEAN NOT NULL DEFAULT FALSE,
	deleted    BOOLEAN NOT NULL DEFAULT FALSE,
	updated_at BIGINT NOT NULL
);

CREATE TABLE repositories (
	id              BIGINT PRIMARY KEY,
	installation_id BIGINT NOT NULL,
	owner           TEXT NOT NULL,
	name            TEXT NOT NULL,
	removed         BOOLEAN NOT NULL DEFAULT FALSE,
	updated_at      BIGINT NOT NULL
);
CREATE INDEX repositories_installation ON repositories (installation_id);

CREATE TABLE scans (
	id               {{PK}},
	installation_id  BIGINT NOT NULL,
	repo_id          BIGINT NOT NULL,
	repo             TEXT NOT NULL,
	pr               INTEGER NOT NULL,
	base_sha         TEXT NOT NULL,
	head_sha         TEXT NOT NULL,
	trigger_event    TEXT NOT NULL,
	trigger_delivery TEXT NOT NULL,
	trigger_actor    TEXT NOT NULL,
	job_id           BIGINT NOT NULL DEFAULT 0,
	config_digest    TEXT NOT NULL DEFAULT '',
	config_source    TEXT NOT NULL DEFAULT '',
	status           TEXT NOT NULL,
	conclusion       TEXT NOT NULL DEFAULT '',
	counts           TEXT NOT NULL DEFAULT '{}',
	check_run_id     BIGINT NOT NULL DEFAULT 0,
	started_at       BIGINT NOT NULL,
	finished_at      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX scans_repo_pr ON scans (repo_id, pr, id);

CREATE TABLE findings (
	repo_id         BIGINT NOT NULL,
	pr              INTEGER NOT NULL,
	fingerprint     TEXT NOT NULL,
	rule_id         TEXT NOT NULL,
	path            TEXT NOT NULL,
	line            INTEGER NOT NULL,
	severity        TEXT NOT NULL,
	first_seen_scan BIGINT NOT NULL,
	first_seen_sha  TEXT NOT NULL,
	last_seen_scan  BIGINT NOT NULL,
	last_seen_sha   TEXT NOT NULL,
	last_seen_at    BIGINT NOT NULL,
	state           TEXT NOT NULL,
	comment_id      BIGINT NOT NULL DEFAULT 0,
	thread_node_id  TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (repo_id, pr, fingerprint)
);

CREATE TABLE suppressions (
	id          {{PK}},
	repo_id     BIGINT NOT NULL,
	fingerprint TEXT NOT NULL,
	kind        TEXT NOT NULL,
	reason      TEXT NOT NULL,
	created_by  TEXT NOT NULL,
	created_at  BIGINT NOT NULL,
	expires_at  BIGINT NOT NULL DEFAULT 0,
	revoked_by  TEXT NOT NULL DEFAULT '',
	revoked_at  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX suppressions_repo_fp ON suppressions (repo_id, fingerprint);

CREATE TABLE approvals (
	id           {{PK}},
	repo_id      BIGINT NOT NULL,
	pr           INTEGER NOT NULL,
	head_sha     TEXT NOT NULL,
	paths_digest TEXT NOT NULL,
	approved_by  TEXT NOT NULL,
	note         TEXT NOT NULL,
	created_at   BIGINT NOT NULL,
	UNIQUE (repo_id, pr, head_sha, paths_digest, approved_by)
);

CREATE TABLE write_pauses (
	installation_id BIGINT PRIMARY KEY,
	until_at        BIGINT NOT NULL,
	reason          TEXT NOT NULL DEFAULT ''
);

CREATE TABLE outbox (
	intent_key      TEXT PRIMARY KEY,
	installation_id BIGINT NOT NULL,
	repo_id         BIGINT NOT NULL,
	pr              INTEGER NOT NULL,
	head_sha        TEXT NOT NULL,
	kind            TEXT NOT NULL,
	request         TEXT NOT NULL,
	state           TEXT NOT NULL,
	result          TEXT NOT NULL DEFAULT '',
	created_at      BIGINT NOT NULL,
	done_at         BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX outbox_repo_state ON outbox (repo_id, state);

CREATE TABLE audit_log (
	id        {{PK}},
	repo_id   BIGINT NOT NULL,
	seq       BIGINT NOT NULL,
	repo      TEXT NOT NULL,
	pr        INTEGER NOT NULL,
	kind      TEXT NOT NULL,
	actor     TEXT NOT NULL,
	subject   TEXT NOT NULL,
	data      TEXT NOT NULL,
	at        BIGINT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash      TEXT NOT NULL,
	UNIQUE (repo_id, seq)
);
CREATE INDEX audit_log_at ON audit_log (at);

-- One row per chain: the row lock serialises appends in PostgreSQL, and the
-- stored head detects a truncated tail.
CREATE TABLE audit_heads (
	repo_id BIGINT PRIMARY KEY,
	seq     BIGINT NOT NULL,
	hash    TEXT NOT NULL
);

CREATE TABLE repo_locks (
	repo_id    BIGINT PRIMARY KEY,
	holder     TEXT NOT NULL,
	expires_at BIGINT NOT NULL
);

CREATE TABLE scan_heads (
	repo_id    BIGINT NOT NULL,
	pr         INTEGER NOT NULL,
	head_sha   TEXT NOT NULL,
	job_id     BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (repo_id, pr)
);
