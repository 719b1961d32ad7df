package secrets

import (
	"fmt"
	"path"

	"github.com/wardenbot/warden/checks"
)

// located is a match placed in a file: 1-based lines and the text of its
// first line (to mask into a snippet), or no text when it is unknown.
type located struct {
	match
	path      string
	line      int // 1-based
	endLine   int
	lineText  string
	lineKnown bool
	commit    string // set for matches found in a commit's added lines
}

// toFinding turns a located match into a finding. message is the sentence
// naming it; others are the other secrets on the same line, masked too.
func toFinding(l located, message string, others []string) checks.Finding {
	r := l.rule
	f := checks.Finding{
		RuleID:      r.id,
		Category:    checks.CategorySecrets,
		Severity:    occurrenceSeverity(r, l.secret),
		Path:        l.path,
		StartLine:   l.line,
		EndLine:     max(l.endLine, l.line),
		Message:     message,
		Remediation: r.meta.remediation,
		References:  append([]string(nil), r.meta.references...),
		Key:         secretKey(l.secret),
	}
	if l.startCol > 0 && l.endLine == l.line && !l.decoded && !l.binary {
		f.StartColumn, f.EndColumn = l.startCol, l.endCol
	}
	if l.lineKnown && !l.decoded {
		cut := -1
		if l.endLine > l.line && l.startCol > 0 {
			cut = l.startCol - 1 // the secret runs on past this line
		}
		f.Snippet = clipSnippet(maskLine(l.lineText, append(others, l.secret), cut, l.secret))
	}
	return f
}

// committedMessage is the message for a secret in the tree.
func committedMessage(l located) string {
	if l.rule.cfg.Regex == nil { // a file whose presence is the leak
		return fmt.Sprintf("%s committed (%s)", l.rule.meta.title, path.Base(l.path))
	}
	what := fmt.Sprintf("%s committed (%s)", l.rule.meta.title, describeSecret(l.secret))
	if l.binary {
		what = fmt.Sprintf("%s committed inside binary data (%s)", l.rule.meta.title, describeSecret(l.secret))
	}
	if l.decoded {
		what = fmt.Sprintf("%s committed in encoded form (%s)", l.rule.meta.title, describeSecret(l.secret))
	}
	return what
}

const maxSnippet = 240

func clipSnippet(s string) string {
	if len(s) <= maxSnippet {
		return s
	}
	cut := maxSnippet
	for cut > 0 && (s[cut]&0xC0) == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}

// shortSHA is the 7-character form of a commit id.
func shortSHA(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}
