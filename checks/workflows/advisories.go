package workflows

import "context"

// EcosystemActions is the OSV ecosystem name of GitHub Actions.
const EcosystemActions = "GitHub Actions"

// Advisory is one published vulnerability or compromise affecting an
// action version.
type Advisory struct {
	ID       string   // GHSA or OSV id
	Aliases  []string // CVE ids and the like
	Summary  string   // one line
	Severity string   // critical|high|medium|low, "" when unknown
	Fixed    string   // first fixed version, "" when none
	URL      string
}

// AdvisoryDB looks up advisories affecting name (owner/repo) at version
// (the ref as written without a leading "v", or a commit sha) in
// ecosystem (EcosystemActions). The bot backs it with OSV.
type AdvisoryDB interface {
	Lookup(ctx context.Context, ecosystem, name, version string) ([]Advisory, error)
}
