package workflows

import (
	"context"
	"sync"

	"github.com/wardenbot/warden/checks"
)

// scan is the state of one Run: the target for notes, and per-run caches
// of network answers so that fifty workflows using actions/setup-go@v4
// cost one lookup. It lives no longer than Run.
type scan struct {
	check  *Check
	target *checks.Target

	mu         sync.Mutex
	resolved   map[string]resolveResult
	advisories map[string][]Advisory
	noted      map[string]bool
}

type resolveResult struct {
	sha string
	err error
}

func newScan(c *Check, t *checks.Target) *scan {
	return &scan{check: c, target: t, resolved: map[string]resolveResult{}, advisories: map[string][]Advisory{}, noted: map[string]bool{}}
}

func (s *scan) note(path, msg string) {
	s.target.AddNote(checks.Note{Check: Name, Path: path, Message: msg})
}

// unscanned records that the file at path could not be checked.
func (s *scan) unscanned(path, msg string) {
	s.target.AddNote(checks.Note{Check: Name, Path: path, Message: msg, Unscanned: true})
}

// noteOnce records a note the first time key is seen in this run.
func (s *scan) noteOnce(key, path, msg string) {
	s.mu.Lock()
	seen := s.noted[key]
	s.noted[key] = true
	s.mu.Unlock()
	if !seen {
		s.note(path, msg)
	}
}

// resolve asks the configured resolver for the sha of ref, once per run.
func (s *scan) resolve(ctx context.Context, owner, repo, ref string) (string, error) {
	key := owner + "/" + repo + "@" + ref
	s.mu.Lock()
	r, ok := s.resolved[key]
	s.mu.Unlock()
	if ok {
		return r.sha, r.err
	}
	sha, err := s.check.opts.Resolver.ResolveRef(ctx, owner, repo, ref)
	if err == nil && !fullSHA.MatchString(sha) {
		err = errBadSHA{sha}
	}
	s.mu.Lock()
	s.resolved[key] = resolveResult{sha, err}
	s.mu.Unlock()
	return sha, err
}

type errBadSHA struct{ sha string }

func (e errBadSHA) Error() string { return "resolver returned " + e.sha + ", not a 40-hex commit sha" }
