package workflows

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/wardenbot/warden/checks"
)

// curlPipeShell finds run scripts that download a script and execute it in
// one go, so whatever the server (or anyone between) returns at that
// moment runs with the job's token and secrets.
type curlPipeShell struct{}

func (curlPipeShell) Doc() checks.Rule {
	return checks.Rule{
		ID:       "workflows/curl-pipe-shell",
		Title:    "Remote script piped into a shell",
		Category: checks.CategoryWorkflows,
		Severity: checks.SeverityMedium,
		Description: "A `run:` script downloads code with curl or wget and executes it directly (`curl … | sh`, " +
			"`bash <(curl …)`, `sh -c \"$(curl …)\"`). Nothing checks what was downloaded: a compromised or hijacked " +
			"server, or a changed script at the same URL, runs with the job's token and secrets.",
		Remediation: "Download a versioned file, verify its sha256 checksum (or signature) against a value committed in the " +
			"repository, then run it; or use a pinned action or a package manager that verifies integrity.",
		HelpURI:    refHardening,
		References: []string{cwe494, refHardening},
	}
}

var downloadExec = regexp.MustCompile(`\b(curl|wget)\b[^|;&\n]*\|\s*(sudo\s+(-\S+\s+)*)?(env\s+(\w+=\S*\s+)*)?(ba|z|k|da|fi)?sh\b|\b(ba|z|k)?sh\s+(-\w+\s+)*<\(\s*(curl|wget)\b|\b(ba|z|k)?sh\s+(-\w+\s+)*-c\s+["']?\$\(\s*(curl|wget)\b|\b(source|\.)\s+<\(\s*(curl|wget)\b`)

func (curlPipeShell) Check(_ context.Context, _ *scan, f *file) []checks.Finding {
	var out []checks.Finding
	for _, j := range f.sortedJobs() {
		for i, st := range j.Steps {
			if st == nil {
				continue
			}
			r, ok := stepRun(st)
			if !ok {
				continue
			}
			sc := f.scan(r.Run)
			var logical strings.Builder
			var first position
			for _, raw := range strings.Split(r.Run.Value, "\n") {
				line := strings.TrimSpace(raw)
				if line == "" {
					continue
				}
				p, _ := sc.find(line, posOf(r.Run.Pos))
				if logical.Len() == 0 {
					first = p
				}
				if strings.HasSuffix(line, "\\") {
					logical.WriteString(strings.TrimSuffix(line, "\\") + " ")
					continue
				}
				logical.WriteString(line)
				cmd := logical.String()
				logical.Reset()
				if strings.HasPrefix(cmd, "#") {
					continue
				}
				loc := downloadExec.FindStringIndex(cmd)
				if loc == nil {
					continue
				}
				match := cmd[loc[0]:loc[1]]
				where := upperFirst(stepLabel(st, i))
				if f.Kind == kindWorkflow {
					where += fmt.Sprintf(" of job %q", jobID(j))
				}
				out = append(out, checks.Finding{
					StartLine: first.Line,
					Message:   fmt.Sprintf("%s pipes a downloaded script straight into a shell (`%s`), running whatever the server returns without an integrity check.", where, clipText(match, 80)),
					Key:       jobID(j) + "/" + stepKey(st, i) + ": " + match,
				})
			}
		}
	}
	return out
}

func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
