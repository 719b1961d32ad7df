// Package workspace brings a pull request's commits into a per-repository
// bare cache and builds the check target from the object store. There is no
// work tree: nothing from the repository is checked out, so no hook, filter,
// submodule or symlink in it can act.
package workspace

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/source"
)

// ErrSuperseded means the pull request's head is no longer the commit the
// job was asked to review: a newer push replaced it.
var ErrSuperseded = errors.New("the pull request's head moved on")

// LimitError is a bound that was hit; the scan reports it rather than
// failing silently.
type LimitError struct{ What string }

func (e *LimitError) Error() string { return "limit reached: " + e.What }

// Limits bound one fetch and one target.
type Limits struct {
	MaxFetchBytes int64         // bytes of one fetch (default 2 GiB)
	FetchTimeout  time.Duration // one fetch (default 5 min)
	MaxCommits    int           // commits searched for history (default 1000)
	MaxFileSize   int64         // blobs larger than this are not read (default 64 MiB)
}

func (l Limits) withDefaults() Limits {
	if l.MaxFetchBytes == 0 {
		l.MaxFetchBytes = 2 << 30
	}
	if l.FetchTimeout == 0 {
		l.FetchTimeout = 5 * time.Minute
	}
	return l
}

// Workspace owns the cache directory.
type Workspace struct {
	root      string
	transport http.RoundTripper
	limits    Limits
	mu        sync.Mutex
	locks     map[string]*sync.Mutex
}

// New uses root for the caches; transport carries git's HTTP traffic
// (http.DefaultTransport when nil).
func New(root string, transport http.RoundTripper, limits Limits) (*Workspace, error) {
	if err := os.MkdirAll(root, 0o700); err != nil {
		return nil, fmt.Errorf("workspace: %w", err)
	}
	if transport == nil {
		transport = http.DefaultTransport
	}
	return &Workspace{root: root, transport: transport, limits: limits.withDefaults(), locks: map[string]*sync.Mutex{}}, nil
}

// Request says what to fetch for one review.
type Request struct {
	RepoID   int64
	CloneURL string // already checked to point at the configured GitHub
	// Token returns a fresh installation token; it is asked before every
	// fetch and never stored.
	Token   func(ctx context.Context) (string, error)
	BaseRef string // the pull request's base branch
	PR      int    // 0 when only the head sha is known
	HeadSHA string
}

func (w *Workspace) lock(key string) func() {
	w.mu.Lock()
	l, ok := w.locks[key]
	if !ok {
		l = &sync.Mutex{}
		w.locks[key] = l
	}
	w.mu.Unlock()
	l.Lock()
	return l.Unlock
}

// Fetched is a pull request's commits in the repository's cache.
type Fetched struct {
	RepoPath string // the bare cache
	BaseSHA  string // tip of the base branch
	HeadSHA  string
}

// Prepare fetches the base branch and the pull request's head into the
// repository's cache and returns the target for reviewing the head against
// merge-base(base, head), built in this process.
func (w *Workspace) Prepare(ctx context.Context, req Request) (*checks.Target, error) {
	f, err := w.Fetch(ctx, req)
	if err != nil {
		return nil, err
	}
	repo, err := git.PlainOpen(f.RepoPath)
	if err != nil {
		return nil, fmt.Errorf("repository cache: %w", err)
	}
	baseCommit, err := repo.CommitObject(plumbing.NewHash(f.BaseSHA))
	if err != nil {
		return nil, fmt.Errorf("reading base: %w", err)
	}
	headCommit, err := repo.CommitObject(plumbing.NewHash(f.HeadSHA))
	if err != nil {
		return nil, fmt.Errorf("reading head: %w", err)
	}
	return source.Range(ctx, repo, baseCommit, headCommit, w.SourceLimits())
}

// SourceLimits bound building a target from the cache.
func (w *Workspace) SourceLimits() source.Limits {
	return source.Limits{MaxCommits: w.limits.MaxCommits, MaxFileSize: w.limits.MaxFileSize}
}

