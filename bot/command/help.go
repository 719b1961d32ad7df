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
	return outcome{reply: helpText(cfg, s.pr.GetBase().GetSHA()), audit: "done", perm: "not required"}, nil
}

func helpText(cfg *config.Config, baseSHA string) string {
	team := "the security team"
	if cfg != nil && cfg.SecurityTeam != "" {
		team = teamName(cfg.SecurityTeam)
	}
	manage := "write access, or " + team
	var b strings.Builder
	b.WriteString("**warden commands** — at the start of a line of a comment on this pull request, or in a reply under warden's comment (then the id may be left out).\n\n")
	b.WriteString("| Command | What it does | Who |\n|---|---|---|\n")
	b.WriteString("| `/warden help` | this list | anyone who can comment |\n")
	b.WriteString("| `/warden rescan` | re-runs the `warden` check on the current head | anyone who can comment |\n")
	b.WriteString("| `/warden explain W-3f2a9c1b` | the rule's documentation and why it matched | anyone who can comment |\n")
	b.WriteString("| `/warden ignore W-3f2a9c1b false-positive: <why>` | ignores the finding in this repository, also on later pushes; kinds: `false-positive`, `accepted-risk` (default), `test-code`; optional `--expires 30d` | " + manage + " |\n")
	b.WriteString("| `/warden unignore W-3f2a9c1b` | undoes an ignore | " + manage + " |\n")
	b.WriteString("| `/warden approve [note]` | signs off the sensitive paths this head changes | see approvals below; not the author unless allowed |\n\n")
	if cfg == nil {
		b.WriteString("The policy of this repository could not be read from `" + config.Path + "` at the base of this pull request.")
		return b.String()
	}
	b.WriteString("**Policy** (`" + config.Path + "` at base " + shortSHA(baseSHA) + "): new findings of severity **" + publish.Escape(cfg.FailOn.String()) + "** or above fail the check")
	if cfg.SecurityTeam != "" {
		b.WriteString(" · security team: " + teamName(cfg.SecurityTeam))
	}
	b.WriteString(".")
	if len(cfg.Approvals) == 0 {
		b.WriteString(" No paths need an approval.")
		return b.String()
	}
	for _, a := range cfg.Approvals {
		who := a.By
		switch {
		case who == "security_team" && cfg.SecurityTeam != "":
			who = teamName(cfg.SecurityTeam)
		case who == "" || who == "security_team":
			who = "someone with write access"
		default:
			who = teamName(who)
		}
		b.WriteString("\n- Changes to " + pathList(a.Paths) + " need an approval by " + who)
		if a.AllowAuthor {
			b.WriteString(" (the author may approve)")
		}
		b.WriteString(".")
	}
	return b.String()
}
