package command

import (
	"regexp"
	"strings"
	"time"

	"github.com/wardenbot/warden/bot/publish"
	"github.com/wardenbot/warden/bot/store"
)

// Limits on what one comment can ask for.
const (
	// MaxCommentBytes: a longer comment is ignored whole; no person types a
	// command into 64 KB of text, and parsing it would only cost.
	MaxCommentBytes = 64 << 10
	// MaxCommands per comment; the rest are reported as dropped.
	MaxCommands = 10
	// MaxReasonRunes bounds a stored reason or note.
	MaxReasonRunes = 500
	// maxEchoRunes bounds the command text echoed in replies and the audit.
	maxEchoRunes = 200
)

// Verb is what a command asks for.
type Verb string

const (
	Help     Verb = "help"
	Rescan   Verb = "rescan"
	Ignore   Verb = "ignore"
	Unignore Verb = "unignore"
	Explain  Verb = "explain"
	Approve  Verb = "approve"
	Unknown  Verb = "unknown"
)

var verbNames = []string{string(Help), string(Rescan), string(Ignore), string(Unignore), string(Explain), string(Approve)}

// DefaultKind is the suppression kind of an ignore that names none: it
// claims the least (the finding may be real; the risk is accepted).
const DefaultKind = store.AcceptedRisk

// Command is one parsed `/warden …` line.
type Command struct {
	Verb Verb
	Line int    // 1-based line of the comment
	Text string // the line as typed, clipped, for the audit log and replies

	Ref     FindingRef            // ignore, unignore, explain; zero when left out
	Kind    store.SuppressionKind // ignore
	Reason  string                // ignore; clipped to MaxReasonRunes
	Expires time.Duration         // ignore; 0 = never
	Repo    bool                  // ignore, unignore: --repo, every pull request of the repository
	Note    string                // approve; optional
	SHA     string                // approve: the head the approver reviewed, lower case; "" when left out

	// Problem says why the command cannot run as typed (a usage error);
	// the handler replies with it instead of acting.
	Problem string
	// Typed and Suggestion describe an unknown verb and the closest known one.
	Typed, Suggestion string
}

// Result is everything a comment asks for.
type Result struct {
	Commands []Command
	Dropped  int  // commands beyond MaxCommands, not run
	TooLong  bool // the comment exceeds MaxCommentBytes and was not read
}

// Parse reads the slash commands of a comment. It is pure and total: any
// input gives a Result.
func Parse(body string) Result {
	if len(body) > MaxCommentBytes {
		return Result{TooLong: true}
	}
	var res Result
	for _, l := range commandLines(body) {
		if len(res.Commands) == MaxCommands {
			res.Dropped++
			continue
		}
		res.Commands = append(res.Commands, parseLine(l))
	}
	return res
}

func parseLine(l line) Command {
	args := strings.Fields(l.text[len(prefix):])
	c := Command{Line: l.num, Text: publish.Clip(strings.Join(append([]string{prefix}, args...), " "), maxEchoRunes)}
	if len(args) == 0 {
		c.Verb = Help // a bare "/warden" is a request for help
		return c
	}
	verb := strings.ToLower(args[0])
	args = args[1:]
	switch Verb(verb) {
	case Help, Rescan:
		c.Verb = Verb(verb)
	case Ignore:
		c.Verb = Ignore
		parseIgnore(&c, args)
	case Unignore:
		c.Verb = Unignore
		for _, a := range takeRef(&c, args) {
			c.Repo = c.Repo || isRepoFlag(a)
		}
	case Explain:
		c.Verb = Explain
		parseRefOnly(&c, args)
	case Approve:
		c.Verb = Approve
		if len(args) > 0 && shaPattern.MatchString(args[0]) {
			c.SHA, args = strings.ToLower(args[0]), args[1:]
		}
		c.Note = publish.Clip(strings.Join(args, " "), MaxReasonRunes)
	default:
		c.Verb = Unknown
		c.Typed = publish.Clip(verb, 40)
		c.Suggestion = closestVerb(verb)
	}
	return c
}

// takeRef consumes a leading finding id. A token that looks like an id but
// is not one is a problem, not the first word of a reason.
func takeRef(c *Command, args []string) []string {
	if len(args) == 0 {
		return args
	}
	tok := strings.TrimRight(args[0], ":,.")
	if ref, ok := ParseFindingRef(tok); ok {
		c.Ref = ref
		return args[1:]
	}
	if looksLikeRef(tok) {
		c.Problem = publish.Code(publish.Clip(tok, 80)) + " is not a finding id: ids look like W-3f2a9c1b (W- and 8 hex digits)."
	}
	return args
}

func parseRefOnly(c *Command, args []string) {
	takeRef(c, args)
}

// shaPattern is a commit as people type it: 7 to 40 hex digits.
var shaPattern = regexp.MustCompile(`^[0-9a-fA-F]{7,40}$`)

func isRepoFlag(a string) bool { return strings.EqualFold(a, "--repo") }

// parseIgnore reads `ignore [<id>] [kind[:]] <reason> [--expires 30d]`.
func parseIgnore(c *Command, args []string) {
	args = takeRef(c, args)
	if c.Problem != "" {
		return
	}
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		lower := strings.ToLower(a)
		switch {
		case lower == "--expires" || lower == "--expire":
			if i+1 == len(args) {
				c.Problem = "--expires needs a duration such as 30d, 12h or 2w."
				return
			}
			i++
			c.Expires, c.Problem = expiry(args[i])
		case strings.HasPrefix(lower, "--expires="):
			c.Expires, c.Problem = expiry(a[len("--expires="):])
		case isRepoFlag(a):
			c.Repo = true
		default:
			rest = append(rest, a)
		}
		if c.Problem != "" {
			return
		}
	}
	c.Kind = DefaultKind
	if len(rest) > 0 {
		if kind, tail, ok := splitKind(rest[0]); ok {
			c.Kind = kind
			rest = rest[1:]
			if tail != "" {
				rest = append([]string{tail}, rest...)
			}
		}
	}
	reason := strings.TrimLeft(strings.Join(rest, " "), ":-—– ")
	if reason == "" {
		c.Problem = "an ignore needs a reason, e.g. `/warden ignore W-3f2a9c1b false-positive: test fixture`."
		return
	}
	c.Reason = publish.Clip(reason, MaxReasonRunes)
}

func expiry(s string) (time.Duration, string) {
	d, err := parseExpiry(s)
	if err != nil {
		return 0, err.Error() + "."
	}
	return d, ""
}

// splitKind recognises "false-positive", "false-positive:" and
// "false-positive:rest-of-reason".
func splitKind(tok string) (store.SuppressionKind, string, bool) {
	head, tail, _ := strings.Cut(tok, ":")
	switch k := store.SuppressionKind(strings.ToLower(head)); k {
	case store.FalsePositive, store.AcceptedRisk, store.TestCode:
		return k, tail, true
	}
	return "", "", false
}
