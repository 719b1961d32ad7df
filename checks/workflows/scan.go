package workflows

import (
	"context"
	"errors"
	"sync"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/internal/ghname"
)

// scan is the state of one Run: the target for notes, and per-run caches
// of network answers so that fifty workflows using actions/setup-go@v4
// cost one lookup. It lives no longer than Run.
type scan struct {
	check  *Check
	target *checks.Target

	mu         sync.Mutex
	resolved   map[string]resolveResult
	lookups    int // resolver calls made or under way
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

// DefaultMaxResolves is how many distinct action refs one run asks the
// resolver about: a workflow can name thousands, each an API call.
const DefaultMaxResolves = 50

// errNotAName and errTooManyRefs are answered without asking the resolver.
var (
	errNotAName    = errors.New("not a GitHub owner/repo@ref, so it was not looked up")
	errTooManyRefs = errors.New("more distinct action refs than this review looks up")
)

// resolve asks the configured resolver for the sha of ref, once per run,
// for at most MaxResolves distinct refs. Only names GitHub could have
// created are asked about: they become API paths.
func (s *scan) resolve(ctx context.Context, owner, repo, ref string) (string, error) {
	if !ghname.Owner(owner) || !ghname.Repo(repo) || !ghname.Ref(ref) {
		return "", errNotAName
	}
	key := owner + "/" + repo + "@" + ref
	s.mu.Lock()
	r, ok := s.resolved[key]
	if !ok {
		if s.lookups >= s.check.maxResolves() {
			s.mu.Unlock()
			return "", errTooManyRefs
		}
		s.lookups++
	}
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

// Error does not repeat what the resolver returned: it came from a server.
func (e errBadSHA) Error() string { return "the answer was not a commit sha" }
