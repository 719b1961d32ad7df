// Package review runs one pull-request review job: it finds the pull
// request and its check run, loads the configuration from the base commit,
// fetches and scans the change, and publishes the result — re-reading the
// head before every write so a superseded scan posts nothing.
package review

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/rs/zerolog"

	"github.com/wardenbot/warden/bot/ghclient"
	"github.com/wardenbot/warden/bot/metrics"
	"github.com/wardenbot/warden/bot/publish"
	"github.com/wardenbot/warden/bot/sandbox"
	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/bot/workspace"
	"github.com/wardenbot/warden/checks/all"
	"github.com/wardenbot/warden/config"
)

// CheckName is the one check run warden creates per head commit.
const CheckName = "warden"

// Job is one request to review a head commit.
type Job struct {
	JobID          int64
	InstallationID int64
	RepoID         int64
	Owner, Repo    string
	CloneURL       string
	PR             int    // 0: find the pull request from the head sha
	HeadSHA        string // the commit to review
	DeliveryID     string
	BaseSHA        string // the base commit the event named ("" when unknown)
	Event          string // what triggered it: "pull_request.opened", "rescan", …
	Actor          string
	Rerun          bool // a person asked for a fresh run
	// Fresh asks for a new verdict even if the one published for this
	// head, base and configuration is current (a reopened pull request).
	Fresh bool
	// LastAttempt is set on the queue's final attempt: if it fails too,
	// the check run must end failing instead of waiting for a retry.
	LastAttempt bool
}

// forced reports whether the job must produce a verdict even when a
// current one exists.
func (j Job) forced() bool { return j.Rerun || j.Fresh }

// Reviewer runs review jobs. Safe for concurrent use.
type Reviewer struct {
	Store     store.Store
	GitHub    *ghclient.Factory
	Workspace *workspace.Workspace
	// Scanner builds the diff and runs the checks on it; `warden serve`
	// gives each scan a child process (sandbox.Process).
	Scanner sandbox.Scanner
	Env     all.Env // OSV and network settings for the checks
	Metrics *metrics.Metrics
	Log     zerolog.Logger
	Version string
	// Requeue schedules a scan of another head: when a job finds that the
	// pull request moved on, it makes sure the current head is reviewed
	// even if a late, stale event cancelled that head's job.
	Requeue func(ctx context.Context, job Job) error
	// ActionTags remembers action refs resolved to shas across reviews
	// (nil: each review asks GitHub afresh).
	ActionTags *TagCache

	botMu    sync.Mutex
	botLogin string
}

// BotLogin is the App's bot login ("warden[bot]"): the only author whose
// comments warden trusts as its own.
func (r *Reviewer) BotLogin(ctx context.Context) (string, error) { return r.botUser(ctx) }

func (r *Reviewer) botUser(ctx context.Context) (string, error) {
	r.botMu.Lock()
	defer r.botMu.Unlock()
	if r.botLogin != "" {
		return r.botLogin, nil
	}
	app, _, err := r.GitHub.App().Apps.Get(ctx, "")
	if err != nil {
		return "", fmt.Errorf("reading the App: %w", err)
	}
	r.botLogin = app.GetSlug() + "[bot]"
	return r.botLogin, nil
}

// WebURL is where people browse the configured GitHub (for links).
func (r *Reviewer) WebURL() string { return r.GitHub.WebURL() }

// run carries one job's state through its steps.
type run struct {
	r     *Reviewer
	job   Job
	log   zerolog.Logger
	gh    *gh
	inst  *ghclient.Installation
	pr    *github.PullRequest
	cr    *github.CheckRun
	bot   string
	start time.Time
	repo  store.Repo

	// The verdict this run works towards is for the head, this base
	// commit and this effective configuration.
	base, configDigest string
	onUnscanned        string // the configuration's on_unscanned
	src                publish.ConfigSource
	// scanID is the store's record of this attempt; finished once a
	// verdict (or a superseded result) is recorded on it.
	scanID   int64
	finished bool
}

// Scan reviews one head. The queue has already checked that the
// installation is active and the head current, and holds the repository's
// lease. A returned error is retried; a rate limit surfaces as
// *ghclient.RateLimitedError.
func (r *Reviewer) Scan(ctx context.Context, job Job) error {
	log := r.Log.With().Str("delivery", job.DeliveryID).Int64("installation", job.InstallationID).
		Str("repo", job.Owner+"/"+job.Repo).Int("pr", job.PR).Str("sha", job.HeadSHA).Int64("job", job.JobID).Logger()
	ctx = log.WithContext(ctx)
	inst := r.GitHub.Installation(job.InstallationID, job.RepoID)
	x := &run{r: r, job: job, log: log, inst: inst, start: time.Now(),
		gh:   &gh{c: inst.Client, owner: job.Owner, repo: job.Repo, graphqlURL: r.GitHub.GraphQLURL(), appID: r.GitHub.AppID()},
		repo: store.Repo{ID: job.RepoID, Owner: job.Owner, Name: job.Repo}}
	var err error
	if x.bot, err = r.botUser(ctx); err == nil {
		err = x.do(ctx)
	}
	if err != nil {
		err = x.failed(ctx, err)
	}
	return err
}

