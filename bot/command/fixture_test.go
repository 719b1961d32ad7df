package command_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/rs/zerolog"

	"github.com/wardenbot/warden/bot/command"
	"github.com/wardenbot/warden/bot/ghclient"
	"github.com/wardenbot/warden/bot/githubtest"
	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/bot/store/storetest"
	"github.com/wardenbot/warden/bot/webhook"
	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/config"
)

var ctx = context.Background()

// fingerprints of the findings the fixture's first scan reports.
var (
	fpKey   = "3f2a9c1b" + strings.Repeat("7d", 28)
	fpOther = "91be0d44" + strings.Repeat("e5", 28)
)

// fixture is a pull request on the GitHub fake, a real SQLite store that a
// first scan has filled, and a Handler wired to both.
type fixture struct {
	t      *testing.T
	gh     *githubtest.Server
	world  *githubtest.World
	st     store.Store
	clock  *storetest.Clock
	scans  *recordedScans
	config *fixedConfig
	h      *command.Handler
	repo   store.Repo
	client *github.Client
}

type fixtureOpt func(*githubtest.WorldSpec, *config.Config)

func withConfig(edit func(*config.Config)) fixtureOpt {
	return func(_ *githubtest.WorldSpec, c *config.Config) { edit(c) }
}

func withWorld(edit func(*githubtest.WorldSpec)) fixtureOpt {
	return func(w *githubtest.WorldSpec, _ *config.Config) { edit(w) }
}

