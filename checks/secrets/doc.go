// Package secrets finds credentials committed to a repository.
//
// It uses the gitleaks v8 default rule set as data (regexes, keywords,
// entropy thresholds, allowlists) plus a few rules of warden's own for
// common leaks gitleaks misses, and evaluates them with its own engine:
// one case-folded Aho–Corasick pass over each file finds every rule keyword,
// and only the rules whose keywords occur run their regex, and only over a
// window around each keyword hit that is provably wide enough for the
// longest match the regex can produce (see span.go). gitleaks runs every
// keyword-matched rule over the whole file; on source code most of the time
// goes there.
//
// In a diff scan the added lines of every commit are searched too, so a key
// added in one commit and deleted in the next is still reported: removing it
// from the branch does not un-leak it.
//
// A secret never leaves this package in clear: findings carry its first
// characters and length, a masked snippet, and a sha256 of it as Key.
package secrets
