package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/google/go-github/v60/github"

	"github.com/wardenbot/warden/bot/command"
	"github.com/wardenbot/warden/bot/queue"
	"github.com/wardenbot/warden/bot/review"
	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/bot/webhook"
	"github.com/wardenbot/warden/config"
)

// commandHandler runs queued slash commands with the command layer, giving
// it the reviewer's configuration loader and bot identity and the queue for
// re-scans.
type commandHandler struct {
	a     *App
	rules command.RuleBook
}

func newCommandHandler(a *App) (*commandHandler, error) {
	rules, err := command.DefaultRuleBook()
	if err != nil {
		return nil, err
	}
	return &commandHandler{a: a, rules: rules}, nil
}

func (c *commandHandler) HandleCommand(ctx context.Context, j queue.CommandJob) error {
	var w webhook.Work
	if err := json.Unmarshal(j.Payload, &w); err != nil {
		return queue.Permanent(fmt.Errorf("command payload: %w", err))
	}
	bot, err := c.a.Reviewer.BotLogin(ctx)
	if err != nil {
		return err
	}
	h := &command.Handler{
		GitHub: func(inst, repo int64) *github.Client { return c.a.GitHub.Installation(inst, repo).Client },
		Store:  c.a.Store, Config: configLoader{c.a.Reviewer}, Scans: commandScans{c.a.Queue}, Jobs: jobStates{c.a.Queue},
		Rules: c.rules, BotLogin: bot, Log: c.a.opts.Log, Messages: findingMessages{c.a.Store}, ClockSkew: c.a.GitHub.ClockSkew,
	}
	return h.Handle(ctx, w)
}

// commandScans queues the scans commands ask for. They re-run a head that
// may have been scanned already, so each gets a key of its own; merging
// requests for a head that is still waiting is the command layer's job.
type commandScans struct{ q *queue.Queue }

func (c commandScans) EnqueueScan(ctx context.Context, r command.ScanRequest) (int64, error) {
	key := r.DeliveryID
	if key == "" {
		key = r.Event
	}
	res, err := c.q.EnqueueScan(ctx, queue.ScanJob{
		InstallationID: r.InstallationID, Owner: r.Owner, Repo: r.Repo, RepoID: r.RepoID, CloneURL: r.CloneURL,
		PR: r.PR, HeadSHA: r.HeadSHA, DeliveryID: r.DeliveryID, Trigger: r.Event, Rerun: key,
	})
	return res.JobID, err
}

// jobStates tells the command layer whether a queued scan has started.
type jobStates struct{ q *queue.Queue }

func (j jobStates) Waiting(ctx context.Context, id int64) (bool, error) {
	info, err := j.q.Job(ctx, id)
	if err != nil {
		return false, err
	}
	switch info.State {
	case "available", "pending", "scheduled", "retryable":
		return true, nil
	}
	return false, nil
}

// rescans enqueues the scan of a head the reviewer found current when its
// job's head had moved on. A re-run of a head that was scanned already must
// run again, so it gets a key of its own instead of collapsing into the
// earlier job.
type rescans struct{ q *queue.Queue }

func (r rescans) EnqueueScan(ctx context.Context, j review.Job) error {
	job := queue.ScanJob{
		InstallationID: j.InstallationID, Owner: j.Owner, Repo: j.Repo, RepoID: j.RepoID, CloneURL: j.CloneURL,
		PR: j.PR, HeadSHA: j.HeadSHA, BaseSHA: j.BaseSHA, DeliveryID: j.DeliveryID, Trigger: j.Event,
	}
	if strings.HasPrefix(j.Event, "command.") || j.Event == "check_run.requested_action" || j.Rerun {
		job.Rerun = j.DeliveryID
		if job.Rerun == "" {
			job.Rerun = j.Event
		}
	}
	_, err := r.q.EnqueueScan(ctx, job)
	return err
}

// configLoader reads a pull request's policy the way its review does.
type configLoader struct{ r *review.Reviewer }

func (l configLoader) Load(ctx context.Context, installationID int64, owner, repo, baseSHA string) (*config.Config, error) {
	return l.r.LoadConfig(ctx, installationID, owner, repo, baseSHA)
}

// findingMessages gives /warden explain the message the last scan reported.
type findingMessages struct{ st store.Findings }

func (m findingMessages) FindingMessage(ctx context.Context, repoID int64, pr int, fingerprint string) (string, error) {
	f, err := m.st.Finding(ctx, repoID, pr, fingerprint)
	if err != nil {
		return "", err
	}
	return f.Message, nil
}
