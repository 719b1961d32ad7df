// Package command runs warden's slash commands: `/warden help`, `rescan`,
// `ignore`, `unignore`, `explain` and `approve`, written in pull request
// comments, review bodies and replies in warden's review threads, and the
// `rescan` button of the `warden` check run.
//
// Parse is pure: it reads a comment the way GitHub renders it (commands only
// at the start of a line, never inside quotes, code blocks or HTML comments)
// and knows nothing of GitHub. Handler does the rest for one comment: it
// ignores bots and edits, drops a person's comments beyond a quota unread,
// authorizes through GitHub's permission, collaborator and team endpoints
// (never author_association), acts on the store, asks for the head to be
// re-evaluated (joining a rescan that is still waiting), audits every
// command and replies in the same place, escaping everything it echoes.
//
// The pull request's authors — its opener, its commits' authors and
// committers, and everyone who pushed to it — can neither approve (unless a
// rule allows it) nor ignore its findings. An approval is for the head the
// approver reviewed and for one approval rule as the base's configuration
// has it; an ignore covers only a finding warden reported, on this pull
// request unless the security team widens it to the repository. Outsiders
// get a bounded number of replies, and 👀 only marks a command warden ran.
package command
