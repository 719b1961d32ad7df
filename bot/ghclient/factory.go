// Package ghclient builds GitHub API clients for warden: one per
// installation, authenticated with ghinstallation, behind a transport that
// keeps warden inside GitHub's rate limits and never leaks a token.
package ghclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v60/github"
	"github.com/rs/zerolog"
)

// DefaultAPIURL is github.com's REST API.
const DefaultAPIURL = "https://api.github.com/"

// Pauses persists per-installation write pauses so a restart still honours
// a rate limit GitHub asked for.
type Pauses interface {
	PauseWrites(ctx context.Context, installationID int64, until time.Time) error
	WritesPausedUntil(ctx context.Context, installationID int64) (time.Time, error)
}

// Observer is told about every API call (for metrics).
type Observer func(method, route string, status int, took time.Duration)

// Config configures a Factory.
type Config struct {
	APIURL     string // WARDEN_GITHUB_API_URL; DefaultAPIURL when empty
	AppID      int64
	PrivateKey []byte // PEM
	Transport  http.RoundTripper
	Pauses     Pauses // nil: pauses are kept in memory only
	Log        zerolog.Logger
	Observe    Observer
	UserAgent  string
	// MinWriteGap spaces writes of one installation (GitHub asks for ≥1 s);
	// 0 means 1 s, a negative value no spacing (fakes only).
	MinWriteGap time.Duration
	// Permissions narrows installation tokens; nil means DefaultPermissions.
	Permissions *github.InstallationPermissions
}

// DefaultPermissions is what warden needs and nothing more.
func DefaultPermissions() *github.InstallationPermissions {
	return &github.InstallationPermissions{
		Contents:     github.String("read"),
		Metadata:     github.String("read"),
		Checks:       github.String("write"),
		PullRequests: github.String("write"),
		Issues:       github.String("write"),
		Members:      github.String("read"),
	}
}

// Factory hands out clients. Safe for concurrent use.
type Factory struct {
	cfg     Config
	apiURL  *url.URL
	appTr   *ghinstallation.AppsTransport
	mu      sync.Mutex
	lanes   map[int64]*lane
	clients map[string]*Installation // by installation and repository scope
	skew    skewTracker
	base    http.RoundTripper
	gitHost string
}

// New validates the configuration.
func New(cfg Config) (*Factory, error) {
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	if !strings.HasSuffix(cfg.APIURL, "/") {
		cfg.APIURL += "/"
	}
	u, err := url.Parse(cfg.APIURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("invalid GitHub API URL %q", cfg.APIURL)
	}
	if cfg.AppID <= 0 {
		return nil, errors.New("a GitHub App id is required (WARDEN_APP_ID)")
	}
	if cfg.Transport == nil {
		cfg.Transport = http.DefaultTransport
	}
	switch {
	case cfg.MinWriteGap == 0:
		cfg.MinWriteGap = time.Second
	case cfg.MinWriteGap < 0:
		cfg.MinWriteGap = 0
	}
	if cfg.Observe == nil {
		cfg.Observe = func(string, string, int, time.Duration) {}
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "warden"
	}
	f := &Factory{cfg: cfg, apiURL: u, lanes: map[int64]*lane{}, clients: map[string]*Installation{}, gitHost: gitHostFor(u)}
	f.base = &observingTransport{next: cfg.Transport, f: f}
	atr, err := ghinstallation.NewAppsTransport(f.base, cfg.AppID, cfg.PrivateKey)
	if err != nil {
		return nil, fmt.Errorf("reading the App's private key: %w", err)
	}
	atr.BaseURL = strings.TrimRight(cfg.APIURL, "/")
	f.appTr = atr
	return f, nil
}

// gitHostFor is the host clones may go to: github.com for api.github.com,
// the API's own host (any port) for GitHub Enterprise Server and tests.
func gitHostFor(api *url.URL) string {
	if api.Hostname() == "api.github.com" {
		return "github.com"
	}
	return api.Hostname()
}

// AppID is the GitHub App warden runs as: the only App whose check runs it
// reads or writes.
func (f *Factory) AppID() int64 { return f.cfg.AppID }

