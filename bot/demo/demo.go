// Package demo is `warden demo`: a real `warden serve` reviews a sample pull
// request on a strict in-process GitHub fake, with no GitHub App and no
// network (loopback only), and the terminal shows each step as it happens
// and then what a reviewer sees.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/wardenbot/warden/bot/githubtest"
	"github.com/wardenbot/warden/bot/server"
	"github.com/wardenbot/warden/checks/all"
	"github.com/wardenbot/warden/config"
)

// DefaultLimit bounds the whole demo.
const DefaultLimit = 60 * time.Second

// Options configure a run of the demo.
type Options struct {
	Out     io.Writer // narration and what a reviewer sees
	Logs    io.Writer // with Verbose: warden's own log lines
	Verbose bool
	Color   bool
	// Keep leaves the fake and warden running after the demo, printing
	// their URLs, until ctx ends.
	Keep    bool
	Limit   time.Duration // default DefaultLimit
	Version string
}

// ErrTooSlow is returned when the demo does not finish within its limit.
var ErrTooSlow = errors.New("demo too slow")

// demo is one run: the fake, warden, and what the narration has seen.
type demo struct {
	o     Options
	p     painter
	sink  *logSink
	out   io.Writer
	tmp   string
	gh    *githubtest.Server
	world *githubtest.World
	pays  *githubtest.Payloads
	url   string // warden's base URL
	admin string // warden's admin base URL (/metrics, /readyz)

	stopApp func() error
	waiting string // the step the narration waits for (for a timeout message)
	started time.Time
}

// Run plays the demo. It returns nil once both acts are shown (and, with
// Keep, ctx has ended); an error wrapping ErrTooSlow when the limit passed.
func Run(ctx context.Context, o Options) (err error) {
	if o.Limit <= 0 {
		o.Limit = DefaultLimit
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	if o.Version == "" {
		o.Version = "dev"
	}
	var logs io.Writer
	if o.Verbose {
		logs = o.Logs
		if logs == nil {
			logs = os.Stderr
		}
	}
	d := &demo{o: o, p: painter{on: o.Color}, sink: newLogSink(logs, o.Color), out: o.Out, started: time.Now(),
		waiting: "the sample repository and the GitHub fake"}
	defer func() {
		if cerr := d.close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	limited, cancel := context.WithTimeout(ctx, o.Limit)
	defer cancel()
	err = d.play(limited)
	if err != nil && ctx.Err() != nil {
		return errors.New("interrupted")
	}
	if err != nil && errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		return fmt.Errorf("%w: not finished within %s (waiting for %s)", ErrTooSlow, o.Limit, d.waiting)
	}
	if err != nil {
		return err
	}
	if o.Keep {
		d.keep(ctx)
	}
	return nil
}

func (d *demo) play(ctx context.Context) error {
	if _, err := exec.LookPath("git"); err != nil {
		return errors.New("warden demo needs git on PATH: its GitHub fake serves repositories with git http-backend")
	}
	d.printf("%s %s\n\n", d.p.bold("warden demo"), d.p.dim("· a pull request reviewed end to end on this machine: no GitHub App, no network"))
	if err := d.setUp(ctx); err != nil {
		return err
	}
	first, err := d.act1(ctx)
	if err != nil {
		return err
	}
	second, err := d.act2(ctx, first)
	if err != nil {
		return err
	}
	d.total(first, second)
	return nil
}

func (d *demo) printf(format string, args ...any) { fmt.Fprintf(d.out, format, args...) }

// setUp starts the fake, plants the pull request and starts warden serve.
func (d *demo) setUp(ctx context.Context) error {
	var err error
	if d.tmp, err = os.MkdirTemp("", "warden-demo-"); err != nil {
		return fmt.Errorf("temporary directory: %w", err)
	}
	t := time.Now()
	if d.gh, err = githubtest.Start(githubtest.Options{GitRoot: filepath.Join(d.tmp, "github")}); err != nil {
		return fmt.Errorf("starting the GitHub fake: %w", err)
	}
	d.setupLine("GitHub fake", d.gh.URL()+" · REST, GraphQL, git", time.Since(t))

	t = time.Now()
	d.world, err = githubtest.NewWorld(d.gh, githubtest.WorldSpec{
		Owner: demoOwner, Repo: demoRepo, Author: demoAuthor, Title: demoTitle,
		BaseFiles: baseFiles(), HeadBranch: "deploy-pipeline", HeadFiles: firstCommit(),
	})
	if err != nil {
		return fmt.Errorf("planting the pull request: %w", err)
	}
	if d.world.HeadSHA, err = d.gh.PushToPullRequest(d.world.Repo.FullName(), d.world.PR.Number, secondCommit()); err != nil {
		return fmt.Errorf("planting the pull request: %w", err)
	}
	if d.pays, err = d.gh.NewPayloads(nil); err != nil {
		return fmt.Errorf("webhook payloads: %w", err)
	}
	d.setupLine("pull request", fmt.Sprintf("%s#%d %q · 2 commits", d.world.Repo.FullName(), d.world.PR.Number, demoTitle), time.Since(t))

	t = time.Now()
	if err := d.startWarden(ctx); err != nil {
		return err
	}
	d.setupLine("warden serve", d.url+" · SQLite · 2 workers", time.Since(t))
	return nil
}

func (d *demo) startWarden(ctx context.Context) error {
	cfg := &config.Server{
		AppID: d.world.App.ID, PrivateKey: d.gh.PrivateKeyPEM(), WebhookSecret: d.world.App.WebhookSecret,
		GitHubAPIURL: d.gh.APIURL(), DatabaseURL: "sqlite://" + filepath.Join(d.tmp, "warden.db"),
		Workers: 2, WorkDir: filepath.Join(d.tmp, "repos"), Listen: "127.0.0.1:0", LogLevel: "info",
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("warden serve: %w", err)
	}
	adminLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		ln.Close()
		return fmt.Errorf("warden serve: %w", err)
	}
	// The app outlives the demo's time limit with --keep, so it gets its
	// own context; close stops it.
	appCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	app, err := server.New(appCtx, cfg, server.Options{
		Version: d.o.Version, Log: d.sink.logger(d.o.Verbose), Listener: ln, AdminListener: adminLn, Ready: make(chan string, 1),
		CheckEnv: &all.Env{Offline: true},
		// The fake has no write quota to protect; real GitHub gets 1 s.
		MinWriteGap: -1,
		// The demo delivers its webhooks; a sweep at start would race them.
		ReconcileEvery: -1,
	})
	if err != nil {
		cancel()
		ln.Close()
		adminLn.Close()
		return fmt.Errorf("warden serve: %w", err)
	}
	done := make(chan error, 1)
	go func() { done <- app.Run(appCtx) }()
	d.url = "http://" + ln.Addr().String()
	d.admin = "http://" + adminLn.Addr().String()
	d.stopApp = func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(15 * time.Second):
			return errors.New("warden serve did not stop within 15 s")
		}
	}
	return d.waitReady(ctx)
}

