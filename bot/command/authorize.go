package command

import (
	"context"
	"strconv"
	"strings"

	"github.com/wardenbot/warden/config"
)

// permission is GitHub's answer for the sender: the legacy level decides
// (admin, write, read, none), the role is shown to people.
type permission struct{ level, role string }

func (p permission) canWrite() bool { return p.level == "admin" || p.level == "write" }

func (p permission) isAdmin() bool { return p.level == "admin" }

// senderPermission asks the collaborator-permission endpoint, once.
// author_association is never used: COLLABORATOR may be read-only and
// MEMBER only means membership of the organisation.
func (s *session) senderPermission(ctx context.Context) (permission, error) {
	if s.perm == nil {
		level, role, err := s.gh.permission(ctx, s.w.Sender)
		if err != nil {
			return permission{}, err
		}
		s.perm = &permission{level: level, role: role}
	}
	return *s.perm, nil
}

// inTeam asks for an active membership of team ("org/slug"), once per team.
func (s *session) inTeam(ctx context.Context, team string) (bool, error) {
	if team == "" {
		return false, nil
	}
	if in, ok := s.teams[team]; ok {
		return in, nil
	}
	in, err := s.gh.teamMember(ctx, team, s.w.Sender)
	if err != nil {
		return false, err
	}
	s.teams[team] = in
	return in, nil
}

// decision is an authorization result and what was seen, for the audit
// log.
type decision struct {
	ok   bool
	seen string
}

// readAccess decides who counts as a member of the repository: read access
// or more. On a public repository everyone can read, and GitHub's
// permission endpoint says "read" for anyone, so there it takes a
// collaborator (someone given a role, directly, through a team or the
// organisation's base permission).
func (s *session) readAccess(ctx context.Context) (decision, error) {
	if s.access != nil {
		return *s.access, nil
	}
	p, err := s.senderPermission(ctx)
	if err != nil {
		return decision{}, err
	}
	d := decision{seen: p.role}
	switch {
	case p.level != "admin" && p.level != "write" && p.level != "read":
	case s.w.Private:
		d.ok = true
	default:
		collab, err := s.gh.isCollaborator(ctx, s.w.Sender)
		if err != nil {
			return decision{}, err
		}
		d.ok = collab
		if !collab {
			d.seen = "not a collaborator"
		}
	}
	s.access = &d
	return d, nil
}

// mayAct decides whether the sender is who: a team's member, or someone
// with the level's access (or in the security team).
func (s *session) mayAct(ctx context.Context, cfg *config.Config, who config.Who) (decision, error) {
	p, err := s.senderPermission(ctx)
	if err != nil {
		return decision{}, err
	}
	d := decision{seen: p.role}
	if who.Team == "" {
		if (who.Level == config.ByAdmin && p.isAdmin()) || (who.Level != config.ByAdmin && p.canWrite()) {
			d.ok = true
			return d, nil
		}
	}
	team := who.Team
	if team == "" {
		team = cfg.SecurityTeam
	}
	in, err := s.inTeam(ctx, team)
	if err != nil {
		return d, err
	}
	switch {
	case in:
		d.ok, d.seen = true, d.seen+"; member of "+team
	case team != "":
		d.seen += "; not in " + team
	}
	return d, nil
}

// whoText says who may act, without pinging a team.
func whoText(who config.Who) string {
	switch {
	case who.Team != "":
		return "membership of " + teamName(who.Team)
	case who.Level == config.ByAdmin:
		return "admin access"
	}
	return "write access"
}

// askText names whom to ask.
func askText(cfg *config.Config, who config.Who) string {
	switch {
	case who.Team != "":
		return "someone in " + teamName(who.Team)
	case cfg.SecurityTeam != "" && who.Level == config.ByAdmin:
		return "an admin or someone in " + teamName(cfg.SecurityTeam)
	case cfg.SecurityTeam != "":
		return "a maintainer or someone in " + teamName(cfg.SecurityTeam)
	case who.Level == config.ByAdmin:
		return "an admin"
	}
	return "a maintainer"
}

func roleText(role string) string {
	if role == "" || role == "none" {
		return "no access"
	}
	return role
}

func publishRepo(s *session) string { return "`" + s.repo.FullName() + "`" }

func itoa(n int) string { return strconv.Itoa(n) }

func equalLogin(a, b string) bool { return a != "" && strings.EqualFold(a, b) }

// refusalText is the reply to someone who is not who: what they lack,
// what they have, and whom to ask.
func (s *session) refusalText(doing string, cfg *config.Config, who config.Who) string {
	role := "none"
	if s.perm != nil {
		role = s.perm.role
	}
	text := mention(s.w.Sender) + ", " + doing + " needs " + whoText(who)
	switch {
	case who.Team == "":
		text += " to " + publishRepo(s) + " (you have " + roleText(role) + ")."
	case roleText(role) == "no access":
		text += " (you have no access to " + publishRepo(s) + ")."
	default:
		text += " (you have " + role + " access to " + publishRepo(s) + ")."
	}
	return text + " Ask " + askText(cfg, who) + "."
}
