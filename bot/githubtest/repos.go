package githubtest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// SetPermission sets a user's permission on a repository: "admin",
// "maintain", "write", "triage" or "read".
func (s *Server) SetPermission(repo, login, permission string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(repo)
	if s.st.permissions[key] == nil {
		s.st.permissions[key] = map[string]string{}
	}
	s.st.permissions[key][login] = permission
	s.st.user(login)
}

// AddTeamMember adds login to org/slug (creating the team); role is
// "member" or "maintainer".
func (s *Server) AddTeamMember(org, slug, login, role string) Team {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(org)
	if s.st.teams[key] == nil {
		s.st.teams[key] = map[string]*Team{}
	}
	t := s.st.teams[key][slug]
	if t == nil {
		t = &Team{ID: s.st.newID(), Org: org, Slug: slug, Name: slug, Members: map[string]string{}}
		s.st.teams[key][slug] = t
	}
	if role == "" {
		role = "member"
	}
	t.Members[login] = role
	s.st.user(login)
	out := *t
	out.Members = map[string]string{}
	for k, v := range t.Members {
		out.Members[k] = v
	}
	return out
}

func (s *Server) repoRoutes() []*route {
	return []*route{
		{method: "GET", template: "/repos/{owner}/{repo}", perm: "metadata", level: "read", handle: s.handleGetRepo},
		{method: "GET", template: "/repos/{owner}/{repo}/collaborators/{username}/permission", perm: "metadata", level: "read", handle: s.handleCollaboratorPermission},
		{method: "GET", template: "/repos/{owner}/{repo}/collaborators/{username}", perm: "metadata", level: "read", handle: s.handleCheckCollaborator},
		{method: "GET", template: "/orgs/{org}/teams/{team_slug}/memberships/{username}", perm: "members", level: "read", handle: s.handleTeamMembership},
		{method: "GET", template: "/orgs/{org}/teams/{team_slug}/members", perm: "members", level: "read", handle: s.handleTeamMembers},
		{method: "GET", template: "/installation/repositories", handle: s.handleInstallationRepos},
	}
}

func (s *Server) handleGetRepo(c *call) (int, any, error) {
	return http.StatusOK, s.repoJSON(c.repo), nil
}

// handleCollaboratorPermission answers like GitHub: "permission" is the
// legacy level (maintain→write, triage→read), role_name the real role.
func (s *Server) handleCollaboratorPermission(c *call) (int, any, error) {
	login := c.params["username"]
	u, known := s.st.users[login]
	if !known || u.Type == "Organization" {
		return 0, nil, errNotFound()
	}
	role := s.st.permissions[strings.ToLower(c.repo.FullName())][login]
	if strings.EqualFold(c.repo.Owner, login) {
		role = "admin"
	}
	legacy := map[string]string{"admin": "admin", "maintain": "write", "write": "write", "triage": "read", "read": "read", "": "none"}[role]
	roleName := role
	if roleName == "" {
		roleName = "none"
		if !c.repo.Private {
			legacy, roleName = "read", "read"
		}
	}
	return http.StatusOK, map[string]any{"permission": legacy, "role_name": roleName, "user": s.userJSON(u)}, nil
}

// handleCheckCollaborator answers 204 for a collaborator (someone given a
// role on the repository, or its owner) and 404 for anyone else: on a
// public repository everyone can read, but only collaborators are listed.
func (s *Server) handleCheckCollaborator(c *call) (int, any, error) {
	login := c.params["username"]
	if u, known := s.st.users[login]; !known || u.Type == "Organization" {
		return 0, nil, errNotFound()
	}
	if _, ok := s.st.permissions[strings.ToLower(c.repo.FullName())][login]; ok || strings.EqualFold(c.repo.Owner, login) {
		return http.StatusNoContent, nil, nil
	}
	return 0, nil, errNotFound()
}

// orgAllowed: org routes are only for the installation on that org.
func (s *Server) orgTeam(c *call) (*Team, error) {
	inst := s.st.installations[c.tok.installationID]
	if inst == nil || !strings.EqualFold(inst.Account, c.params["org"]) {
		return nil, errNotFound()
	}
	t := s.st.teams[strings.ToLower(c.params["org"])][c.params["team_slug"]]
	if t == nil {
		return nil, errNotFound()
	}
	return t, nil
}

func (s *Server) handleTeamMembership(c *call) (int, any, error) {
	t, err := s.orgTeam(c)
	if err != nil {
		return 0, nil, err
	}
	role, ok := t.Members[c.params["username"]]
	if !ok {
		return 0, nil, errNotFound()
	}
	return http.StatusOK, map[string]any{
		"role": role, "state": "active",
		"url": fmt.Sprintf("%sorganizations/%s/team/%d/memberships/%s", s.APIURL(), t.Org, t.ID, c.params["username"]),
	}, nil
}

func (s *Server) handleTeamMembers(c *call) (int, any, error) {
	t, err := s.orgTeam(c)
	if err != nil {
		return 0, nil, err
	}
	var logins []string
	for l := range t.Members {
		logins = append(logins, l)
	}
	slices.Sort(logins)
	out := []any{}
	for _, l := range paginate(c, logins) {
		out = append(out, s.userJSON(s.st.user(l)))
	}
	return http.StatusOK, out, nil
}

func (s *Server) handleInstallationRepos(c *call) (int, any, error) {
	var repos []*Repository
	for _, r := range s.st.repos {
		if s.tokenCoversLocked(c.tok, r) {
			repos = append(repos, r)
		}
	}
	out := []any{}
	for _, r := range paginate(c, repos) {
		out = append(out, s.repoJSON(r))
	}
	return http.StatusOK, map[string]any{"total_count": len(repos), "repositories": out}, nil
}
