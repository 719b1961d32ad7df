// Package all maps a repository's configuration and the process's
// environment onto the set of checks to run. It is the one place that knows
// every check package.
package all

import (
	"context"
	"net/http"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/deps/osv"
	"github.com/wardenbot/warden/checks/workflows"
	"github.com/wardenbot/warden/config"
)

// Env is what the checks may use from the process: where to find
// vulnerability data and whether the network may be used at all.
type Env struct {
	OSVURL     string // base URL of an OSV-compatible API
	OSVDB      string // local OSV export (all.zip or a directory of JSON)
	Offline    bool   // no network at all
	HTTPClient *http.Client
	// OSVCache keeps vulnerability answers between scans (the bot's
	// database); nil gives each check its own in-memory cache.
	OSVCache osv.Cache

	// RepoOwner is the owner of the repository under review (its own
	// actions count as first-party). Optional.
	RepoOwner string
	// ActionResolver pins action tags to commit shas (the GitHub App sets
	// it; nil offline).
	ActionResolver workflows.RefResolver
}

// Build returns the enabled checks for cfg.
func Build(cfg *config.Config, env Env) ([]checks.Check, error) {
	var out []checks.Check
	for _, cat := range checks.Categories {
		if !cfg.Enabled(cat) {
			continue
		}
		c, err := build(cat, cfg, env)
		if err != nil {
			return nil, err
		}
		if c != nil {
			out = append(out, c)
		}
	}
	return out, nil
}

// RunOptions derives the runner's options from cfg.
func RunOptions(cfg *config.Config, cs []checks.Check) (checks.Options, error) {
	ignore, err := checks.NewPathMatcher(cfg.Paths.Ignore)
	if err != nil {
		return checks.Options{}, err
	}
	return checks.Options{
		Checks:             cs,
		FailOn:             cfg.FailOn,
		Ignore:             ignore,
		IgnoreFingerprints: cfg.Checks.Secrets.Allowlist.Fingerprints,
		AcceptUnscanned:    cfg.AcceptsUnscanned(),
	}, nil
}

// Scan builds the enabled checks for cfg and runs them on t: the one
// sequence `warden scan` and the GitHub App share.
func Scan(ctx context.Context, t *checks.Target, cfg *config.Config, env Env) (*checks.Report, error) {
	cs, err := Build(cfg, env)
	if err != nil {
		return nil, err
	}
	opts, err := RunOptions(cfg, cs)
	if err != nil {
		return nil, err
	}
	return checks.Run(ctx, t, opts)
}
