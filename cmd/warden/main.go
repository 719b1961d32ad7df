// Command warden reviews code for security problems: locally with `warden
// scan`, and on every pull request as a GitHub App with `warden serve`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/wardenbot/warden/bot/auditcli"
	"github.com/wardenbot/warden/bot/sandbox"
)

// Exit codes shared by every sub-command.
const (
	exitOK       = 0
	exitFindings = 1 // blocking findings
	exitError    = 2 // usage or runtime error
)

func main() {
	if sandbox.IsChild() {
		// `warden serve` started this process to scan one change.
		os.Exit(sandbox.RunChild())
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches a sub-command and turns any failure, even a panic, into
// exit code 2 with one line on stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(stderr, "warden: internal error: %v\n", p)
			code = exitError
		}
	}()
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitError
	}
	switch args[0] {
	case "scan":
		return runScan(ctx, args[1:], stdout, stderr)
	case "serve":
		return runServe(ctx, args[1:], stderr)
	case "demo":
		return runDemo(ctx, args[1:], stdout, stderr)
	case "audit":
		return auditcli.Run(ctx, args[1:], stdout, stderr)
	case "version", "--version":
		fmt.Fprintf(stdout, "warden %s\n", version())
		return exitOK
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "warden: unknown command %q (run 'warden help')\n", args[0])
	return exitError
}

const usage = `warden reviews code for security problems.

Usage:
  warden scan [--base REF] [--head REF] [--format text|json|sarif] [--config FILE]
              [--osv-url URL] [--osv-db PATH] [--offline] PATH
  warden serve    (configured by WARDEN_* environment variables; see docs/operating.md)
  warden demo [--no-color] [--verbose] [--keep]   (a sample pull request reviewed offline)
  warden audit list|export|verify [--database-url URL] [--repo OWNER/NAME] …
  warden version

Exit status: 0 no blocking finding, 1 blocking findings, 2 usage or runtime error.
`

// helpRequested handles -h/--help on a sub-command: it prints the
// synopsis and the flags to stdout (asked-for help is not an error) and
// reports whether it did.
func helpRequested(err error, fs *flag.FlagSet, synopsis string, stdout io.Writer) bool {
	if !errors.Is(err, flag.ErrHelp) {
		return false
	}
	fmt.Fprintf(stdout, "Usage: %s\n\nFlags:\n", synopsis)
	fs.SetOutput(stdout)
	fs.PrintDefaults()
	return true
}

// fail prints one line to stderr and returns the error exit code.
func fail(stderr io.Writer, format string, args ...any) int {
	msg := fmt.Sprintf(format, args...)
	fmt.Fprintf(stderr, "warden: %s\n", oneLine(msg))
	return exitError
}

func oneLine(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r == '\n' || r == '\r' {
			r = ' '
		}
		out = append(out, r)
	}
	return string(out)
}
