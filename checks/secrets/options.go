package secrets

// Options configure the secrets check. The zero value is the default.
type Options struct {
	// AllowPaths are globs (checks.NewPathMatcher syntax, e.g.
	// "docs/examples/**", "*.snap") of files this check does not report on.
	AllowPaths []string

	// AllowRegexes are regular expressions (Go syntax) matched against each
	// found secret; a secret any of them matches is not reported. Use it for
	// known-public test credentials. An invalid expression is a
	// constructor error.
	AllowRegexes []string

	// MaxWorkers bounds how many files are scanned at once; zero means
	// GOMAXPROCS.
	MaxWorkers int
}
