package githubtest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DefaultPermissions are granted to an installation unless it names its own.
func DefaultPermissions() map[string]string {
	return map[string]string{
		"checks": "write", "contents": "read", "issues": "write", "metadata": "read",
		"members": "read", "pull_requests": "write",
	}
}

// InstallationSpec describes a new installation.
type InstallationSpec struct {
	Account     string // organisation or user login
	AccountType string // default "Organization"
	// RepositoryNames limits the installation to these repositories
	// ("selected"); empty means all repositories of the account.
	RepositoryNames []string
	Permissions     map[string]string // default DefaultPermissions()
}

// CreateInstallation installs the App on an account.
func (s *Server) CreateInstallation(spec InstallationSpec) Installation {
	s.mu.Lock()
	defer s.mu.Unlock()
	inst := &Installation{
		ID: s.st.newID(), Account: spec.Account, AccountType: spec.AccountType,
		RepositorySelection: "all", Permissions: spec.Permissions,
	}
	if inst.AccountType == "" {
		inst.AccountType = "Organization"
	}
	if inst.Permissions == nil {
		inst.Permissions = DefaultPermissions()
	}
	if len(spec.RepositoryNames) > 0 {
		inst.RepositorySelection = "selected"
		for _, name := range spec.RepositoryNames {
			if r := s.st.repos[strings.ToLower(spec.Account+"/"+name)]; r != nil {
				inst.RepositoryIDs = append(inst.RepositoryIDs, r.ID)
			}
		}
	}
	s.st.installations[inst.ID] = inst
	if acct := s.st.user(spec.Account); inst.AccountType == "Organization" {
		acct.Type = "Organization"
	}
	return copyInstallation(inst)
}

// SetInstallationRepositories changes a "selected" installation's
// repositories (installation_repositories added/removed).
func (s *Server) SetInstallationRepositories(id int64, repoIDs []int64) error {
	return s.updateInstallation(id, func(i *Installation) {
		i.RepositorySelection = "selected"
		i.RepositoryIDs = append([]int64(nil), repoIDs...)
	})
}

// SuspendInstallation makes token minting and API calls answer 403.
func (s *Server) SuspendInstallation(id int64, suspended bool) error {
	return s.updateInstallation(id, func(i *Installation) { i.Suspended = suspended })
}

// DeleteInstallation uninstalls the App: token minting answers 404 and
// existing tokens stop working.
func (s *Server) DeleteInstallation(id int64) error {
	return s.updateInstallation(id, func(i *Installation) { i.Deleted = true })
}

func (s *Server) updateInstallation(id int64, f func(*Installation)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	inst := s.st.installations[id]
	if inst == nil {
		return fmt.Errorf("githubtest: no installation %d", id)
	}
	f(inst)
	return nil
}

// Installation returns a copy of an installation.
func (s *Server) Installation(id int64) (Installation, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	inst, ok := s.st.installations[id]
	if !ok {
		return Installation{}, false
	}
	return copyInstallation(inst), true
}

func copyInstallation(i *Installation) Installation {
	c := *i
	c.RepositoryIDs = append([]int64(nil), i.RepositoryIDs...)
	c.Permissions = map[string]string{}
	for k, v := range i.Permissions {
		c.Permissions[k] = v
	}
	return c
}

func (s *Server) appRoutes() []*route {
	return []*route{
		{method: "GET", template: "/app", auth: authApp, handle: s.handleGetApp},
		{method: "GET", template: "/app/installations", auth: authApp, handle: s.handleListInstallations},
		{method: "GET", template: "/app/installations/{installation_id}", auth: authApp, handle: s.handleGetInstallation},
		{method: "POST", template: "/app/installations/{installation_id}/access_tokens", auth: authApp, handle: s.handleCreateToken},
		{method: "GET", template: "/repos/{owner}/{repo}/installation", auth: authApp, handle: s.handleRepoInstallation},
	}
}

