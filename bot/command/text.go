package command

import (
	"regexp"
	"strings"

	"github.com/wardenbot/warden/bot/publish"
)

// githubLogin is the shape of a person's login: such a mention pings only
// that person, never a team.
var githubLogin = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9]|-[A-Za-z0-9]){0,38}$`)

// mention addresses the person who wrote the command, as people do in
// review ("@alice"). Anything not shaped like a login is escaped instead.
func mention(login string) string {
	if githubLogin.MatchString(login) {
		return "@" + login
	}
	return publish.Escape(publish.Clip(login, 60))
}

// teamName shows a team without pinging it: a refusal or help text should
// not notify a whole team.
func teamName(team string) string { return publish.Escape("@" + publish.Clip(team, 100)) }

// shortSHA is a commit as people see it; GitHub links it.
func shortSHA(sha string) string {
	if len(sha) >= 7 && strings.Trim(sha, "0123456789abcdef") == "" {
		return sha[:7]
	}
	return publish.Code(publish.Clip(sha, 40))
}

// pathList shows at most five paths as code, then how many more.
func pathList(paths []string) string {
	const show = 5
	var b strings.Builder
	for i, p := range paths {
		if i == show {
			b.WriteString(" and " + itoa(len(paths)-show) + " more")
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(publish.Code(publish.Clip(p, 200)))
	}
	return b.String()
}
