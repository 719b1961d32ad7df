package main

import (
	"context"
	"flag"
	"io"
	"os"
	"strings"

	"github.com/wardenbot/warden/checks/all"
	"github.com/wardenbot/warden/checks/format"
	"github.com/wardenbot/warden/checks/local"
)

// defaultOSVURL is the public OSV API.
const defaultOSVURL = "https://api.osv.dev"

func runScan(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var (
		base    = fs.String("base", "", "review the change from merge-base(`REF`, head) to head")
		head    = fs.String("head", "", "head `REF` (default HEAD)")
		fmtName = fs.String("format", "text", "output `format`: text, json or sarif")
		cfgFile = fs.String("config", "", "configuration `FILE` (default .github/warden.yml)")
		osvURL  = fs.String("osv-url", envOr("WARDEN_OSV_URL", defaultOSVURL), "OSV API base `URL`")
		osvDB   = fs.String("osv-db", os.Getenv("WARDEN_OSV_DB"), "local OSV export (all.zip or a directory of JSON)")
		offline = fs.Bool("offline", false, "use no network at all")
		noColor = fs.Bool("no-color", false, "never colour text output")
	)
	paths, err := parseInterspersed(fs, args)
	if helpRequested(err, fs, "warden scan [flags] PATH", stdout) {
		return exitOK
	}
	if err != nil {
		return fail(stderr, "scan: %v", err)
	}
	if len(paths) != 1 {
		return fail(stderr, "scan: want exactly one PATH, got %d (usage: warden scan [flags] PATH)", len(paths))
	}
	write, err := format.Lookup(*fmtName)
	if err != nil {
		return fail(stderr, "scan: %v", err)
	}
	rep, err := local.Scan(ctx, local.Request{
		Path:       paths[0],
		Base:       *base,
		Head:       *head,
		ConfigFile: *cfgFile,
		Env:        all.Env{OSVURL: strings.TrimRight(*osvURL, "/"), OSVDB: *osvDB, Offline: *offline},
	})
	if err != nil {
		return fail(stderr, "%v", err)
	}
	color := !*noColor && *fmtName == "text" && isTerminal(stdout) && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
	if err := write(stdout, rep, format.Options{Version: version(), Color: color}); err != nil {
		return fail(stderr, "writing output: %v", err)
	}
	if !rep.Passes() {
		return exitFindings
	}
	return exitOK
}

// parseInterspersed lets flags come after the path (`warden scan . --format
// json`), which the flag package alone does not.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
