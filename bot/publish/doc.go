// Package publish turns a scan into what GitHub shows: the `warden` check
// run (title, conclusion, summary, annotations), one review with inline
// comments per scan, and the short replies warden posts in threads.
//
// Everything here is a pure function of its input: no network, no clock, no
// state. The caller posts the plans with go-github, retries and reconciles.
// Every rendered string already fits GitHub's limits (summary ≤ 65,535 bytes,
// comment bodies ≤ 60,000 runes and 65,535 bytes, annotation titles ≤ 255
// characters, ≤ 50 annotations per request), so posting never fails on size.
//
// Text that warden did not write — file names, rule messages quoting source,
// reasons typed by users — goes through Escape, EscapeMessage, Code or Fence
// before it reaches Markdown, so it cannot ping people, inject HTML, forge a
// warden marker or break out of a code span.
package publish
