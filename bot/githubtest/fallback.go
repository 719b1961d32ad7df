package githubtest

import (
	"encoding/json"
	"fmt"

	"github.com/google/go-github/v60/github"
)

// Offline fallback (no npm cache, e.g. `warden demo` without network): the
// payload is built from the fake's own renderings on an empty base, then
// passed through go-github's event type (github.PullRequestEvent, ...), so
// it has exactly the fields go-github models. Compared with real example
// deliveries it lacks fields go-github does not know (e.g. _links,
// auto_merge details, repository permissions flags), and empty values are
// omitted rather than null, so head.repo of a deleted fork is absent
// instead of null.
func normalizeWithGoGitHub(event string, payload map[string]any) ([]byte, error) {
	raw, err := json.Marshal(payload)
	if err != nil {
		return nil, fmt.Errorf("githubtest: marshal %s payload: %w", event, err)
	}
	typed, err := github.ParseWebHook(event, raw)
	if err != nil {
		return nil, fmt.Errorf("githubtest: %s payload does not fit go-github's type: %w", event, err)
	}
	out, err := json.Marshal(typed)
	if err != nil {
		return nil, fmt.Errorf("githubtest: marshal %s event: %w", event, err)
	}
	return out, nil
}
