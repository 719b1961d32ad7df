package osv

import "context"

// Source answers which records affect each package version. Withdrawn
// records are never returned.
type Source interface {
	Query(ctx context.Context, keys []PackageKey) (map[PackageKey][]*Vuln, error)
	// Describe names the source for notes ("OSV API at …", "local OSV export …").
	Describe() string
}
