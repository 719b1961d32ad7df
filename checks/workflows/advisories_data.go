package workflows

// knownBadAction is a built-in record of an action release that was
// compromised or carries a published vulnerability. Versions are compared
// as dotted numbers; a bare major tag (v45) stands for the newest release
// of that major, which is what the tag pointed at.
type knownBadAction struct {
	Name string // owner/repo, lower case
	// AffectedBelow: versions strictly below it are affected ("" = all).
	AffectedBelow string
	// AffectedMajors, when set, limits the match to these major tags.
	AffectedMajors []string
	// Commits are commit shas known to carry the malicious code.
	Commits  []string
	Advisory Advisory
}

// builtinAdvisories transcribes public advisories. Sources are given per
// entry; facts only, no advisory text.
var builtinAdvisories = []knownBadAction{
	{
		// GHSA-mrrh-fwg8-r2c3 / CVE-2025-30066: on 14–15 March 2025 the
		// attacker repointed existing tags to a commit that dumped runner
		// memory (secrets) into the workflow log. Fixed in 46.0.1.
		Name:          "tj-actions/changed-files",
		AffectedBelow: "46.0.1",
		Commits:       []string{"0e58ed8671d6b60d0890c21b07f8835ace038e67"},
		Advisory: Advisory{
			ID: "GHSA-mrrh-fwg8-r2c3", Aliases: []string{"CVE-2025-30066"}, Severity: "critical", Fixed: "46.0.1",
			Summary: "tj-actions/changed-files tags were repointed to a commit that leaks CI secrets into workflow logs (March 2025 compromise)",
			URL:     "https://github.com/advisories/GHSA-mrrh-fwg8-r2c3",
		},
	},
	{
		// GHSA-qmg3-hpqr-gqvc / CVE-2025-30154: the v1 tag of
		// reviewdog/action-setup was repointed on 11 March 2025 to code
		// that leaked secrets; actions built on it were exposed too.
		Name:           "reviewdog/action-setup",
		AffectedMajors: []string{"1"},
		Advisory: Advisory{
			ID: "GHSA-qmg3-hpqr-gqvc", Aliases: []string{"CVE-2025-30154"}, Severity: "high",
			Summary: "reviewdog/action-setup@v1 was repointed to a commit that leaks CI secrets into workflow logs (March 2025 compromise)",
			URL:     "https://github.com/advisories/GHSA-qmg3-hpqr-gqvc",
		},
	},
	reviewdogCompromise("reviewdog/action-shellcheck"),
	reviewdogCompromise("reviewdog/action-composite-template"),
	reviewdogCompromise("reviewdog/action-staticcheck"),
	reviewdogCompromise("reviewdog/action-ast-grep"),
	reviewdogCompromise("reviewdog/action-typos"),
	{
		// GHSA-mcph-m25j-8j63 / CVE-2023-51664: file names were
		// interpolated into shell commands. Fixed in 41.0.0.
		Name:          "tj-actions/changed-files",
		AffectedBelow: "41.0.0",
		Advisory: Advisory{
			ID: "GHSA-mcph-m25j-8j63", Aliases: []string{"CVE-2023-51664"}, Severity: "high", Fixed: "41.0.0",
			Summary: "tj-actions/changed-files before 41 lets crafted file names inject shell commands",
			URL:     "https://github.com/advisories/GHSA-mcph-m25j-8j63",
		},
	},
	{
		// GHSA-8v8w-v8xg-79rf / CVE-2023-49291: branch names were
		// interpolated into shell commands. Fixed in 7.0.7.
		Name:          "tj-actions/branch-names",
		AffectedBelow: "7.0.7",
		Advisory: Advisory{
			ID: "GHSA-8v8w-v8xg-79rf", Aliases: []string{"CVE-2023-49291"}, Severity: "critical", Fixed: "7.0.7",
			Summary: "tj-actions/branch-names before 7.0.7 lets crafted branch names inject shell commands",
			URL:     "https://github.com/advisories/GHSA-8v8w-v8xg-79rf",
		},
	},
}

// reviewdogCompromise records an action that GHSA-qmg3-hpqr-gqvc lists as
// exposed through its use of reviewdog/action-setup@v1.
func reviewdogCompromise(name string) knownBadAction {
	k := knownBadAction{Name: name, AffectedMajors: []string{"1"}}
	k.Advisory = Advisory{
		ID: "GHSA-qmg3-hpqr-gqvc", Aliases: []string{"CVE-2025-30154"}, Severity: "high",
		Summary: name + "@v1 ran the compromised reviewdog/action-setup@v1, which leaked CI secrets into workflow logs (March 2025)",
		URL:     "https://github.com/advisories/GHSA-qmg3-hpqr-gqvc",
	}
	return k
}
