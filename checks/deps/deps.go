// Package deps is warden's dependency check: packages a change introduces
// that have known vulnerabilities (OSV data), with the version that fixes
// them, and packages whose license the repository's policy forbids.
package deps

import (
	"context"
	"net/http"
	"sync"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/deps/inventory"
	"github.com/wardenbot/warden/checks/deps/license"
	"github.com/wardenbot/warden/checks/deps/osv"
)

// Options configure the check. The zero value queries the public OSV API
// with an in-memory cache and applies no license policy.
type Options struct {
	// OSVURL is the OSV API root (POST {url}/v1/querybatch,
	// GET {url}/v1/vulns/{id}); default https://api.osv.dev.
	OSVURL string
	// Offline forbids all network access: vulnerabilities are matched only
	// against OSVDB, and licenses only from lockfiles.
	Offline bool
	// OSVDB is a local OSV export: a per-ecosystem all.zip, or a directory of
	// OSV JSON files and/or all.zip files. When set it is used instead of the
	// API, online or not.
	OSVDB string
	// HTTPClient is used for OSV and deps.dev; nil means a default client
	// with a 30 s timeout.
	HTTPClient *http.Client
	// Cache keeps OSV answers between scans; nil means an in-memory cache
	// owned by this check (the bot passes its database-backed one).
	Cache osv.Cache
	// LicenseDeny and LicenseAllow are SPDX ids or simple expressions. A
	// package whose every license choice includes a denied id, or (when the
	// allow list is set) none of whose choices is fully allowed, is reported.
	LicenseDeny  []string
	LicenseAllow []string
	// ReportUnknownLicenses reports introduced packages whose license is not
	// known, when a license policy is set.
	ReportUnknownLicenses bool
	// DepsDevURL is the deps.dev API root used to look up licenses the
	// lockfile does not record (e.g. https://api.deps.dev); empty disables
	// it. Never used when Offline.
	DepsDevURL string
}

// Check implements checks.Check.
type Check struct {
	opts   Options
	policy license.Policy

	initOnce sync.Once
	inv      *inventory.Extractor
	source   osv.Source
	initErr  error // extractors could not be built
	dbErr    error // the local export could not be loaded
}

var (
	_ checks.Check          = (*Check)(nil)
	_ checks.RuleDocumenter = (*Check)(nil)
)

// New returns the dependency check. Nothing is loaded until the first Run.
func New(opts Options) *Check {
	if opts.Cache == nil {
		opts.Cache = osv.NewMemoryCache()
	}
	return &Check{opts: opts, policy: license.Policy{Deny: opts.LicenseDeny, Allow: opts.LicenseAllow}}
}

func (c *Check) Name() string              { return "dependencies" }
func (c *Check) Category() checks.Category { return checks.CategoryDependencies }

// init builds the extractors and the vulnerability source once; a local
// export is loaded on first use, under the first scan's context.
func (c *Check) init(ctx context.Context) {
	c.initOnce.Do(func() {
		c.inv, c.initErr = inventory.New()
		switch {
		case c.opts.OSVDB != "":
			db, err := osv.LoadLocalDB(ctx, c.opts.OSVDB)
			if err != nil {
				c.dbErr = err
				return
			}
			c.source = db
		case c.opts.Offline:
			// no source: reported as a note on every run
		default:
			c.source = &osv.Client{BaseURL: c.opts.OSVURL, HTTP: c.opts.HTTPClient, Cache: c.opts.Cache}
		}
	})
}
