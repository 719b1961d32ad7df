package workflows

import "sort"

// privilegedTriggers are events an outsider can cause (open an issue, fork
// and open a pull request, comment) whose workflows nevertheless run in the
// base repository with its secrets and a token that may write.
var privilegedTriggers = []string{
	"pull_request_target",
	"workflow_run",
	"issue_comment",
	"issues",
	"discussion",
	"discussion_comment",
}

// pullRequestTriggers are events that run a workflow for someone else's
// pull request.
var pullRequestTriggers = []string{
	"pull_request",
	"pull_request_target",
	"pull_request_review",
	"pull_request_review_comment",
}

// firstTrigger returns the first of candidates the file is triggered by,
// in the candidates' order, or "".
func (f *file) firstTrigger(candidates []string) string {
	for _, c := range candidates {
		if f.Triggers[c] {
			return c
		}
	}
	return ""
}

// triggerList is the file's triggers, sorted, for messages and keys.
func (f *file) triggerList() []string {
	out := make([]string, 0, len(f.Triggers))
	for t := range f.Triggers {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}
