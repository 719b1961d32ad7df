package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/google/go-github/v60/github"

	"github.com/wardenbot/warden/bot/ghclient"
	"github.com/wardenbot/warden/internal/ghname"
)

// InstallationState is what GitHub says of an installation now.
type InstallationState int

const (
	InstallationActive InstallationState = iota
	InstallationSuspended
	InstallationGone // uninstalled (GitHub answers 404)
)

func (s InstallationState) String() string {
	return [...]string{"active", "suspended", "gone"}[s]
}

// InstallationChecker asks GitHub, with the App's own credentials, what is
// true of an installation now. An installation event is only a hint: a
// replayed or late one must not suspend or remove a tenant.
type InstallationChecker interface {
	InstallationState(ctx context.Context, installationID int64) (InstallationState, error)
	// RepositoryInstalled reports whether the installation still covers
	// owner/repo.
	RepositoryInstalled(ctx context.Context, installationID int64, owner, repo string) (bool, error)
}

// errNotAName means a payload named a repository GitHub could not have
// created; it is not sent to the API.
var errNotAName = errors.New("not a GitHub owner/repository name")

// appInstallations implements InstallationChecker with the App's JWT.
type appInstallations struct{ gh *ghclient.Factory }

func (a appInstallations) InstallationState(ctx context.Context, id int64) (InstallationState, error) {
	inst, _, err := a.gh.App().Apps.GetInstallation(ctx, id)
	switch {
	case ghclient.StatusCode(err) == http.StatusNotFound:
		return InstallationGone, nil
	case err != nil:
		return 0, fmt.Errorf("GET /app/installations/%d: %w", id, err)
	case inst.SuspendedAt != nil:
		return InstallationSuspended, nil
	}
	return InstallationActive, nil
}

func (a appInstallations) RepositoryInstalled(ctx context.Context, id int64, owner, repo string) (bool, error) {
	if !ghname.Owner(owner) || !ghname.Repo(repo) {
		return false, errNotAName
	}
	c := a.gh.App()
	req, err := c.NewRequest(http.MethodGet, "repos/"+url.PathEscape(owner)+"/"+url.PathEscape(repo)+"/installation", nil)
	if err != nil {
		return false, err
	}
	var inst github.Installation
	_, err = c.Do(ctx, req, &inst)
	switch {
	case ghclient.StatusCode(err) == http.StatusNotFound:
		return false, nil
	case err != nil:
		return false, fmt.Errorf("GET /repos/{owner}/{repo}/installation: %w", err)
	}
	return inst.GetID() == id, nil
}
