package all

import (
	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/code"
	"github.com/wardenbot/warden/checks/deps"
	"github.com/wardenbot/warden/checks/iac"
	"github.com/wardenbot/warden/checks/secrets"
	"github.com/wardenbot/warden/checks/workflows"
	"github.com/wardenbot/warden/config"
)

// build constructs one category's check; nil means the category has no
// implementation yet.
func build(cat checks.Category, cfg *config.Config, env Env) (checks.Check, error) {
	switch cat {
	case checks.CategorySecrets:
		return secrets.New(secrets.Options{
			AllowPaths:   cfg.Checks.Secrets.Allowlist.Paths,
			AllowRegexes: cfg.Checks.Secrets.Allowlist.Regexes,
		})
	case checks.CategoryCode:
		return code.New(code.Options{}), nil
	case checks.CategoryDependencies:
		return deps.New(deps.Options{
			OSVURL: env.OSVURL, Offline: env.Offline, OSVDB: env.OSVDB, HTTPClient: env.HTTPClient, Cache: env.OSVCache,
			LicenseDeny: cfg.Licenses.Deny, LicenseAllow: cfg.Licenses.Allow, ReportUnknownLicenses: cfg.Licenses.ReportUnknown,
		}), nil
	case checks.CategoryIaC:
		return iac.New(iac.Options{}), nil
	case checks.CategoryWorkflows:
		return workflows.New(workflows.Options{
			TrustedOwners: cfg.Checks.Workflows.TrustedOwners,
			Owner:         env.RepoOwner,
			Resolver:      env.ActionResolver,
		}), nil
	}
	return nil, nil
}
