package command

import (
	"context"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/rs/zerolog"

	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/bot/webhook"
	"github.com/wardenbot/warden/config"
)

// Store is what commands need from warden's database.
type Store interface {
	store.Suppressions
	store.Approvals
	store.Findings
	store.Audit
	store.CommandQuotas
}

// ConfigLoader reads a repository's effective configuration at a commit:
// always the pull request's BASE, like the scan, so a change cannot grant
// itself permissions or approvals.
type ConfigLoader interface {
	Load(ctx context.Context, installationID int64, owner, repo, baseSHA string) (*config.Config, error)
}

// ScanRequest asks for one head of a pull request to be evaluated again.
type ScanRequest struct {
	InstallationID int64
	RepoID         int64
	Owner, Repo    string
	CloneURL       string
	PR             int
	HeadSHA        string
	DeliveryID     string
	Event          string // "command.rescan", "command.reevaluate", "check_run.requested_action"
	Actor          string
	Rerun          bool // a person asked for a fresh run
}

// Enqueuer queues a scan and returns its job id. The scan reuses the
// repository cache, so nothing is cloned again.
type Enqueuer interface {
	EnqueueScan(ctx context.Context, req ScanRequest) (jobID int64, err error)
}

// JobStates is optional: it tells whether a queued job is still waiting to
// start. With it, a rescan of a head whose rescan is waiting joins that job
// instead of queueing another.
type JobStates interface {
	Waiting(ctx context.Context, jobID int64) (bool, error)
}

// Clients returns an API client of an installation, scoped to one
// repository (ghclient.Factory.Installation(id, repoID).Client).
type Clients func(installationID, repoID int64) *github.Client

// FindingMessages is optional: the message a scan gave a finding ("why this
// line matched"). Without it, explain says where the finding matched.
type FindingMessages interface {
	FindingMessage(ctx context.Context, repoID int64, pr int, fingerprint string) (string, error)
}

// Handler runs the commands of one comment or check-run button. Safe for
// concurrent use; it keeps no state between calls (quotas live in the
// store, so replicas share them).
type Handler struct {
	GitHub   Clients
	Store    Store
	Config   ConfigLoader
	Scans    Enqueuer
	Jobs     JobStates // optional
	Rules    RuleBook
	Messages FindingMessages // optional
	// BotLogin is the App's bot user ("warden[bot]"): its comments are
	// never commands, and only its thread roots name a finding.
	BotLogin string
	Now      func() time.Time // default time.Now
	// ClockSkew is the measured difference between GitHub's clock and
	// ours (optional): it widens the margin when a comment's time is
	// compared with when warden heard of a push.
	ClockSkew func() time.Duration
	Log       zerolog.Logger
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// Handle runs the commands in w. Bots, edits and comments without a command
// are ignored without a trace. An error means a retry may succeed (GitHub
// or the database failed); commands already audited are not run again.
func (h *Handler) Handle(ctx context.Context, w webhook.Work) error {
	if w.Kind != webhook.Command {
		return nil
	}
	log := h.Log.With().Str("delivery", w.DeliveryID).Str("repo", w.Owner+"/"+w.Repo).Int("pr", w.PR).
		Int64("comment", w.CommentID).Str("sender", w.Sender).Logger()
	ctx = log.WithContext(ctx)
	if w.SenderIsBot || strings.HasSuffix(w.Sender, "[bot]") || (h.BotLogin != "" && strings.EqualFold(w.Sender, h.BotLogin)) {
		log.Debug().Msg("comment by a bot; not a command")
		return nil
	}
	if w.CommentKind == kindCheckRunBtn {
		return h.handleButton(ctx, w)
	}
	if w.CommentEdited {
		// An edit never runs anything: the original ran (or was refused)
		// when it was written, and re-running would act twice.
		log.Debug().Msg("edited comment; commands run only when written")
		return nil
	}
	parsed := Parse(w.CommentBody)
	if len(parsed.Commands) == 0 {
		return nil
	}
	s := newSession(h, w)
	todo, err := s.notYetRun(ctx, parsed.Commands)
	if err != nil {
		return err
	}
	if len(todo) == 0 {
		log.Info().Msg("commands of this comment already ran")
		return nil
	}
	if ok, err := s.underFloodLimit(ctx); err != nil || !ok {
		if err == nil {
			log.Warn().Msg("sender over the command limit; dropped without a reply")
			err = s.auditDropped(ctx, todo)
		}
		return err
	}
	return s.runAll(ctx, todo, parsed.Dropped)
}
