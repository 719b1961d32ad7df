package main

import (
	"context"
	"flag"
	"io"
	"os"

	"github.com/wardenbot/warden/bot/demo"
)

// runDemo plays `warden demo`: a real warden serve reviews a sample pull
// request on an in-process GitHub fake. It exits 0 whatever warden finds
// (a demo, not a gate) and 2 when it cannot finish within its limit.
func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var (
		noColor = fs.Bool("no-color", false, "never colour the output")
		verbose = fs.Bool("verbose", false, "show warden's own log lines on stderr")
		keep    = fs.Bool("keep", false, "leave the GitHub fake and warden running, with their URLs, until Ctrl-C")
	)
	if err := fs.Parse(args); helpRequested(err, fs, "warden demo [flags]", stdout) {
		return exitOK
	} else if err != nil {
		return fail(stderr, "demo: %v", err)
	}
	if fs.NArg() > 0 {
		return fail(stderr, "demo: unexpected argument %q (usage: warden demo [--no-color] [--verbose] [--keep])", fs.Arg(0))
	}
	color := !*noColor && isTerminal(stdout) && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
	err := demo.Run(ctx, demo.Options{
		Out: stdout, Logs: stderr, Verbose: *verbose, Color: color, Keep: *keep, Version: version(),
	})
	if err != nil {
		return fail(stderr, "demo: %v", err)
	}
	return exitOK
}
