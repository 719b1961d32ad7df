package command

import (
	"context"

	"github.com/wardenbot/warden/bot/review"
	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/config"
)

// approvalRule is one `approvals` entry the pull request touches.
type approvalRule struct {
	rule  config.Approval
	team  string // who must approve ("org/slug"); "" = write access or the security team
	paths []string
}

// touchedRules lists the approval rules whose paths the change touches,
// matching the way review.ApprovalPaths does (new or old path).
func touchedRules(cfg *config.Config, d *checks.Diff) []approvalRule {
	var out []approvalRule
	for _, rule := range cfg.Approvals {
		m, err := checks.NewPathMatcher(rule.Paths)
		if err != nil {
			continue
		}
		ar := approvalRule{rule: rule, team: rule.By}
		if ar.team == "security_team" {
			ar.team = cfg.SecurityTeam
		}
		for _, f := range d.Files {
			if m.Match(f.Path) || (f.OldPath != "" && m.Match(f.OldPath)) {
				ar.paths = append(ar.paths, f.Path)
			}
		}
		if len(ar.paths) > 0 {
			out = append(out, ar)
		}
	}
	return out
}

// approve signs off the sensitive paths the current head touches. The
// approval is bound to the head and to the set of paths (their digest), so
// a later push needs a new one.
func (s *session) approve(ctx context.Context, c Command) (outcome, error) {
	pr, err := s.pull(ctx)
	if err != nil {
		return outcome{}, err
	}
	head := pr.GetHead().GetSHA()
	if s.w.HeadSHA != "" && s.w.HeadSHA != head {
		// The person reviewed an older head; approving the new one would
		// sign off commits they may not have seen.
		return outcome{reply: "This pull request moved on to " + shortSHA(head) + " after this comment (written on " + shortSHA(s.w.HeadSHA) +
			"); review the new commits and approve again.", audit: "rejected: head moved"}, nil
	}
	cfg, err := s.config(ctx)
	if err != nil {
		return outcome{}, err
	}
	files, err := s.gh.changedFiles(ctx, s.w.PR)
	if err != nil {
		return outcome{}, err
	}
	diff := checks.NewDiff("", head, files, nil)
	touched, _ := review.ApprovalPaths(cfg, diff)
	rules := touchedRules(cfg, diff)
	if len(touched) == 0 {
		return outcome{reply: "Nothing in this pull request needs an approval: it changes none of the paths listed under `approvals` in `" + config.Path + "`.",
			audit: "rejected: nothing to approve"}, nil
	}
	if d, err := s.mayApprove(ctx, pr.GetUser().GetLogin(), rules); err != nil || !d.ok {
		return outcome{reply: d.refusal, audit: "refused: " + d.need, perm: d.seen}, err
	}
	p, _ := s.senderPermission(ctx)
	a := store.Approval{Repo: s.repo, PR: s.w.PR, HeadSHA: head, PathsDigest: review.PathsDigest(touched), By: s.w.Sender, Note: c.Note}
	_, created, err := s.h.Store.Approve(ctx, a)
	if err != nil {
		return outcome{perm: p.role}, err
	}
	if !created {
		return outcome{reply: mention(s.w.Sender) + " already approved " + shortSHA(head) + "; nothing changed.", audit: "done: already approved", perm: p.role}, nil
	}
	return outcome{
		reply: "Approved " + shortSHA(head) + " for " + mention(s.w.Sender) + ": the changes to " + pathList(touched) +
			". A later push needs a new approval.",
		audit: "done", perm: p.role, rescan: true,
	}, nil
}

// approveDecision is decision plus what was missing, for the audit log.
type approveDecision struct {
	decision
	need string
}

// mayApprove: the author may not approve their own change unless every
// touched rule allows it; a rule with `by: <team>` needs a member of that
// team; a rule without one needs write access or the security team.
func (s *session) mayApprove(ctx context.Context, author string, rules []approvalRule) (approveDecision, error) {
	var d approveDecision
	p, err := s.senderPermission(ctx)
	if err != nil {
		return d, err
	}
	d.seen = p.role
	if equalLogin(s.w.Sender, author) {
		for _, r := range rules {
			if !r.rule.AllowAuthor {
				d.need = "someone other than the author"
				d.refusal = mention(s.w.Sender) + ", you opened this pull request, so you cannot approve its changes to " + pathList(r.paths) +
					". Ask " + approverText(r.team) + " (or set `allow_author: true` on that rule in `" + config.Path + "`)."
				return d, nil
			}
		}
		d.seen += "; author, allowed by allow_author"
	}
	cfg, err := s.config(ctx)
	if err != nil {
		return d, err
	}
	for _, r := range rules {
		if r.team != "" {
			in, err := s.inTeam(ctx, r.team)
			if err != nil {
				return d, err
			}
			if !in {
				d.seen += "; not in " + r.team
				d.need = "membership of " + r.team
				d.refusal = mention(s.w.Sender) + ", approving changes to " + pathList(r.paths) + " needs membership of " + teamName(r.team) +
					" (you have " + roleText(p.role) + " access to " + publishRepo(s) + ")."
				return d, nil
			}
			d.seen += "; member of " + r.team
			continue
		}
		if p.canWrite() {
			continue
		}
		in, err := s.inTeam(ctx, cfg.SecurityTeam)
		if err != nil {
			return d, err
		}
		if in {
			d.seen += "; member of " + cfg.SecurityTeam
			continue
		}
		d.need = "write"
		d.refusal = mention(s.w.Sender) + ", approving changes to " + pathList(r.paths) + " needs write access to " + publishRepo(s) +
			" (you have " + roleText(p.role) + "). Ask " + approverText(cfg.SecurityTeam) + "."
		return d, nil
	}
	d.ok = true
	return d, nil
}

func approverText(team string) string {
	if team == "" {
		return "a maintainer"
	}
	return "someone in " + teamName(team)
}