// GitHost is the hostname warden may send installation tokens to over git.
func (f *Factory) GitHost() string { return f.gitHost }

// WebURL is where people browse this GitHub (for links in summaries):
// https://github.com, or the Enterprise Server's or test server's origin.
func (f *Factory) WebURL() string {
	if f.apiURL.Hostname() == "api.github.com" {
		return "https://github.com"
	}
	return f.apiURL.Scheme + "://" + f.apiURL.Host
}

// CloneURLAllowed reports whether a repository's clone_url points at the
// configured GitHub, so a token is never sent anywhere else.
func (f *Factory) CloneURLAllowed(cloneURL string) error {
	u, err := url.Parse(cloneURL)
	if err != nil || u.Host == "" {
		return fmt.Errorf("clone URL %q is not a URL", cloneURL)
	}
	if u.User != nil {
		return fmt.Errorf("clone URL %q carries credentials", u.Redacted())
	}
	if u.Scheme != "https" && !(u.Scheme == "http" && f.apiURL.Scheme == "http") {
		return fmt.Errorf("clone URL %q is not https", cloneURL)
	}
	if !strings.EqualFold(u.Hostname(), f.gitHost) {
		return fmt.Errorf("clone URL host %q is not the configured GitHub host %q; refusing to send it a token", u.Hostname(), f.gitHost)
	}
	return nil
}

func (f *Factory) newClient(rt http.RoundTripper) *github.Client {
	c := github.NewClient(&http.Client{Transport: rt, Timeout: 60 * time.Second})
	c.BaseURL = f.apiURL
	c.UserAgent = f.cfg.UserAgent
	return c
}

// App returns a client authenticated as the App itself (a JWT), for the
// /app endpoints only.
func (f *Factory) App() *github.Client { return f.newClient(f.appTr) }

// Installation is a client for one installation, scoped to some of its
// repositories.
type Installation struct {
	Client *github.Client
	ID     int64
	tr     *ghinstallation.Transport
	f      *Factory
}

// Installation returns a client whose token is limited to repoIDs and to
// the permissions warden needs. Clients are kept per (installation,
// repositories): the token is minted once and refreshed by ghinstallation
// before it expires, instead of minting one per job.
func (f *Factory) Installation(installationID int64, repoIDs ...int64) *Installation {
	ids := slices.Clone(repoIDs)
	slices.Sort(ids)
	key := fmt.Sprint(installationID, ids)
	f.mu.Lock()
	defer f.mu.Unlock()
	if c, ok := f.clients[key]; ok {
		return c
	}
	c := f.newInstallation(installationID, ids)
	f.clients[key] = c
	return c
}

func (f *Factory) newInstallation(installationID int64, repoIDs []int64) *Installation {
	itr := ghinstallation.NewFromAppsTransport(f.appTr, installationID)
	itr.BaseURL = strings.TrimRight(f.cfg.APIURL, "/")
	perms := f.cfg.Permissions
	if perms == nil {
		perms = DefaultPermissions()
	}
	itr.InstallationTokenOptions = &github.InstallationTokenOptions{RepositoryIDs: repoIDs, Permissions: perms}
	lt := &limitTransport{next: itr, lane: f.laneLocked(installationID), f: f}
	return &Installation{Client: f.newClient(lt), ID: installationID, tr: itr, f: f}
}

// GitToken returns a currently valid token for git over HTTPS. Ask again
// before every git operation: a token taken out for git does not refresh.
func (i *Installation) GitToken(ctx context.Context) (string, error) {
	return i.tr.Token(ctx)
}

// GraphQLURL is the GraphQL endpoint beside the REST API.
func (f *Factory) GraphQLURL() string {
	u := *f.apiURL
	switch {
	case u.Hostname() == "api.github.com":
		u.Path = "/graphql"
	case strings.HasSuffix(u.Path, "/api/v3/"):
		u.Path = strings.TrimSuffix(u.Path, "v3/") + "graphql"
	default:
		u.Path += "graphql"
	}
	return u.String()
}

// ClockSkew is the last measured difference between GitHub's clock (its
// Date header) and ours; JWTs fail when it exceeds about a minute.
func (f *Factory) ClockSkew() time.Duration { return f.skew.get() }
