package command

import (
	"context"
	"errors"
	"strings"

	"github.com/wardenbot/warden/bot/publish"
	"github.com/wardenbot/warden/bot/store"
)

// Budgets of the explain reply, per section.
const (
	maxDocRunes = 2000
	maxRefs     = 8
)

// explain replies with the rule's documentation: what it looks for, why
// this occurrence matched, how to fix it, and references. Anyone who can
// comment may ask.
func (s *session) explain(ctx context.Context, c Command) (outcome, error) {
	fp, problem, err := s.resolve(ctx, c)
	if err != nil || problem != "" {
		return outcome{reply: problem, audit: "rejected: " + problem, perm: "not required"}, err
	}
	f, err := s.h.Store.Finding(ctx, s.w.RepoID, s.w.PR, fp)
	if errors.Is(err, store.ErrNotFound) {
		problem := "warden has no finding " + RefFor(fp).String() + " on this pull request."
		return outcome{reply: problem, audit: "rejected: " + problem, perm: "not required"}, nil
	}
	if err != nil {
		return outcome{}, err
	}
	message := ""
	if s.h.Messages != nil {
		if message, err = s.h.Messages.FindingMessage(ctx, s.w.RepoID, s.w.PR, fp); err != nil {
			s.h.Log.Warn().Err(err).Str("fingerprint", fp).Msg("no message for the finding")
			message = ""
		}
	}
	return outcome{reply: explainText(s.h.Rules, f, message), audit: "done", perm: "not required", acted: true}, nil
}

// explainText renders the explanation. Rule docs are warden's own text but
// are still escaped: a rule may quote what it matches.
func explainText(book RuleBook, f store.Finding, message string) string {
	rule, known := book[f.RuleID]
	var b strings.Builder
	b.WriteString("**" + RefFor(f.Fingerprint).String() + " · " + publish.Code(publish.Clip(f.RuleID, 200)))
	if rule.Title != "" {
		b.WriteString(" · " + publish.Escape(publish.Clip(rule.Title, 200)))
	}
	b.WriteString("** (" + publish.Escape(f.Severity) + ")\n\n")
	if rule.Description != "" {
		b.WriteString("**What it looks for:** " + publish.EscapeMessage(publish.Clip(rule.Description, maxDocRunes)) + "\n\n")
	}
	where := publish.Code(publish.Clip(f.Path, 300)) + " line " + itoa(f.Line)
	if f.LastSeenSHA != "" {
		where += " at " + shortSHA(f.LastSeenSHA)
	}
	b.WriteString("**Why it matched here:** ")
	if message != "" {
		b.WriteString(publish.EscapeMessage(publish.Clip(message, maxDocRunes)) + " (" + where + ")\n\n")
	} else {
		b.WriteString("it matched " + where + ".\n\n")
	}
	if rule.Remediation != "" {
		b.WriteString("**How to fix it:** " + publish.EscapeMessage(publish.Clip(rule.Remediation, maxDocRunes)) + "\n\n")
	}
	refs := rule.References
	if rule.HelpURI != "" {
		refs = append([]string{rule.HelpURI}, refs...)
	}
	if len(refs) > 0 {
		b.WriteString("**References:**")
		for i, r := range refs {
			if i == maxRefs {
				break
			}
			b.WriteString("\n- " + reference(r))
		}
		b.WriteString("\n\n")
	}
	if !known {
		b.WriteString("warden has no documentation for this rule.\n\n")
	}
	b.WriteString("Not a problem here? `/warden ignore " + RefFor(f.Fingerprint).String() + " false-positive: <why>` (needs write access).")
	return b.String()
}

// reference links http(s) URLs and shows anything else (CVE and CWE ids)
// as text; a javascript: or data: "link" is never made clickable.
func reference(r string) string {
	r = publish.Clip(strings.TrimSpace(r), 300)
	if (strings.HasPrefix(r, "https://") || strings.HasPrefix(r, "http://")) && !strings.ContainsAny(r, " <>()[]`\"'") {
		return "<" + r + ">"
	}
	return publish.Escape(r)
}