// failed settles an attempt that returned an error. The check run never
// stays in progress behind a failure: a superseded head's run is
// cancelled, the last attempt's run fails, and any other attempt says it
// will be retried.
func (x *run) failed(ctx context.Context, err error) error {
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if errors.Is(ctx.Err(), context.Canceled) {
		// Cancelled: a newer head's job cancelled this one, or warden is
		// stopping (the job then resumes after the restart). A job that ran
		// out of time is a failure like any other.
		if gone, serr := x.r.Store.Superseded(wctx, x.job.RepoID, x.job.PR, x.job.HeadSHA); serr == nil && gone {
			x.log.Info().Msg("superseded while running; the check run is cancelled")
			return errors.Join(err, x.finishSuperseded(wctx, ""))
		}
		x.recordAttempt(wctx, store.ScanFailed, "")
		return err
	}
	if x.job.LastAttempt && x.cr != nil {
		x.log.Warn().Err(err).Msg("review failed on its last attempt; the check run fails")
		if ferr := x.finishNotReviewed(wctx, publish.NotReviewed{Why: publish.GaveUp, Detail: publish.Clip(err.Error(), 200)}, store.ScanFailed); ferr != nil {
			return errors.Join(err, ferr)
		}
		return nil
	}
	// The queue retries the job; say so with the job's context, since the
	// queue's own log line does not carry it.
	x.log.Warn().Err(err).Msg("review attempt failed; it will be retried")
	x.noteFailure(wctx, err)
	x.recordAttempt(wctx, store.ScanFailed, "")
	return err
}

func (x *run) do(ctx context.Context) error {
	if err := x.findPullRequest(ctx); err != nil || x.pr == nil {
		return err
	}
	if superseded, err := x.superseded(ctx); err != nil || superseded {
		return err
	}
	cfg, src, cfgErr := x.loadConfig(ctx)
	if cfgErr != nil && !errors.As(cfgErr, new(config.Errors)) {
		// The configuration could not be read (GitHub failed us), which is
		// not a verdict: the run says so while the job retries, and fails
		// after the last attempt.
		return errors.Join(cfgErr, x.ensureCheckRun(ctx))
	}
	x.base, x.configDigest, x.src = x.pr.GetBase().GetSHA(), configDigest(cfg, cfgErr, x.r.Version), src
	if cfg != nil {
		x.onUnscanned = cfg.OnUnscanned
	}
	history, err := x.r.Store.ScansOfHead(ctx, x.job.RepoID, x.job.PR, x.job.HeadSHA)
	if err != nil {
		return err
	}
	crashed := crashedBefore(history, x.base, x.configDigest)
	if !x.job.forced() || crashed != "" {
		// A head whose scan crashed is not scanned again without a new
		// push, even on request: its failing verdict stands.
		if current, err := x.verdictCurrent(ctx, history); err != nil || current {
			return err
		}
	}
	if err := x.ensureCheckRun(ctx); err != nil {
		return err
	}
	if err := x.startScan(ctx, src); err != nil {
		return err
	}
	if crashed != "" {
		// Attempts at this verdict died with warden: do not try again.
		return x.finishNotReviewed(ctx, publish.NotReviewed{Why: publish.Crashed, Detail: crashed}, store.ScanCrashed)
	}
	if cfgErr != nil {
		return x.finishWithConfigError(ctx, cfgErr, src)
	}
	if x.pr.GetDraft() && !cfg.PullRequests.ScanDrafts && !x.job.Rerun {
		// Read the pull request again: a ready_for_review that arrived
		// while this job ran was merged into it.
		if pr, err := x.gh.pullRequest(ctx, x.job.PR); err != nil {
			return fmt.Errorf("re-reading the pull request: %w", err)
		} else if pr.GetDraft() {
			return x.finishNotReviewed(ctx, publish.NotReviewed{Why: publish.Draft}, store.ScanNotReviewed)
		}
	}
	if err := x.r.GitHub.CloneURLAllowed(x.job.CloneURL); err != nil {
		return x.finishNotReviewed(ctx, publish.NotReviewed{Why: publish.CloneRefused, Detail: err.Error()}, store.ScanNotReviewed)
	}
	fetched, err := x.r.Workspace.Fetch(ctx, workspace.Request{
		RepoID: x.job.RepoID, CloneURL: x.job.CloneURL, Token: x.inst.GitToken,
		BaseRef: x.pr.GetBase().GetRef(), PR: x.pr.GetNumber(), HeadSHA: x.job.HeadSHA,
	})
	var limit *workspace.LimitError
	switch {
	case errors.Is(err, workspace.ErrSuperseded):
		x.log.Info().Err(err).Msg("head moved on while fetching")
		return x.finishSuperseded(ctx, "")
	case errors.As(err, &limit):
		return x.finishNotReviewed(ctx, publish.NotReviewed{Why: publish.OverLimit, Detail: limit.What}, store.ScanNotReviewed)
	case err != nil:
		return err
	}
	res, err := x.scan(ctx, cfg, fetched)
	var (
		crash  *sandbox.CrashError
		broken *sandbox.CacheError
	)
	switch {
	case errors.As(err, &crash):
		return x.finishNotReviewed(ctx, publish.NotReviewed{Why: publish.Crashed, Detail: crash.Cause}, store.ScanCrashed)
	case errors.As(err, &broken):
		// The retry fetches into a fresh cache.
		return errors.Join(err, x.r.Workspace.Discard(x.job.RepoID))
	case err != nil:
		return err
	}
	return x.publish(ctx, cfg, src, res.Diff, res.Report)
}

