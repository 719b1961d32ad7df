// Package command runs warden's slash commands: `/warden help`, `rescan`,
// `ignore`, `unignore`, `explain` and `approve`, written in pull request
// comments, review bodies and replies in warden's review threads, and the
// `rescan` button of the `warden` check run.
//
// Parse is pure: it reads a comment the way GitHub renders it (commands only
// at the start of a line, never inside quotes, code blocks or HTML comments)
// and knows nothing of GitHub. Handler does the rest for one comment: it
// ignores bots and edits, reacts 👀, authorizes through GitHub's permission
// and team endpoints (never author_association), acts on the store, asks for
// the head to be re-evaluated, audits every command and replies in the same
// place, escaping everything it echoes.
package command