// waitReady polls /readyz: the queue and database are up.
func (d *demo) waitReady(ctx context.Context) error {
	d.waiting = "warden serve to be ready"
	for {
		if ok, _ := httpOK(ctx, d.admin+"/readyz"); ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func (d *demo) setupLine(label, detail string, took time.Duration) {
	d.printf("  %s %-17s%s %s\n", d.p.paint(ansiGreen, "✓"), label, padRight(detail, detailWidth), d.p.dim(fmt.Sprintf("%8s", ms(took))))
}

// close stops warden, then the fake, and removes the temporary directory.
func (d *demo) close() error {
	var errs []error
	if d.stopApp != nil {
		errs = append(errs, d.stopApp())
	}
	if d.gh != nil {
		errs = append(errs, d.gh.Close())
	}
	if d.tmp != "" {
		errs = append(errs, os.RemoveAll(d.tmp))
	}
	return errors.Join(errs...)
}

// keep leaves everything running until ctx ends.
func (d *demo) keep(ctx context.Context) {
	tok, err := d.gh.MintToken(d.world.Installation.ID, time.Hour)
	d.printf("\n%s (Ctrl-C to stop)\n", d.p.bold("Still running"))
	d.printf("  GitHub API   %s\n", d.gh.APIURL())
	d.printf("  git          %s\n", d.world.CloneURL)
	d.printf("  warden       %s/webhook · /healthz\n", d.url)
	d.printf("  admin        %s/readyz · /metrics · /debug/pprof/\n", d.admin)
	if err == nil {
		host := strings.TrimPrefix(d.gh.URL(), "http://")
		d.printf("  %s\n", d.p.dim("with the fake's installation token (valid 1 h):"))
		d.printf("  curl -s -H 'Authorization: token %s' %srepos/%s/pulls/%d/comments\n", tok, d.gh.APIURL(), d.world.Repo.FullName(), d.world.PR.Number)
		d.printf("  git clone http://x-access-token:%s@%s/%s.git\n", tok, host, d.world.Repo.FullName())
	}
	<-ctx.Done()
	d.printf("\n")
}

func ms(d time.Duration) string {
	if d >= 10*time.Second {
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return fmt.Sprintf("%d ms", d.Milliseconds())
}

// checkNames lists the checks warden runs with the default configuration
// (the sample repository has no .github/warden.yml).
func checkNames() []string {
	cfg, err := config.Load()
	if err != nil {
		return nil
	}
	cs, err := all.Build(cfg, all.Env{Offline: true})
	if err != nil {
		return nil
	}
	names := make([]string, 0, len(cs))
	for _, c := range cs {
		names = append(names, c.Name())
	}
	return names
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func short(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
