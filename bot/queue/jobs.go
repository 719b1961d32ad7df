package queue

import (
	"encoding/json"
	"fmt"

	"github.com/riverqueue/river"
)

// ScanJob scans one head of one pull request. Only the fields tagged
// river:"unique" identify the job: events for the same head and base
// collapse into one waiting or running job. A finished job never swallows a
// later event: the job itself decides whether the head's published verdict
// is still current.
type ScanJob struct {
	InstallationID int64  `json:"installation_id"`
	Owner          string `json:"owner"`
	Repo           string `json:"repo"`
	RepoID         int64  `json:"repo_id" river:"unique"`
	PR             int    `json:"pr" river:"unique"`
	HeadSHA        string `json:"head_sha" river:"unique"`
	BaseRef        string `json:"base_ref"`
	// BaseSHA is the base commit the event named ("" when it named none):
	// a new base is a new verdict, so it is a new job.
	BaseSHA string `json:"base_sha,omitempty" river:"unique"`
	// CloneURL is the payload's repository.clone_url; the worker fetches
	// from it only if it points at the configured GitHub.
	CloneURL   string `json:"clone_url"`
	DeliveryID string `json:"delivery_id"`
	Trigger    string `json:"trigger"` // e.g. "pull_request.synchronize"
	// Rerun, when set (e.g. to the comment id of `/warden rescan`), makes an
	// explicit re-run of an already scanned head a distinct job.
	Rerun string `json:"rerun,omitempty" river:"unique"`
	// Fresh, when set (to the delivery id of a reopened pull request),
	// asks for a new verdict even if the published one is current.
	Fresh string `json:"fresh,omitempty" river:"unique"`
	// JobID is the queue's id for this job, set by the worker for the
	// handler (logs, the check run's external id); it is not stored.
	JobID int64 `json:"-"`
	// LastAttempt is set by the worker on the job's final attempt.
	LastAttempt bool `json:"-"`
}

func (ScanJob) Kind() string { return "warden_scan" }

// CommandJob carries one slash command. The commands layer owns Payload.
type CommandJob struct {
	InstallationID int64           `json:"installation_id"`
	Owner          string          `json:"owner"`
	Repo           string          `json:"repo"`
	RepoID         int64           `json:"repo_id"`
	PR             int             `json:"pr"`
	CommentID      int64           `json:"comment_id"`
	DeliveryID     string          `json:"delivery_id"`
	Payload        json.RawMessage `json:"payload,omitempty"`
	// DedupeKey, when set, makes the command unique (e.g. "comment-123-edit-2"),
	// so an edited or redelivered comment runs once.
	DedupeKey string `json:"dedupe_key,omitempty" river:"unique"`
}

func (CommandJob) Kind() string { return "warden_command" }

// ReconcileJob looks for open pull requests whose head warden never
// reviewed (a delivery lost in an outage) and queues their scans: for one
// installation, or for all of them when InstallationID is 0.
type ReconcileJob struct {
	InstallationID int64  `json:"installation_id" river:"unique"`
	RepoID         int64  `json:"repo_id,omitempty" river:"unique"`
	Reason         string `json:"reason"`
}

func (ReconcileJob) Kind() string { return "warden_reconcile" }

// Tags let the queue find a PR's, repository's or installation's jobs.
func installationTag(id int64) string { return fmt.Sprintf("inst-%d", id) }
func repoTag(id int64) string         { return fmt.Sprintf("repo-%d", id) }
func prTag(repoID int64, pr int) string {
	return fmt.Sprintf("pr-%d-%d", repoID, pr)
}

func tags(installationID, repoID int64, pr int) []string {
	t := []string{installationTag(installationID)}
	if repoID != 0 {
		t = append(t, repoTag(repoID))
	}
	if pr != 0 {
		t = append(t, prTag(repoID, pr))
	}
	return t
}

var (
	_ river.JobArgs = ScanJob{}
	_ river.JobArgs = CommandJob{}
	_ river.JobArgs = ReconcileJob{}
)
