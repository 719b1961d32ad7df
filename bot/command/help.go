package command

import (
	"context"
	"errors"
	"strings"

	"github.com/wardenbot/warden/bot/publish"
	"github.com/wardenbot/warden/config"
)

// help lists the commands, who may use them, and the repository's policy
// as read from the base of this pull request.
func (s *session) help(ctx context.Context) (outcome, error) {
	cfg, err := s.config(ctx)
	var cfgErr *configError
	if errors.As(err, &cfgErr) {
		cfg, err = nil, nil // still list the commands
	}
	if err != nil {
		return outcome{}, err
	}
	return outcome{reply: helpText(cfg, s.pr.GetBase().GetSHA()), audit: "done", perm: "not required", acted: true}, nil
}

func helpText(cfg *config.Config, baseSHA string) string {
	team := "the security team"
	if cfg != nil && cfg.SecurityTeam != "" {
		team = teamName(cfg.SecurityTeam)
	}
	ignoreWho := "see `ignore_by` in `" + config.Path + "`"
	if cfg != nil {
		secrets, _ := cfg.IgnoreWho("secrets/", "")
		critical, _ := cfg.IgnoreWho("", "critical")
		other, _ := cfg.IgnoreWho("", "")
		ignoreWho = "secrets: " + whoShort(cfg, secrets) + "; other critical findings: " + whoShort(cfg, critical) + "; the rest: " + whoShort(cfg, other)
	}
	var b strings.Builder
	b.WriteString("**warden commands** — at the start of a line of a comment on this pull request, or in a reply under warden's comment (then the id may be left out).\n\n")
	b.WriteString("| Command | What it does | Who |\n|---|---|---|\n")
	b.WriteString("| `/warden help` | this list | anyone who can comment |\n")
	b.WriteString("| `/warden rescan` | re-runs the `warden` check on the current head | read access (collaborators); once a minute per pull request |\n")
	b.WriteString("| `/warden explain W-3f2a9c1b` | the rule's documentation and why it matched | anyone who can comment |\n")
	b.WriteString("| `/warden ignore W-3f2a9c1b false-positive: <why>` | ignores the finding on this pull request, also on later pushes; kinds: `false-positive`, `accepted-risk` (default), `test-code`; optional `--expires 30d`; `--repo` for every pull request (" + team + " only) | " + ignoreWho + "; never an author of the pull request |\n")
	b.WriteString("| `/warden unignore W-3f2a9c1b [--repo]` | undoes an ignore | write access, or " + team + " |\n")
	b.WriteString("| `/warden approve [<sha>] [note]` | signs off the sensitive paths of the head you reviewed | see approvals below; never an author unless the rule allows it |\n\n")
	if cfg == nil {
		b.WriteString("The policy of this repository could not be read from `" + config.Path + "` at the base of this pull request.")
		return b.String()
	}
	b.WriteString("**Policy** (`" + config.Path + "` at base " + shortSHA(baseSHA) + "): new findings of severity **" + publish.Escape(cfg.FailOn.String()) + "** or above fail the check")
	if cfg.SecurityTeam != "" {
		b.WriteString(" · security team: " + teamName(cfg.SecurityTeam))
	}
	b.WriteString(".")
	rules := cfg.ApprovalRules()
	if len(rules) == 0 {
		b.WriteString(" No paths need an approval.")
		return b.String()
	}
	for _, r := range rules {
		b.WriteString("\n- Changes to " + pathList(r.Paths) + " need an approval by " + whoShort(cfg, r.Who))
		if r.AllowAuthor {
			b.WriteString(" (an author may approve)")
		}
		b.WriteString(".")
	}
	return b.String()
}

// whoShort names an approver in the help table, without pinging a team.
func whoShort(cfg *config.Config, who config.Who) string {
	switch {
	case who.Team != "":
		return teamName(who.Team)
	case who.Level == config.ByAdmin && cfg.SecurityTeam != "":
		return "admins or " + teamName(cfg.SecurityTeam)
	case who.Level == config.ByAdmin:
		return "admins"
	case cfg.SecurityTeam != "":
		return "write access or " + teamName(cfg.SecurityTeam)
	}
	return "someone with write access"
}
