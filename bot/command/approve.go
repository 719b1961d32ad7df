package command

import (
	"context"
	"slices"
	"strings"

	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/config"
)

// approve signs off, for the head the approver reviewed, every approval
// rule the change falls under that the approver may approve. Each rule has
// its own approver, so two rules for two teams take one approval from each.
// An approval is stored with the head, the base, the rule's digest and its
// approver, and a scan counts it only while the rule is unchanged.
func (s *session) approve(ctx context.Context, c Command) (outcome, error) {
	pr, err := s.pull(ctx)
	if err != nil {
		return outcome{}, err
	}
	head, base := pr.GetHead().GetSHA(), pr.GetBase().GetSHA()
	if o, ok, err := s.checkReviewedHead(ctx, c, head); err != nil || !ok {
		return o, err
	}
	cfg, err := s.config(ctx)
	if err != nil {
		return outcome{}, err
	}
	files, err := s.gh.changedFiles(ctx, s.w.PR)
	if err != nil {
		return outcome{}, err
	}
	if len(files) < pr.GetChangedFiles() {
		return outcome{reply: "This pull request changes more files than GitHub lists (" + itoa(maxListedFiles) +
			"), so warden cannot tell which approval rules it falls under; split it up to approve it.", audit: "rejected: too many files"}, nil
	}
	rules := config.TouchedRules(cfg, files)
	if len(rules) == 0 {
		return outcome{reply: "Nothing in this pull request needs an approval: it changes none of the paths listed under `approvals` in `" + config.Path + "`, nor warden's configuration.",
			audit: "rejected: nothing to approve", acted: true}, nil
	}
	if now, err := s.gh.pull(ctx, s.w.PR); err != nil || now.GetHead().GetSHA() != head {
		// A push while the files were listed: they may not be the head's.
		if err != nil {
			return outcome{}, err
		}
		return outcome{reply: "This pull request moved on to " + shortSHA(now.GetHead().GetSHA()) + " while warden read it; review the new commits and approve again.",
			audit: "rejected: head moved"}, nil
	}
	allowed, refusals, seen, err := s.approvable(ctx, cfg, rules)
	if err != nil {
		return outcome{perm: seen}, err
	}
	if len(allowed) == 0 {
		return outcome{reply: strings.Join(refusals, " "), audit: "refused: " + refusalCause(refusals), perm: seen}, nil
	}
	var done, already []config.TouchedRule
	for _, r := range allowed {
		_, created, err := s.h.Store.Approve(ctx, store.Approval{Repo: s.repo, PR: s.w.PR, HeadSHA: head, BaseSHA: base,
			PathsDigest: r.Digest, Team: r.Who.String(), By: s.w.Sender, Note: c.Note})
		if err != nil {
			return outcome{perm: seen}, err
		}
		if created {
			done = append(done, r)
		} else {
			already = append(already, r)
		}
	}
	missing, err := s.stillMissing(ctx, head, rules, done, already)
	if err != nil {
		return outcome{perm: seen}, err
	}
	return s.approvedReply(head, done, already, missing, seen), nil
}

// checkReviewedHead refuses an approval that is not for the current head:
// the approver reviewed an older one, or warden cannot tell which one.
func (s *session) checkReviewedHead(ctx context.Context, c Command, head string) (outcome, bool, error) {
	if s.w.HeadSHA != "" && s.w.HeadSHA != head && c.SHA == "" {
		// GitHub's event saw an older head than the pull request has now.
		return outcome{reply: "This pull request moved on to " + shortSHA(head) + " after this comment (written on " + shortSHA(s.w.HeadSHA) +
			"); review the new commits and approve again.", audit: "rejected: head moved"}, false, nil
	}
	seen, err := s.reviewedHead(ctx, c)
	if err != nil {
		return outcome{}, false, err
	}
	switch {
	case c.SHA != "" && !sameCommit(head, c.SHA):
		return outcome{reply: "The head of this pull request is " + shortSHA(head) + ", not " + shortSHA(c.SHA) +
			"; review it and comment `/warden approve " + shortSHA(head) + "`.", audit: "rejected: not the head"}, false, nil
	case seen.sha == "":
		return outcome{reply: "warden cannot tell which commit this comment was written on: a push reached the pull request around that time, or warden has no record of its pushes (its head is " +
			shortSHA(head) + " now). If you reviewed " + shortSHA(head) + ", comment `/warden approve " + shortSHA(head) + "`.",
			audit: "rejected: reviewed head unknown"}, false, nil
	case c.SHA == "" && seen.sha != head:
		return outcome{reply: "This pull request moved on to " + shortSHA(head) + " after this comment (written on " + shortSHA(seen.sha) +
			"); review the new commits and comment `/warden approve " + shortSHA(head) + "`.", audit: "rejected: head moved"}, false, nil
	}
	return outcome{}, true, nil
}