// Fetch brings the base branch and the pull request's head into the
// repository's cache, and checks that the head is the commit asked for.
// The diff is built from the cache by whoever scans it (a sandboxed child).
func (w *Workspace) Fetch(ctx context.Context, req Request) (Fetched, error) {
	key := strconv.FormatInt(req.RepoID, 10)
	unlock := w.lock(key)
	defer unlock()
	dir := filepath.Join(w.root, key+".git")
	repo, err := w.open(dir)
	if err != nil {
		return Fetched{}, err
	}
	head := plumbing.NewHash(req.HeadSHA)
	wants := []want{{Ref: plumbing.NewBranchReferenceName(req.BaseRef), Local: "refs/warden/base"}}
	if req.PR > 0 {
		wants = append(wants, want{Ref: plumbing.ReferenceName(fmt.Sprintf("refs/pull/%d/head", req.PR)), Local: "refs/warden/head"})
	} else {
		wants = append(wants, want{SHA: head, Local: "refs/warden/head"})
	}
	got, err := w.fetchWithRetry(ctx, repo, req, wants)
	if err != nil {
		return Fetched{}, err
	}
	if got["refs/warden/head"] != head {
		return Fetched{}, fmt.Errorf("%w: refs/pull/%d/head is %s, not %s", ErrSuperseded, req.PR, got["refs/warden/head"].String()[:7], req.HeadSHA[:min(7, len(req.HeadSHA))])
	}
	return Fetched{RepoPath: dir, BaseSHA: got["refs/warden/base"].String(), HeadSHA: head.String()}, nil
}

// open returns the bare cache, creating it on first use.
func (w *Workspace) open(dir string) (*git.Repository, error) {
	repo, err := git.PlainOpen(dir)
	if errors.Is(err, git.ErrRepositoryNotExists) {
		repo, err = git.PlainInit(dir, true)
	}
	if err != nil {
		return nil, fmt.Errorf("repository cache: %w", err)
	}
	return repo, nil
}

// fetchWithRetry fetches with a fresh token, and once more with another
// fresh token when the server refuses the first (it may have expired
// between minting and use).
func (w *Workspace) fetchWithRetry(ctx context.Context, repo *git.Repository, req Request, wants []want) (map[plumbing.ReferenceName]plumbing.Hash, error) {
	var lastErr error
	for attempt := 0; attempt < 2; attempt++ {
		tok, err := req.Token(ctx)
		if err != nil {
			return nil, fmt.Errorf("installation token: %w", err)
		}
		fctx, cancel := context.WithTimeout(ctx, w.limits.FetchTimeout)
		counter := &byteBudget{left: w.limits.MaxFetchBytes}
		client := &http.Client{Transport: &budgetTransport{next: w.transport, budget: counter}}
		got, err := fetch(fctx, client, req.CloneURL, &githttp.BasicAuth{Username: "x-access-token", Password: tok}, repo.Storer, wants)
		cancel()
		switch {
		case err == nil:
			return got, nil
		case counter.exceeded.Load():
			return nil, &LimitError{What: fmt.Sprintf("the repository is larger than the %d MiB fetch limit", w.limits.MaxFetchBytes>>20)}
		case errors.Is(fctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil:
			return nil, &LimitError{What: fmt.Sprintf("fetching took longer than %s", w.limits.FetchTimeout)}
		case errors.Is(err, errAuth):
			lastErr = err
			continue
		default:
			return nil, fmt.Errorf("fetching %s: %w", req.CloneURL, err)
		}
	}
	return nil, lastErr
}

// byteBudget bounds the bytes one fetch may receive.
type byteBudget struct {
	left     int64
	exceeded atomic.Bool
}

type budgetTransport struct {
	next   http.RoundTripper
	budget *byteBudget
}

func (t *budgetTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &budgetReader{r: resp.Body, b: t.budget}
	return resp, nil
}

type budgetReader struct {
	r io.ReadCloser
	b *byteBudget
}

func (r *budgetReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if atomic.AddInt64(&r.b.left, -int64(n)) < 0 {
		r.b.exceeded.Store(true)
		return n, errors.New("fetch size limit exceeded")
	}
	return n, err
}

func (r *budgetReader) Close() error { return r.r.Close() }
