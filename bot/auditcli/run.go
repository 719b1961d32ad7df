package auditcli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/wardenbot/warden/bot/store"
)

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1 // verify found a broken chain
	exitUsage  = 2 // usage or runtime error, one line on stderr
)

// DefaultDatabaseURL is used without --database-url and WARDEN_DATABASE_URL.
const DefaultDatabaseURL = "sqlite://warden.db"

const usage = "usage: warden audit list|export|verify [--database-url URL] [--repo owner/name] [--pr N] [--kind K] [--since T] [--until T] [--limit N]"

// usageError is reported as one line on stderr with exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// Run executes `warden audit ARGS` and returns the process exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	code, err := run(ctx, args, stdout, time.Now)
	if err != nil {
		var u usageError
		if errors.As(err, &u) {
			fmt.Fprintln(stderr, "warden audit: "+oneLine(u.msg))
		} else {
			fmt.Fprintln(stderr, "warden audit: "+oneLine(err.Error()))
		}
		return exitUsage
	}
	return code
}

func run(ctx context.Context, args []string, stdout io.Writer, now func() time.Time) (int, error) {
	if len(args) == 0 {
		return 0, usageError{usage}
	}
	sub, rest := args[0], args[1:]
	var do func(context.Context, store.Store, options, io.Writer) (int, error)
	switch sub {
	case "list":
		do = list
	case "export":
		do = export
	case "verify":
		do = verify
	case "-h", "--help", "help":
		fmt.Fprintln(stdout, usage)
		return exitOK, nil
	default:
		return 0, usageError{fmt.Sprintf("unknown subcommand %q; %s", sub, usage)}
	}
	opts, err := parseFlags(sub, rest, now)
	if err != nil {
		return 0, err
	}
	st, err := store.Open(ctx, opts.databaseURL)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	return do(ctx, st, opts, stdout)
}

// options are the flags of every subcommand (each uses what it needs).
type options struct {
	databaseURL  string
	repo         string // owner/name or a numeric repository id
	pr           int
	kinds        []string
	since, until time.Time
	limit        int
}

func parseFlags(sub string, args []string, now func() time.Time) (options, error) {
	var o options
	var kinds, since, until string
	fs := flag.NewFlagSet("warden audit "+sub, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, by Run
	fs.StringVar(&o.databaseURL, "database-url", "", "database URL (default $WARDEN_DATABASE_URL, else "+DefaultDatabaseURL+")")
	fs.StringVar(&o.repo, "repo", "", "owner/name or repository id")
	if sub != "verify" {
		fs.IntVar(&o.pr, "pr", 0, "pull request number")
		fs.StringVar(&kinds, "kind", "", "record kinds, comma-separated (command, suppression.created, …)")
		fs.StringVar(&since, "since", "", "RFC 3339 time or a duration back from now (24h, 7d)")
		fs.StringVar(&until, "until", "", "RFC 3339 time or a duration back from now")
	}
	if sub == "list" {
		fs.IntVar(&o.limit, "limit", 50, "how many of the most recent records")
	}
	if err := fs.Parse(args); err != nil {
		return o, usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return o, usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	if o.databaseURL == "" {
		o.databaseURL = os.Getenv("WARDEN_DATABASE_URL")
	}
	if o.databaseURL == "" {
		o.databaseURL = DefaultDatabaseURL
	}
	if o.pr < 0 || (sub == "list" && o.limit <= 0) {
		return o, usageError{"--pr and --limit must be positive"}
	}
	for _, k := range strings.Split(kinds, ",") {
		if k = strings.TrimSpace(k); k != "" {
			o.kinds = append(o.kinds, k)
		}
	}
	var err error
	if o.since, err = parseWhen(since, now()); err != nil {
		return o, usageError{"--since: " + err.Error()}
	}
	if o.until, err = parseWhen(until, now()); err != nil {
		return o, usageError{"--until: " + err.Error()}
	}
	return o, nil
}

// parseWhen reads an RFC 3339 time, or a duration back from now: Go's
// durations ("36h", "90m") plus days ("7d").
func parseWhen(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		if _, err := fmt.Sscanf(days, "%d", &n); err == nil && n >= 0 && fmt.Sprint(n) == days {
			return now.Add(-time.Duration(n) * 24 * time.Hour), nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return time.Time{}, fmt.Errorf("%q is neither an RFC 3339 time nor a duration like 24h or 7d", s)
	}
	return now.Add(-d), nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
