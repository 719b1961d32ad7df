package workflows

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/rhysd/actionlint"
	"github.com/wardenbot/warden/checks"
)

// knownVulnerableAction finds actions at versions with a published
// advisory or a known compromise, from the built-in list and, when
// configured, an advisory database.
type knownVulnerableAction struct{}

func (knownVulnerableAction) Doc() checks.Rule {
	return checks.Rule{
		ID:       "workflows/known-vulnerable-action",
		Title:    "Action version with a known vulnerability or compromise",
		Category: checks.CategoryWorkflows,
		Severity: checks.SeverityHigh,
		Description: "A `uses:` reference names an action version covered by a published advisory: a supply-chain " +
			"compromise (such as the March 2025 tj-actions/changed-files and reviewdog incidents, whose tags were moved to " +
			"code that printed CI secrets into public logs) or a vulnerability such as command injection through file or " +
			"branch names. Severity follows the advisory.",
		Remediation: "Upgrade to the fixed version named in the advisory and pin it by commit sha. After a compromise, " +
			"rotate every secret the affected workflows could read and check their logs.",
		HelpURI:    "https://github.com/advisories?query=ecosystem%3Aactions",
		References: []string{refThirdParty, "https://github.com/advisories/GHSA-mrrh-fwg8-r2c3"},
	}
}

func (r knownVulnerableAction) Check(ctx context.Context, s *scan, f *file) []checks.Finding {
	var out []checks.Finding
	for _, j := range f.sortedJobs() {
		var refs []*actionlint.String
		if j.WorkflowCall != nil && j.WorkflowCall.Uses != nil {
			refs = append(refs, j.WorkflowCall.Uses)
		}
		for _, st := range j.Steps {
			if st == nil {
				continue
			}
			if a, ok := st.Exec.(*actionlint.ExecAction); ok && a.Uses != nil {
				refs = append(refs, a.Uses)
			}
		}
		for _, u := range refs {
			out = append(out, r.check(ctx, s, f, u, jobID(j))...)
		}
	}
	return out
}

func (r knownVulnerableAction) check(ctx context.Context, s *scan, f *file, uses *actionlint.String, job string) []checks.Finding {
	ref, ok := parseUses(uses.Value)
	if !ok || ref.Kind != usesRepo {
		return nil
	}
	advs := builtinMatches(ref)
	for _, a := range s.lookupAdvisories(ctx, f.Path, ref) {
		if !slices.ContainsFunc(advs, func(b Advisory) bool { return sameAdvisory(a, b) }) {
			advs = append(advs, a)
		}
	}
	p := posOf(uses.Pos)
	var out []checks.Finding
	for _, a := range advs {
		fd := checks.Finding{
			Severity:    advisorySeverity(a.Severity),
			StartLine:   p.Line,
			StartColumn: p.Col,
			EndColumn:   p.Col + len(uses.Value) - 1,
			Message:     fmt.Sprintf("`%s` is affected by %s: %s.", ref.Raw, advisoryName(a), strings.TrimSuffix(a.Summary, ".")),
			Key:         job + ": " + ref.Raw + " " + a.ID,
		}
		if a.Fixed != "" {
			fd.Remediation = fmt.Sprintf("Upgrade %s to %s or later, pinned by commit sha.", ref.Name(), a.Fixed)
		}
		if a.URL != "" {
			fd.References = []string{a.URL}
		}
		out = append(out, fd)
	}
	return out
}

func advisoryName(a Advisory) string {
	if len(a.Aliases) > 0 {
		return a.ID + " (" + strings.Join(a.Aliases, ", ") + ")"
	}
	return a.ID
}

func sameAdvisory(a, b Advisory) bool {
	if a.ID == b.ID {
		return true
	}
	return slices.Contains(b.Aliases, a.ID) || slices.Contains(a.Aliases, b.ID)
}

func advisorySeverity(s string) checks.Severity {
	switch strings.ToLower(s) {
	case "critical":
		return checks.SeverityCritical
	case "moderate", "medium":
		return checks.SeverityMedium
	case "low":
		return checks.SeverityLow
	}
	return checks.SeverityHigh
}

// builtinMatches returns the built-in advisories affecting ref.
func builtinMatches(ref actionRef) []Advisory {
	var out []Advisory
	for _, k := range builtinAdvisories {
		if k.Name != ref.Name() {
			continue
		}
		if fullSHA.MatchString(ref.Ref) {
			if slices.Contains(k.Commits, strings.ToLower(ref.Ref)) {
				out = append(out, k.Advisory)
			}
			continue
		}
		v, ok := parseVersion(ref.Ref)
		if !ok {
			continue
		}
		if len(k.AffectedMajors) > 0 && !slices.Contains(k.AffectedMajors, strconv.Itoa(v[0])) {
			continue
		}
		if k.AffectedBelow != "" {
			below, _ := parseVersion(k.AffectedBelow)
			if compareVersions(v, below) >= 0 {
				continue
			}
		}
		out = append(out, k.Advisory)
	}
	return out
}

// parseVersion reads v1, 1.2, v1.2.3 into three numbers. Missing parts of
// a floating major or minor tag are taken as the highest release of that
// line, which is what the tag points at.
func parseVersion(s string) ([3]int, bool) {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "v"), "V")
	parts := strings.Split(s, ".")
	if len(parts) == 0 || len(parts) > 3 {
		return [3]int{}, false
	}
	v := [3]int{1 << 30, 1 << 30, 1 << 30}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return [3]int{}, false
		}
		v[i] = n
	}
	return v, true
}

func compareVersions(a, b [3]int) int {
	for i := range a {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// lookupAdvisories asks the configured database, once per name@version per
// run; a failure becomes a note and the built-in list still applies.
func (s *scan) lookupAdvisories(ctx context.Context, path string, ref actionRef) []Advisory {
	db := s.check.opts.Advisories
	if db == nil {
		return nil
	}
	version := strings.TrimPrefix(ref.Ref, "v")
	key := ref.Name() + "@" + version
	s.mu.Lock()
	advs, ok := s.advisories[key]
	s.mu.Unlock()
	if ok {
		return advs
	}
	advs, err := db.Lookup(ctx, EcosystemActions, ref.Name(), version)
	if err != nil {
		s.noteOnce("advisories:"+key, path, fmt.Sprintf("advisories for %s unavailable: %v", key, err))
		advs = nil
	}
	s.mu.Lock()
	s.advisories[key] = advs
	s.mu.Unlock()
	return advs
}
