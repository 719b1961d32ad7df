// Package format renders a checks.Report for people (text) and machines
// (JSON, SARIF 2.1.0). Each format lives in its own file behind Writer.
package format

import (
	"fmt"
	"io"
	"strings"

	"github.com/wardenbot/warden/checks"
)

// Options shared by the formats.
type Options struct {
	Version string // warden's version, for tool metadata
	Color   bool   // ANSI colour (text only)
}

// Writer renders a report.
type Writer func(w io.Writer, r *checks.Report, o Options) error

// Names lists the formats in the order `--format` documents them.
var Names = []string{"text", "json", "sarif"}

// Lookup returns the writer for a format name.
func Lookup(name string) (Writer, error) {
	switch strings.ToLower(name) {
	case "text", "":
		return Text, nil
	case "json":
		return JSON, nil
	case "sarif":
		return SARIF, nil
	}
	return nil, fmt.Errorf("unknown format %q (want %s)", name, strings.Join(Names, ", "))
}

// shown returns the findings a report presents: the new ones in a diff scan
// (pre-existing ones are only counted), all of them in a tree scan.
func shown(r *checks.Report) []checks.Finding { return r.New() }

// severityCounts renders "1 critical, 2 high" for the non-zero severities.
func severityCounts(counts map[checks.Severity]int) string {
	var parts []string
	for _, s := range checks.Severities {
		if n := counts[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	return strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