// findPullRequest re-reads the pull request: its head decides whether this
// job is still current, its base which branch to diff against.
func (x *run) findPullRequest(ctx context.Context) error {
	var err error
	if x.job.PR == 0 {
		x.pr, err = x.gh.pullRequestFor(ctx, x.job.HeadSHA)
		if err == nil && x.pr == nil {
			x.log.Info().Msg("no open pull request has this head; nothing to review")
		}
	} else {
		x.pr, err = x.gh.pullRequest(ctx, x.job.PR)
		if notFound(err) {
			x.log.Info().Msg("pull request not found; nothing to review")
			return nil
		}
	}
	if err != nil {
		return fmt.Errorf("reading the pull request: %w", err)
	}
	if x.pr == nil {
		return nil
	}
	x.job.PR = x.pr.GetNumber()
	x.log = x.log.With().Int("pr", x.job.PR).Logger()
	if x.pr.GetState() != "open" {
		x.log.Info().Msg("pull request is closed; nothing to review")
		x.pr = nil
	}
	return nil
}

// superseded tells whether a newer head exists, from GitHub (the pull
// request's head now) and from the store (a later job; the queue's worker
// recorded this job's head before running it).
func (x *run) superseded(ctx context.Context) (bool, error) {
	if head := x.pr.GetHead().GetSHA(); head != "" && head != x.job.HeadSHA {
		x.log.Info().Str("current_head", head).Msg("the pull request's head moved on; reviewing it instead")
		return true, x.requeue(ctx, head, x.pr.GetBase().GetSHA(), "requeue.head_moved")
	}
	s, err := x.r.Store.Superseded(ctx, x.job.RepoID, x.job.PR, x.job.HeadSHA)
	if s {
		x.log.Info().Msg("a later job superseded this head; skipping")
	}
	return s, err
}

// stillCurrent is asked before every write: a verdict for a head that
// moved on, or for a base the pull request no longer has, is not posted.
// When only the base moved, the head is queued again for a verdict against
// the new base.
func (x *run) stillCurrent(ctx context.Context) (bool, error) {
	pr, err := x.gh.pullRequest(ctx, x.job.PR)
	if err != nil {
		return false, fmt.Errorf("re-reading the pull request: %w", err)
	}
	if pr.GetHead().GetSHA() != x.job.HeadSHA {
		return false, nil
	}
	if base := pr.GetBase().GetSHA(); base != x.base {
		x.log.Info().Str("current_base", base).Msg("the pull request's base changed during the review; reviewing again against it")
		return false, x.requeue(ctx, x.job.HeadSHA, base, "requeue.base_changed")
	}
	s, err := x.r.Store.Superseded(ctx, x.job.RepoID, x.job.PR, x.job.HeadSHA)
	return !s, err
}

// requeue queues a review of the pull request's current head and base.
func (x *run) requeue(ctx context.Context, head, base, event string) error {
	if x.r.Requeue == nil {
		return nil
	}
	current := x.job
	current.HeadSHA, current.BaseSHA, current.JobID, current.Rerun, current.Fresh = head, base, 0, false, false
	current.Event = event
	if err := x.r.Requeue(ctx, current); err != nil {
		return fmt.Errorf("queueing the current head: %w", err)
	}
	return nil
}