func (s *Server) appJSON() map[string]any {
	return map[string]any{
		"id": s.app.id, "slug": s.app.slug, "node_id": nodeID("A", s.app.id), "name": s.app.slug,
		"owner": s.userJSON(s.st.user("wardenbot")), "external_url": "https://example.invalid/warden",
		"html_url": s.baseURL + "/apps/" + s.app.slug, "description": "", "created_at": time.Unix(0, 0).UTC(),
		"updated_at": time.Unix(0, 0).UTC(), "permissions": DefaultPermissions(), "events": []string{},
	}
}

// appJSONFor renders the App with id: warden's own, or another App (a
// workflow's run is GitHub Actions', id 15368) that created a check run.
func (s *Server) appJSONFor(id int64) map[string]any {
	if id == s.app.id {
		return s.appJSON()
	}
	slug := "other-app-" + strconv.FormatInt(id, 10)
	if id == GitHubActionsAppID {
		slug = "github-actions"
	}
	return map[string]any{
		"id": id, "slug": slug, "node_id": nodeID("A", id), "name": slug,
		"owner": s.userJSON(s.st.user("github")), "external_url": "https://example.invalid/" + slug,
		"html_url": s.baseURL + "/apps/" + slug, "description": "", "created_at": time.Unix(0, 0).UTC(),
		"updated_at": time.Unix(0, 0).UTC(), "permissions": map[string]string{"checks": "write"}, "events": []string{},
	}
}

// GitHubActionsAppID is the App that owns the check runs of workflow jobs.
const GitHubActionsAppID = 15368

func (s *Server) handleGetApp(c *call) (int, any, error) { return http.StatusOK, s.appJSON(), nil }

func (s *Server) installationJSON(i *Installation) map[string]any {
	acct := s.st.user(i.Account)
	out := map[string]any{
		"id": i.ID, "account": s.userJSON(acct), "repository_selection": i.RepositorySelection,
		"access_tokens_url": s.APIURL() + "app/installations/" + strconv.FormatInt(i.ID, 10) + "/access_tokens",
		"repositories_url":  s.APIURL() + "installation/repositories",
		"html_url":          s.baseURL + "/settings/installations/" + strconv.FormatInt(i.ID, 10),
		"app_id":            s.app.id, "app_slug": s.app.slug, "target_id": acct.ID, "target_type": i.AccountType,
		"permissions": i.Permissions, "events": []string{"pull_request", "check_suite", "check_run", "issue_comment"},
		"created_at": time.Unix(0, 0).UTC(), "updated_at": time.Unix(0, 0).UTC(),
		"single_file_name": nil, "suspended_at": nil, "suspended_by": nil,
	}
	if i.Suspended {
		// GitHub keeps serving a suspended installation to its App, and
		// says so here; that is how an App confirms a suspend event.
		out["suspended_at"] = time.Unix(0, 0).UTC()
		out["suspended_by"] = s.userJSON(acct)
	}
	return out
}

func (s *Server) handleListInstallations(c *call) (int, any, error) {
	out := []any{}
	for _, i := range s.st.installations {
		if !i.Deleted {
			out = append(out, s.installationJSON(i))
		}
	}
	return http.StatusOK, out, nil
}

func (s *Server) installationParam(c *call) (*Installation, error) {
	id, err := strconv.ParseInt(c.params["installation_id"], 10, 64)
	if err != nil {
		return nil, errNotFound()
	}
	inst := s.st.installations[id]
	if inst == nil || inst.Deleted {
		return nil, errNotFound()
	}
	return inst, nil
}

func (s *Server) handleGetInstallation(c *call) (int, any, error) {
	inst, err := s.installationParam(c)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.installationJSON(inst), nil
}

func (s *Server) handleRepoInstallation(c *call) (int, any, error) {
	repo := s.st.repos[strings.ToLower(c.params["owner"]+"/"+c.params["repo"])]
	if repo == nil {
		return 0, nil, errNotFound()
	}
	for _, inst := range s.st.installations {
		if !inst.Deleted && installationCovers(inst, repo) {
			return http.StatusOK, s.installationJSON(inst), nil
		}
	}
	return 0, nil, errNotFound()
}

