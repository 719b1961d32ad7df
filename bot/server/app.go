package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/wardenbot/warden/bot/ghclient"
	"github.com/wardenbot/warden/bot/metrics"
	"github.com/wardenbot/warden/bot/queue"
	"github.com/wardenbot/warden/bot/review"
	"github.com/wardenbot/warden/bot/sandbox"
	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/bot/webhook"
	"github.com/wardenbot/warden/bot/workspace"
	"github.com/wardenbot/warden/checks/all"
	"github.com/wardenbot/warden/config"
)

// Options are what `warden serve` is started with beyond its configuration.
type Options struct {
	Version string
	Log     zerolog.Logger
	// Listener, when set, is used instead of listening on cfg.Listen (tests
	// and the demo pass a loopback listener).
	Listener net.Listener
	// AdminListener, when set, is used instead of listening on
	// cfg.AdminListen for /metrics, /readyz and pprof.
	AdminListener net.Listener
	// Commands replaces the slash-command handler (tests).
	Commands queue.CommandHandler
	// Ready receives the listening address once deliveries are accepted.
	Ready chan<- string
	// CheckEnv, when set, replaces the checks' environment derived from the
	// configuration (tests point the dependency check at a local OSV).
	CheckEnv *all.Env
	// ReconcileEvery overrides how often open pull requests are checked
	// for unreviewed heads; negative turns it off (tests, the demo).
	ReconcileEvery time.Duration
	// MaxInstallationBacklog overrides how many jobs one installation may
	// have waiting (default 200).
	MaxInstallationBacklog int
	// Scanner replaces the child-process scanner (tests inject a scan
	// that crashes).
	Scanner sandbox.Scanner
	// MinWriteGap overrides the spacing of one installation's GitHub writes
	// (1 s, as GitHub asks of Apps); the offline demo's fake needs none.
	MinWriteGap time.Duration
}

// App is one running warden: store, queue, workers and HTTP endpoints.
type App struct {
	cfg      *config.Server
	opts     Options
	Store    store.Store
	Queue    *queue.Queue
	Reviewer *review.Reviewer
	Metrics  *metrics.Metrics
	GitHub   *ghclient.Factory
}

// New opens the database and builds every part; Run starts them.
func New(ctx context.Context, cfg *config.Server, opts Options) (*App, error) {
	st, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("opening the database: %w", err)
	}
	a := &App{cfg: cfg, opts: opts, Store: st}
	ok := false
	defer func() {
		if !ok {
			st.Close()
		}
	}()
	a.Metrics = metrics.New(func() float64 {
		if a.Queue == nil {
			return 0
		}
		s, err := a.Queue.Stats(context.Background())
		if err != nil {
			return -1
		}
		return float64(s.Backlog)
	})
	a.GitHub, err = ghclient.New(ghclient.Config{
		APIURL: cfg.GitHubAPIURL, AppID: cfg.AppID, PrivateKey: cfg.PrivateKey,
		Pauses: st, Log: opts.Log, Observe: a.Metrics.APICall, UserAgent: "warden/" + opts.Version,
		MinWriteGap: opts.MinWriteGap,
	})
	if err != nil {
		return nil, err
	}
	workdir := cfg.WorkDir
	if workdir == "" {
		// Per user, so the workspace's ownership check passes for this
		// user only; a directory someone else made first is refused.
		workdir = filepath.Join(os.TempDir(), fmt.Sprintf("warden-repos-%d", os.Geteuid()))
	}
	ws, err := workspace.New(workdir, nil, workspace.Limits{MaxFetchBytes: cfg.FetchMaxBytes, MaxCacheBytes: cfg.CacheMaxBytes})
	if err != nil {
		return nil, err
	}
	a.Reviewer = &review.Reviewer{
		Store: st, GitHub: a.GitHub, Workspace: ws, Metrics: a.Metrics, Log: opts.Log, Version: opts.Version,
		Env:        all.Env{OSVURL: cfg.OSVURL},
		Scanner:    sandbox.NewProcess("", sandbox.Limits{Memory: cfg.ScanMemory, Wall: cfg.ScanTimeout}),
		ActionTags: review.NewTagCache(review.DefaultTagCacheSize, review.DefaultTagCacheTTL),
	}
	if opts.CheckEnv != nil {
		a.Reviewer.Env = *opts.CheckEnv
	}
	if opts.Scanner != nil {
		a.Reviewer.Scanner = opts.Scanner
	}
	var cmds queue.CommandHandler = opts.Commands
	if cmds == nil {
		if cmds, err = newCommandHandler(a); err != nil {
			return nil, err
		}
	}
	a.Queue, err = queue.New(ctx, st, queue.Handlers{
		Scan:      scanHandler{r: a.Reviewer},
		Command:   cmds,
		Reconcile: reconcileHandler{a},
	}, queue.Config{Workers: cfg.Workers, Logger: slog.New(zerologHandler{log: opts.Log}), ReconcileEvery: reconcileEvery(opts.ReconcileEvery),
		MaxInstallationBacklog: opts.MaxInstallationBacklog})
	if err != nil {
		return nil, err
	}
	a.Reviewer.Requeue = rescans{a.Queue}.EnqueueScan
	ok = true
	return a, nil
}

