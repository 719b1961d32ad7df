package workflows

import "strings"

// untrustedContexts lists the expression contexts whose values an outside
// attacker can choose: titles, bodies, branch names, commit messages and
// author fields of events that anyone can cause by opening an issue, a pull
// request from a fork, or a comment. A "*" segment stands for any array
// index or object key. Sources: GitHub's "Security hardening for GitHub
// Actions" (script injections) and the webhook payload reference.
var untrustedContexts = []string{
	"github.head_ref",

	"github.event.issue.title",
	"github.event.issue.body",
	"github.event.pull_request.title",
	"github.event.pull_request.body",
	"github.event.pull_request.head.ref",
	"github.event.pull_request.head.label",
	"github.event.pull_request.head.repo.default_branch",
	"github.event.pull_request.head.repo.description",
	"github.event.pull_request.head.repo.homepage",
	"github.event.comment.body",
	"github.event.review.body",
	"github.event.review_comment.body",
	"github.event.discussion.title",
	"github.event.discussion.body",
	"github.event.changes.title.from",
	"github.event.changes.body.from",
	"github.event.pages.*.page_name",

	"github.event.commits.*.message",
	"github.event.commits.*.author.email",
	"github.event.commits.*.author.name",
	"github.event.commits.*.committer.email",
	"github.event.commits.*.committer.name",
	"github.event.head_commit.message",
	"github.event.head_commit.author.email",
	"github.event.head_commit.author.name",
	"github.event.head_commit.committer.email",
	"github.event.head_commit.committer.name",

	"github.event.workflow_run.head_branch",
	"github.event.workflow_run.display_title",
	"github.event.workflow_run.head_commit.message",
	"github.event.workflow_run.head_commit.author.email",
	"github.event.workflow_run.head_commit.author.name",
	"github.event.workflow_run.head_commit.committer.email",
	"github.event.workflow_run.head_commit.committer.name",
	"github.event.workflow_run.head_repository.description",
	"github.event.workflow_run.pull_requests.*.head.ref",

	"github.event.check_suite.head_branch",
	"github.event.check_run.check_suite.head_branch",
	"github.event.merge_group.head_commit.message",
	"github.event.merge_group.head_commit.author.email",
	"github.event.merge_group.head_commit.author.name",
}

// untrustedMatcher answers whether a context path such as
// "github.event.commits.*.message" reaches attacker-controlled data.
type untrustedMatcher struct {
	patterns [][]string
}

func newUntrustedMatcher() *untrustedMatcher {
	m := &untrustedMatcher{}
	for _, p := range untrustedContexts {
		m.patterns = append(m.patterns, strings.Split(p, "."))
	}
	return m
}

// match reports whether path (segments, lower case, "*" for a computed
// index) is untrusted. A path that is an ancestor of untrusted data
// ("github.event.pull_request", as in toJSON(github.event.pull_request))
// counts too, because the whole object is rendered into the script; the
// bare "github" context is left out since its dump is mostly trusted
// metadata and is a common debugging idiom.
func (m *untrustedMatcher) match(path []string) (string, bool) {
	if len(path) < 2 {
		return "", false
	}
	for _, p := range m.patterns {
		if len(path) > len(p) {
			continue
		}
		if segmentsMatch(p[:len(path)], path) {
			return strings.Join(path, "."), true
		}
	}
	return "", false
}

func segmentsMatch(pattern, path []string) bool {
	for i := range path {
		switch {
		case pattern[i] == path[i], pattern[i] == "*" && path[i] == "#":
		case path[i] == "*": // an object filter reads every property
		default:
			return false
		}
	}
	return true
}