type tokenRequest struct {
	Repositories  []string          `json:"repositories"`
	RepositoryIDs []int64           `json:"repository_ids"`
	Permissions   map[string]string `json:"permissions"`
}

// handleCreateToken mints an installation token, narrowed like GitHub does.
func (s *Server) handleCreateToken(c *call) (int, any, error) {
	inst, err := s.installationParam(c)
	if err != nil {
		return 0, nil, err
	}
	if inst.Suspended {
		return 0, nil, errForbidden("This installation has been suspended")
	}
	var req tokenRequest
	if err := c.decode(&req); err != nil {
		return 0, nil, err
	}
	if len(req.Repositories)+len(req.RepositoryIDs) > 500 {
		return 0, nil, errUnprocessable("Too many repositories requested; the maximum is 500")
	}
	tok := &token{installationID: inst.ID, expiresAt: s.nowLocked().Add(s.opts.TokenTTL), permissions: map[string]string{}}
	for k, v := range inst.Permissions {
		tok.permissions[k] = v
	}
	if req.Permissions != nil {
		for k, v := range req.Permissions {
			if !hasPermission(inst.Permissions, k, v) {
				return 0, nil, errUnprocessable("The permissions requested are not granted to this installation.")
			}
		}
		tok.permissions = map[string]string{"metadata": "read"}
		for k, v := range req.Permissions {
			tok.permissions[k] = v
		}
	}
	var repos []*Repository
	if len(req.Repositories)+len(req.RepositoryIDs) > 0 {
		tok.repoIDs = map[int64]bool{}
		for _, name := range req.Repositories {
			r := s.st.repos[strings.ToLower(inst.Account+"/"+name)]
			if r == nil || !installationCovers(inst, r) {
				return 0, nil, errUnprocessable("There is at least one repository that does not exist or is not accessible to the parent installation.")
			}
			tok.repoIDs[r.ID], repos = true, append(repos, r)
		}
		for _, id := range req.RepositoryIDs {
			r := s.repoByIDLocked(id)
			if r == nil || !installationCovers(inst, r) {
				return 0, nil, errUnprocessable("There is at least one repository that does not exist or is not accessible to the parent installation.")
			}
			tok.repoIDs[r.ID], repos = true, append(repos, r)
		}
	}
	value, err := newTokenValue(s.app.id)
	if err != nil {
		return 0, nil, err
	}
	tok.value = value
	s.st.tokens[value] = tok
	out := map[string]any{
		"token": value, "expires_at": tok.expiresAt.UTC().Format(time.RFC3339),
		"permissions": tok.permissions, "repository_selection": inst.RepositorySelection,
	}
	if repos != nil {
		out["repository_selection"] = "selected"
		list := []any{}
		for _, r := range repos {
			list = append(list, s.repoJSON(r))
		}
		out["repositories"] = list
	}
	return http.StatusCreated, out, nil
}

// MintToken mints an installation token directly (for tests that need a git
// credential without going through the API).
func (s *Server) MintToken(installationID int64, ttl time.Duration) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	inst := s.st.installations[installationID]
	if inst == nil {
		return "", fmt.Errorf("githubtest: no installation %d", installationID)
	}
	value, err := newTokenValue(s.app.id)
	if err != nil {
		return "", err
	}
	if ttl == 0 {
		ttl = s.opts.TokenTTL
	}
	s.st.tokens[value] = &token{value: value, installationID: inst.ID, permissions: copyInstallation(inst).Permissions, expiresAt: s.nowLocked().Add(ttl)}
	return value, nil
}

// SetTokenTTL changes the lifetime of tokens minted from now on.
func (s *Server) SetTokenTTL(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.TokenTTL = d
}

func (s *Server) repoByIDLocked(id int64) *Repository {
	for _, r := range s.st.repos {
		if r.ID == id {
			return r
		}
	}
	return nil
}