func newFixture(t *testing.T, opts ...fixtureOpt) *fixture {
	t.Helper()
	spec := githubtest.WorldSpec{
		Author: "octocat",
		HeadFiles: map[string]string{
			"internal/cloud/aws.go":    "package cloud\n\nconst key = \"AKIA0000000000000000\"\n",
			".github/workflows/ci.yml": "on: push\njobs: {}\n",
		},
	}
	cfg := config.Default()
	cfg.SecurityTeam = "acme/security"
	for _, o := range opts {
		o(&spec, cfg)
	}
	s := githubtest.StartTB(t, githubtest.Options{})
	w := githubtest.WorldTB(t, s, spec)
	factory, err := ghclient.New(ghclient.Config{APIURL: s.APIURL(), AppID: w.App.ID, PrivateKey: s.PrivateKeyPEM(),
		Log: zerolog.Nop(), MinWriteGap: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	clock := storetest.NewClock()
	st := storetest.Open(t, storetest.SQLiteURL(t), store.WithClock(clock.Now))
	f := &fixture{
		t: t, gh: s, world: w, st: st, clock: clock, scans: &recordedScans{}, config: &fixedConfig{cfg: cfg},
		repo:   store.Repo{ID: w.Repo.ID, Owner: w.Repo.Owner, Name: w.Repo.Name},
		client: factory.Installation(w.Installation.ID, w.Repo.ID).Client,
	}
	f.h = &command.Handler{
		GitHub:   func(inst, repo int64) *github.Client { return factory.Installation(inst, repo).Client },
		Store:    st,
		Config:   f.config,
		Scans:    f.scans,
		Jobs:     f.scans,
		Rules:    testRules,
		BotLogin: w.App.BotLogin,
		Now:      clock.Now,
		Log:      zerolog.Nop(),
	}
	// warden heard of the pull request when it was opened, an hour ago
	// (the fake's clock is the real one, the store's a test clock).
	f.recordPush(w.HeadSHA, spec.Author, "opened", time.Now().Add(-time.Hour))
	f.scan(w.HeadSHA, fpKey, fpOther)
	t.Cleanup(func() { githubtest.AssertNoViolations(t, s) })
	return f
}

var testRules = command.RuleBook{
	"secrets/aws-access-key": {
		ID: "secrets/aws-access-key", Title: "AWS access key", Category: checks.CategorySecrets, Severity: checks.SeverityHigh,
		Description: "An AWS access key ID and secret committed to the repository.",
		Remediation: "Revoke the key in AWS IAM, then load credentials from the environment.",
		References:  []string{"https://cwe.mitre.org/data/definitions/798.html", "CWE-798", "javascript:alert(1)"},
	},
}

// scan records a scan of head that reports fingerprints, the way the
// reviewer does, and returns what changed.
func (f *fixture) scan(head string, fps ...string) store.ObserveResult {
	f.t.Helper()
	id, err := f.st.StartScan(ctx, store.Scan{InstallationID: f.world.Installation.ID, Repo: f.repo, PR: f.world.PR.Number, HeadSHA: head})
	if err != nil {
		f.t.Fatal(err)
	}
	var obs []store.Observation
	for _, fp := range fps {
		rule := "secrets/aws-access-key"
		if fp == fpOther {
			rule = "code/sql-injection"
		}
		obs = append(obs, store.Observation{Fingerprint: fp, RuleID: rule, Path: "internal/cloud/aws.go", Line: 3, Severity: "high"})
	}
	res, err := f.st.ObserveFindings(ctx, store.ScanRef{ScanID: id, Repo: f.repo, PR: f.world.PR.Number, HeadSHA: head}, obs)
	if err != nil {
		f.t.Fatal(err)
	}
	return res
}

// comment writes an issue comment as login and returns the routed work.
func (f *fixture) comment(login, body string) (webhook.Work, int64) {
	f.t.Helper()
	ic, err := f.gh.AddUserIssueComment(f.world.Repo.FullName(), f.world.PR.Number, login, body)
	if err != nil {
		f.t.Fatal(err)
	}
	return f.route("issue_comment", f.payloads().IssueComment, "created", ic.ID), ic.ID
}

func (f *fixture) payloads() *githubtest.Payloads { return githubtest.PayloadsTB(f.t, f.gh) }

type payloadFunc func(action, repo string, id int64, opts ...githubtest.PayloadOption) ([]byte, error)

func (f *fixture) route(event string, build payloadFunc, action string, id int64, opts ...githubtest.PayloadOption) webhook.Work {
	f.t.Helper()
	body, err := build(action, f.world.Repo.FullName(), id, opts...)
	if err != nil {
		f.t.Fatal(err)
	}
	w, err := webhook.Route(event, body)
	if err != nil {
		f.t.Fatal(err)
	}
	return w
}

// handle runs the work and fails the test on an error.
func (f *fixture) handle(w webhook.Work) {
	f.t.Helper()
	if err := f.h.Handle(ctx, w); err != nil {
		f.t.Fatalf("Handle: %v", err)
	}
}

// run writes a comment as login, runs it and returns warden's replies.
func (f *fixture) run(login, body string) []string {
	f.t.Helper()
	w, _ := f.comment(login, body)
	if w.Kind != webhook.Command {
		f.t.Fatalf("comment routed as %v (%s), not as a command", w.Kind, w.Reason)
	}
	before := len(f.botIssueComments())
	f.handle(w)
	return f.botIssueComments()[before:]
}

// runOne is run for a comment that must get exactly one reply.
func (f *fixture) runOne(login, body string) string {
	f.t.Helper()
	replies := f.run(login, body)
	if len(replies) != 1 {
		f.t.Fatalf("%d replies to %q, want 1: %q", len(replies), body, replies)
	}
	return replies[0]
}

func (f *fixture) botIssueComments() []string {
	var out []string
	for _, c := range f.gh.IssueComments(f.world.Repo.FullName(), f.world.PR.Number) {
		if c.User == f.world.App.BotLogin {
			out = append(out, c.Body)
		}
	}
	return out
}

// wardenComment posts warden's inline comment on a finding, as the reviewer
// does, and records it in the store when record is set.
func (f *fixture) wardenComment(fp string, record bool) int64 {
	f.t.Helper()
	c, _, err := f.client.PullRequests.CreateComment(ctx, f.world.Repo.Owner, f.world.Repo.Name, f.world.PR.Number, &github.PullRequestComment{
		Body: github.String("**🔴 High · Secret · AWS access key**\n\n<!-- warden:" + fp + " -->"), CommitID: github.String(f.world.HeadSHA),
		Path: github.String("internal/cloud/aws.go"), Line: github.Int(3), Side: github.String("RIGHT"),
	})
	if err != nil {
		f.t.Fatal(err)
	}
	if record {
		if _, err := f.st.MarkCommented(ctx, f.repo, f.world.PR.Number, fp, c.GetID(), ""); err != nil {
			f.t.Fatal(err)
		}
	}
	return c.GetID()
}

// commandAudits are the audit records of commands, oldest first.
func (f *fixture) commandAudits() []store.Record {
	f.t.Helper()
	var b strings.Builder
	if _, err := f.st.Export(ctx, store.ExportFilter{RepoID: f.repo.ID, Kinds: []string{store.KindCommand}}, &b); err != nil {
		f.t.Fatal(err)
	}
	var out []store.Record
	for _, l := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if l == "" {
			continue
		}
		out = append(out, decodeRecord(f.t, l))
	}
	return out
}

// suppressed is the suppression in force on the fixture's pull request.
func (f *fixture) suppressed(fp string) (store.Suppression, bool) {
	f.t.Helper()
	sp, err := f.st.ActiveSuppression(ctx, f.repo.ID, f.world.PR.Number, fp)
	if err != nil {
		return store.Suppression{}, false
	}
	return sp, true
}

// recordPush records a head of the pull request the way intake does for
// its pull_request events.
func (f *fixture) recordPush(head, pusher, event string, at time.Time) {
	f.t.Helper()
	if err := f.st.RecordPush(ctx, store.Push{Repo: f.repo, PR: f.world.PR.Number, HeadSHA: head, Pusher: pusher, Event: event, At: at}); err != nil {
		f.t.Fatal(err)
	}
}

// push commits onto the pull request as pusher and records the
// synchronize event, as heard of a minute ago: well before any comment the
// test writes next.
func (f *fixture) push(pusher string, spec githubtest.CommitSpec) string {
	f.t.Helper()
	head, err := f.gh.PushToPullRequest(f.world.Repo.FullName(), f.world.PR.Number, spec)
	if err != nil {
		f.t.Fatal(err)
	}
	f.recordPush(head, pusher, "synchronize", time.Now().Add(-time.Minute))
	return head
}

// inSecurityTeam makes login a member of the fixture's security team.
func (f *fixture) inSecurityTeam(logins ...string) {
	for _, l := range logins {
		f.gh.AddTeamMember("acme", "security", l, "member")
	}
}

// recordedScans is the Enqueuer and JobStates: it remembers what was
// asked, and jobs wait until started.
type recordedScans struct {
	mu      sync.Mutex
	jobs    []command.ScanRequest
	started map[int64]bool
}

func (r *recordedScans) EnqueueScan(_ context.Context, j command.ScanRequest) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.jobs = append(r.jobs, j)
	return int64(len(r.jobs)), nil
}

func (r *recordedScans) Waiting(_ context.Context, id int64) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return id >= 1 && id <= int64(len(r.jobs)) && !r.started[id], nil
}

// startAll marks every queued job as running.
func (r *recordedScans) startAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.started == nil {
		r.started = map[int64]bool{}
	}
	for i := range r.jobs {
		r.started[int64(i+1)] = true
	}
}

func (r *recordedScans) all() []command.ScanRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]command.ScanRequest(nil), r.jobs...)
}

// fixedConfig is the ConfigLoader: one configuration, and the commits it
// was asked for.
type fixedConfig struct {
	mu    sync.Mutex
	cfg   *config.Config
	asked []string
}

func (c *fixedConfig) Load(_ context.Context, _ int64, _, _, sha string) (*config.Config, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.asked = append(c.asked, sha)
	return c.cfg, nil
}

func mustContain(t *testing.T, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("reply does not contain %q:\n%s", w, got)
		}
	}
}
