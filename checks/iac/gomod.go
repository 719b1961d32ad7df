package iac

import (
	"strings"
	"time"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/iac/eol"
)

// scanGoMod reports an end-of-life `go` or `toolchain` line. The go line is
// the minimum language version, not necessarily the toolchain that builds,
// so it is low; a toolchain line names the toolchain and is medium.
func scanGoMod(p string, content []byte, table *eol.Table, now time.Time) []checks.Finding {
	var out []checks.Finding
	for i, line := range strings.Split(string(content), "\n") {
		fields := strings.Fields(strings.SplitN(line, "//", 2)[0])
		if len(fields) != 2 {
			continue
		}
		sev := checks.SeverityLow
		switch fields[0] {
		case "go":
		case "toolchain":
			sev = checks.SeverityMedium
		default:
			continue
		}
		if r, ok := table.Lookup("go", fields[1]); ok && r.IsEOL(now) {
			out = append(out, eol.Finding(p, i+1, "The "+fields[0]+" directive ("+fields[1]+")", r, sev))
		}
	}
	return out
}