// approvable splits the touched rules into those the sender may approve
// and refusals (one sentence each) for the others.
func (s *session) approvable(ctx context.Context, cfg *config.Config, rules []config.TouchedRule) (allowed []config.TouchedRule, refusals []string, seen string, err error) {
	p, err := s.senderPermission(ctx)
	if err != nil {
		return nil, nil, "", err
	}
	seen = p.role
	authors, err := s.prAuthors(ctx)
	if err != nil {
		return nil, nil, seen, err
	}
	role := authors.role(s.w.Sender)
	for _, r := range rules {
		if !r.AllowAuthor && (role != "" || authors.incomplete) {
			why := role
			if why == "" {
				why = "this pull request has more commits than GitHub lists, so warden cannot tell who wrote them"
			}
			refusals = append(refusals, mention(s.w.Sender)+", "+why+", so you cannot approve its changes to "+pathList(r.Touched)+
				". Ask "+askText(cfg, r.Who)+approveHint(r)+".")
			seen = appendSeen(seen, "author: "+why)
			continue
		}
		d, err := s.mayAct(ctx, cfg, r.Who)
		if err != nil {
			return nil, nil, seen, err
		}
		if !d.ok {
			refusals = append(refusals, s.refusalText("approving changes to "+pathList(r.Touched), cfg, r.Who))
			seen = appendSeen(seen, "not "+r.Who.String())
			continue
		}
		if role != "" {
			seen = appendSeen(seen, "author, allowed by allow_author")
		}
		seen = appendSeen(seen, "approves for "+r.Who.String())
		allowed = append(allowed, r)
	}
	return allowed, refusals, seen, nil
}

func approveHint(r config.TouchedRule) string {
	if r.Implicit {
		return ""
	}
	return " (or set `allow_author: true` on that rule in `" + config.Path + "`)"
}

func appendSeen(seen, more string) string {
	if strings.Contains(seen, more) {
		return seen
	}
	return seen + "; " + more
}

// refusalCause is the audit's short reason for an approval nobody allowed.
func refusalCause(refusals []string) string {
	for _, r := range refusals {
		if strings.Contains(r, "you cannot approve") {
			return "someone other than an author"
		}
	}
	return "the rule's approver"
}

// stillMissing lists the rules nobody has approved for head yet.
func (s *session) stillMissing(ctx context.Context, head string, all, done, already []config.TouchedRule) ([]config.TouchedRule, error) {
	var out []config.TouchedRule
	for _, r := range all {
		if contains(done, r) || contains(already, r) {
			continue
		}
		approvals, err := s.h.Store.ApprovalsFor(ctx, s.w.RepoID, s.w.PR, head, r.Digest)
		if err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(approvals, func(a store.Approval) bool { return a.Team == r.Who.String() }) {
			out = append(out, r)
		}
	}
	return out, nil
}

// approvedReply says what was approved and what still needs someone else.
func (s *session) approvedReply(head string, done, already, missingRules []config.TouchedRule, seen string) outcome {
	var b strings.Builder
	if len(done) > 0 {
		b.WriteString("Approved " + shortSHA(head) + " for " + mention(s.w.Sender) + ": the changes to " + pathList(rulePaths(done)) + ".")
	}
	if len(already) > 0 {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		b.WriteString(mention(s.w.Sender) + " already approved " + shortSHA(head) + " for " + pathList(rulePaths(already)) + ".")
	}
	var missing []string
	for _, r := range missingRules {
		missing = append(missing, pathList(r.Touched)+" needs "+approverOf(r.Who))
	}
	if len(missing) > 0 {
		b.WriteString(" Still needed: " + strings.Join(missing, "; ") + ".")
	}
	b.WriteString(" A later push needs a new approval.")
	o := outcome{reply: b.String(), audit: "done", perm: seen, acted: true, trusted: true, rescan: len(done) > 0}
	if len(done) == 0 {
		o.audit = "done: already approved"
	}
	return o
}

func approverOf(who config.Who) string {
	switch {
	case who.Team != "":
		return "someone in " + teamName(who.Team)
	case who.Level == config.ByAdmin:
		return "an admin"
	}
	return "someone with write access"
}

func rulePaths(rules []config.TouchedRule) []string {
	var out []string
	for _, r := range rules {
		out = append(out, r.Touched...)
	}
	return out
}

func contains(rules []config.TouchedRule, r config.TouchedRule) bool {
	for _, x := range rules {
		if x.Digest == r.Digest {
			return true
		}
	}
	return false
}