// Run serves until ctx ends, then shuts down gracefully: no new deliveries,
// running scans get time to finish, the database is closed last.
func (a *App) Run(ctx context.Context) error {
	defer a.Store.Close()
	intake := &Intake{Queue: a.Queue, Store: a.Store, Log: a.opts.Log, Installations: appInstallations{a.GitHub}}
	hook, err := webhook.NewHandler(a.cfg.WebhookSecret, intake, deliveries{a.Store}, a.opts.Log, a.Metrics.Delivery, nil)
	if err != nil {
		return err
	}
	ln, admin, err := a.listen()
	if err != nil {
		return err
	}
	if err := a.Queue.Start(ctx); err != nil {
		ln.Close()
		if admin != nil {
			admin.Close()
		}
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		pruneDeliveries(ctx, a.Store, PruneEvery, time.Now, a.opts.Log)
	}()
	adminErr := make(chan error, 1)
	if admin != nil {
		srv := NewAdmin(a.cfg.AdminListen, a.Metrics.Handler(), a.readiness(), a.opts.Log)
		go func() {
			err := srv.Serve(ctx, admin)
			if err != nil {
				cancel() // the process is not observable without it
			}
			adminErr <- err
		}()
		a.opts.Log.Info().Str("listen", admin.Addr().String()).Msg("admin endpoints: /metrics /readyz /debug/pprof/")
	} else {
		adminErr <- nil
		a.opts.Log.Warn().Msg("no admin listener (WARDEN_ADMIN_LISTEN=off): /metrics and /readyz are not served")
	}
	a.opts.Log.Info().Str("listen", ln.Addr().String()).Int("workers", a.cfg.Workers).Str("github", a.cfg.GitHubAPIURL).Msg("warden serving")
	if a.opts.Ready != nil {
		a.opts.Ready <- ln.Addr().String()
	}
	serveErr := NewPublic(a.cfg.Listen, hook, a.opts.Log, DefaultTimeouts).Serve(ctx, ln)
	cancel()
	serveErr = errors.Join(serveErr, <-adminErr)
	wg.Wait()
	stop, stopCancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer stopCancel()
	if err := a.Queue.Stop(stop); err != nil {
		a.opts.Log.Warn().Err(err).Msg("stopping the queue")
	}
	if spare, ok := a.Reviewer.Scanner.(interface{ Close() }); ok {
		spare.Close() // the idle scan child waiting for the next review
	}
	a.opts.Log.Info().Msg("warden stopped")
	return serveErr
}

// listen opens the public listener and, unless turned off, the admin one.
func (a *App) listen() (public, admin net.Listener, err error) {
	public = a.opts.Listener
	if public == nil {
		if public, err = net.Listen("tcp", a.cfg.Listen); err != nil {
			return nil, nil, err
		}
	}
	admin = a.opts.AdminListener
	if admin == nil && a.cfg.AdminListen != "" {
		if admin, err = net.Listen("tcp", a.cfg.AdminListen); err != nil {
			public.Close()
			return nil, nil, fmt.Errorf("admin listener (WARDEN_ADMIN_LISTEN): %w", err)
		}
	}
	return public, admin, nil
}

// readiness is what /readyz checks.
func (a *App) readiness() map[string]Probe {
	return map[string]Probe{
		"database": func(ctx context.Context) error { return a.Store.Handle().DB.PingContext(ctx) },
		"queue": func(ctx context.Context) error {
			_, err := a.Queue.Stats(ctx)
			return err
		},
		"clock": func(context.Context) error {
			if skew := a.GitHub.ClockSkew(); skew > 5*time.Minute || skew < -5*time.Minute {
				return fmt.Errorf("clock skew of %s against GitHub: App JWTs will be refused", skew.Round(time.Second))
			}
			return nil
		},
	}
}

// scanHandler adapts the queue's job to the reviewer and its errors to the
// queue's retry vocabulary.
type scanHandler struct{ r *review.Reviewer }

func (h scanHandler) HandleScan(ctx context.Context, j queue.ScanJob) error {
	err := h.r.Scan(ctx, review.Job{
		InstallationID: j.InstallationID, RepoID: j.RepoID, Owner: j.Owner, Repo: j.Repo, CloneURL: j.CloneURL,
		PR: j.PR, HeadSHA: j.HeadSHA, BaseSHA: j.BaseSHA, DeliveryID: j.DeliveryID, Event: j.Trigger,
		Rerun: j.Rerun != "", Fresh: j.Fresh != "", JobID: j.JobID, LastAttempt: j.LastAttempt,
	})
	if rl, ok := ghclient.IsRateLimited(err); ok {
		return &queue.RateLimitedError{Until: rl.Until, Err: err}
	}
	return err
}