// ensureCheckRun adopts warden's run on this head or creates it, and marks
// it in progress.
func (x *run) ensureCheckRun(ctx context.Context) error {
	cr, err := x.gh.checkRun(ctx, x.job.HeadSHA)
	if err != nil {
		return fmt.Errorf("listing check runs: %w", err)
	}
	const title, summary = "Reviewing this change", "warden is scanning the commits of this pull request."
	if cr != nil && (cr.GetStatus() != "completed" || !x.job.Rerun) {
		x.cr = cr
		if cr.GetStatus() == "completed" {
			// A retried job whose earlier attempt finished publishing:
			// republishing is idempotent, so go on and refresh it.
			x.log.Info().Int64("check_run", cr.GetID()).Msg("adopting completed check run")
		}
		_, err := x.gh.updateCheckRun(ctx, cr.GetID(), github.UpdateCheckRunOptions{Status: github.String("in_progress"),
			Output: &github.CheckRunOutput{Title: github.String(title), Summary: github.String(summary)}})
		return err
	}
	cr, err = createWithBackoff(ctx, x, title, summary)
	if err != nil {
		return fmt.Errorf("creating the check run: %w", err)
	}
	x.cr = cr
	return nil
}

// createWithBackoff retries GitHub's "No commit found for SHA", which a
// fork push can cause for a few seconds, at 1, 2, 4, 8… seconds up to a
// minute, then gives up visibly.
func createWithBackoff(ctx context.Context, x *run, title, summary string) (*github.CheckRun, error) {
	delay := time.Second
	for {
		cr, err := x.gh.createCheckRun(ctx, x.job.HeadSHA, itoa(x.job.JobID), title, summary)
		if err == nil || status(err) != 422 || !strings.Contains(err.Error(), "No commit found") || delay > time.Minute {
			return cr, err
		}
		x.log.Info().Dur("retry_in", delay).Msg("GitHub does not know the commit yet")
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		delay *= 2
	}
}

// loadConfig reads .github/warden.yml at the base commit (never the head:
// a change cannot weaken its own review), on top of organisation defaults.
func (x *run) loadConfig(ctx context.Context) (*config.Config, publish.ConfigSource, error) {
	return x.r.loadConfig(ctx, x.gh, x.job.InstallationID, x.job.Owner, x.job.Repo, x.pr.GetBase().GetSHA())
}

// LoadConfig is the configuration a review of a pull request with base
// commit baseSHA uses; the commands layer reads policy the same way.
func (r *Reviewer) LoadConfig(ctx context.Context, installationID int64, owner, repo, baseSHA string) (*config.Config, error) {
	inst := r.GitHub.Installation(installationID)
	cfg, _, err := r.loadConfig(ctx, &gh{c: inst.Client, owner: owner, repo: repo}, installationID, owner, repo, baseSHA)
	return cfg, err
}

// loadConfig reads the organisation's defaults (.github/warden.yml of its
// .github repository) and the repository's file at baseSHA. Only a missing
// defaults file means "no defaults": any other failure to read it is an
// error the review fails with, since going on would silently drop the
// organisation's policy (its approvals, its fail_on, its locks). In the
// organisation's .github repository its own file is the defaults.
func (r *Reviewer) loadConfig(ctx context.Context, g *gh, installationID int64, owner, repo, baseSHA string) (*config.Config, publish.ConfigSource, error) {
	src := publish.ConfigSource{SHA: baseSHA}
	var layers []config.Source
	orgRepo := strings.EqualFold(repo, ".github")
	if !orgRepo {
		org := r.GitHub.Installation(installationID)
		orgGH := &gh{c: org.Client, owner: owner, repo: ".github"}
		name := owner + "/.github:" + config.Path
		data, err := orgGH.fileAt(ctx, owner, ".github", config.Path, "")
		if err != nil {
			return nil, src, fmt.Errorf("reading the organisation's defaults %s: %w", name, err)
		}
		if data != nil {
			layers = append(layers, config.Source{Name: name, Data: data, Org: true})
		}
	}
	data, err := g.fileAt(ctx, owner, repo, config.Path, baseSHA)
	if err != nil {
		return nil, src, fmt.Errorf("reading %s: %w", config.Path, err)
	}
	if data != nil {
		src.Path = config.Path
		layers = append(layers, config.Source{Name: config.Path, Data: data, Org: orgRepo})
	}
	cfg, err := config.Load(layers...)
	return cfg, src, err
}

// scan runs the checks on the fetched commits, in the reviewer's scanner
// (a child process in `warden serve`).
func (x *run) scan(ctx context.Context, cfg *config.Config, f workspace.Fetched) (*sandbox.Result, error) {
	env := x.r.Env
	return x.r.Scanner.Scan(ctx, sandbox.Request{
		RepoPath: f.RepoPath, BaseSHA: f.BaseSHA, HeadSHA: f.HeadSHA, Config: cfg,
		Env:    sandbox.Env{OSVURL: env.OSVURL, OSVDB: env.OSVDB, Offline: env.Offline, RepoOwner: x.job.Owner},
		Limits: x.r.Workspace.SourceLimits(),
	}, sandbox.Services{Refs: x.r.ActionTags.resolver(x.inst.ID, x.inst.Client)})
}
