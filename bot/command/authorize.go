package command

import (
	"context"
	"strconv"
	"strings"
)

// permission is GitHub's answer for the sender: the legacy level decides
// (admin, write, read, none), the role is shown to people.
type permission struct{ level, role string }

func (p permission) canWrite() bool { return p.level == "admin" || p.level == "write" }

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

// decision is an authorization result: what was seen (for the audit log)
// and, when refused, the reply.
type decision struct {
	ok      bool
	seen    string
	refusal string
}

// mayManage decides ignore and unignore: write access to the repository,
// or membership of the configured security team.
func (s *session) mayManage(ctx context.Context, doing string) (decision, error) {
	p, err := s.senderPermission(ctx)
	if err != nil {
		return decision{}, err
	}
	if p.canWrite() {
		return decision{ok: true, seen: p.role}, nil
	}
	cfg, err := s.config(ctx)
	if err != nil {
		return decision{seen: p.role}, err
	}
	team := cfg.SecurityTeam
	in, err := s.inTeam(ctx, team)
	if err != nil {
		return decision{seen: p.role}, err
	}
	if in {
		return decision{ok: true, seen: p.role + "; member of " + team}, nil
	}
	d := decision{seen: p.role}
	d.refusal = mention(s.w.Sender) + ", " + doing + " needs write access to " + publishRepo(s) + " (you have " + roleText(p.role) + ")."
	if team != "" {
		d.seen += "; not in " + team
		d.refusal += " Ask a maintainer or someone in " + teamName(team) + "."
	} else {
		d.refusal += " Ask a maintainer."
	}
	return d, nil
}

func roleText(role string) string {
	if role == "" || role == "none" {
		return "no access"
	}
	return role
}

func publishRepo(s *session) string { return "`" + s.repo.FullName() + "`" }

// refused is the outcome of a refusal: a reply, never a silent drop.
func refused(d decision, need string) outcome {
	return outcome{reply: d.refusal, audit: "refused: needs " + need, perm: d.seen}
}

func itoa(n int) string { return strconv.Itoa(n) }

func equalLogin(a, b string) bool { return a != "" && strings.EqualFold(a, b) }
