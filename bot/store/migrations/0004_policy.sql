-- Policy that holds against the pull request it governs.
-- An approval remembers the base it was given at and the approver its rule
-- required, so a scan can re-check it against the rule in force. An ignore
-- may hold for one pull request only (pr 0: every pull request of the
-- repository, as before).
ALTER TABLE approvals ADD COLUMN base_sha TEXT NOT NULL DEFAULT '';
ALTER TABLE approvals ADD COLUMN team TEXT NOT NULL DEFAULT '';
ALTER TABLE suppressions ADD COLUMN pr INTEGER NOT NULL DEFAULT 0;

-- Every head a pull request moved to, who moved it (the sender of the
-- pull_request event) and when warden heard of it: pushers count as
-- authors, and a comment's time tells which head it saw.
CREATE TABLE pr_pushes (
	id          {{PK}},
	repo_id     BIGINT NOT NULL,
	pr          INTEGER NOT NULL,
	head_sha    TEXT NOT NULL,
	pusher      TEXT NOT NULL,
	event       TEXT NOT NULL,
	delivery_id TEXT NOT NULL DEFAULT '',
	seen_at     BIGINT NOT NULL
);
CREATE INDEX pr_pushes_pr ON pr_pushes (repo_id, pr, id);

-- Fixed-window counters of what comments may make warden do, shared by
-- every replica.
CREATE TABLE command_quotas (
	quota_key    TEXT PRIMARY KEY,
	window_start BIGINT NOT NULL,
	used         INTEGER NOT NULL
);
CREATE INDEX command_quotas_window ON command_quotas (window_start);

-- The rescan a pull request is waiting for, so further requests for the
-- same head join it instead of queueing another.
CREATE TABLE pending_rescans (
	repo_id  BIGINT NOT NULL,
	pr       INTEGER NOT NULL,
	head_sha TEXT NOT NULL,
	job_id   BIGINT NOT NULL,
	asked_at BIGINT NOT NULL,
	PRIMARY KEY (repo_id, pr)
);
