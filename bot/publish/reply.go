package publish

import "regexp"

var hexSHA = regexp.MustCompile(`^[0-9a-fA-F]{7,64}$`)

// FixedReply is the reply under a warden thread whose finding a later commit
// fixed: "Fixed in abc1234." GitHub links the short sha to the commit.
func FixedReply(sha string) string {
	return "Fixed in " + shaText(sha) + "."
}

// shaText is a commit as people see it: 7 hex digits, or anything else
// quoted as code.
func shaText(sha string) string {
	if !hexSHA.MatchString(sha) {
		return Code(Clip(sha, 64))
	}
	return sha[:7]
}
