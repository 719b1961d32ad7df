// Package sandbox runs a review's scan — building the diff from the git
// objects and running every check over it — in a child process with its own
// address-space, CPU and wall-clock limits, so no file a pull request adds
// can crash, hang or exhaust `warden serve` for every other tenant. The
// child is warden's own binary started in a worker mode; it holds no
// credentials (its environment is scrubbed) and asks the parent for the one
// thing that needs the installation's token: pinning action tags to shas.
//
// A child that dies, is killed or runs out of memory is a *CrashError: the
// review turns it into a failing verdict that names the cause, and does not
// retry that head on its own.
package sandbox

import (
	"context"
	"fmt"
	"time"

	git "github.com/go-git/go-git/v5"

	"github.com/wardenbot/warden/bot/workspace"
	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/all"
	"github.com/wardenbot/warden/checks/source"
	"github.com/wardenbot/warden/checks/workflows"
	"github.com/wardenbot/warden/config"
)

// Request is one scan: two commits of a repository's bare cache on disk,
// reviewed the way GitHub shows a pull request.
type Request struct {
	RepoPath string         `json:"repo_path"` // the bare repository
	BaseSHA  string         `json:"base_sha"`  // tip of the pull request's base branch
	HeadSHA  string         `json:"head_sha"`
	Config   *config.Config `json:"config"`
	Env      Env            `json:"env"`
	Limits   source.Limits  `json:"limits"`
}

// Env is the part of the checks' environment that crosses into the child:
// no clients, no credentials.
type Env struct {
	OSVURL    string `json:"osv_url,omitempty"`
	OSVDB     string `json:"osv_db,omitempty"`
	Offline   bool   `json:"offline,omitempty"`
	RepoOwner string `json:"repo_owner,omitempty"`
}

// Result is what a scan produced: the report, and the diff's file list with
// the lines each change adds and its hunks (what publishing anchors
// comments to; the per-commit history stays in the child).
type Result struct {
	Report *checks.Report
	Diff   *checks.Diff
}

// Services are what the parent offers the child's checks.
type Services struct {
	// Refs pins action tags to commit shas (the installation's client);
	// nil when there is none.
	Refs workflows.RefResolver
}

// Scanner runs scans. Process is the one `warden serve` uses; InProcess
// runs the same steps in the calling process.
type Scanner interface {
	Scan(ctx context.Context, req Request, svc Services) (*Result, error)
}

// Limits bound one child.
type Limits struct {
	Memory int64         // address space, bytes
	CPU    time.Duration // processor time
	Wall   time.Duration // wall clock, from start to result
}

// Defaults for Limits fields left zero.
const (
	DefaultMemory = 4 << 30
	DefaultCPU    = 20 * time.Minute
	// DefaultWall is below the queue's job timeout (15 min), so a scan
	// that runs too long ends as a crash with a verdict, not as a job
	// that times out and is retried.
	DefaultWall = 10 * time.Minute
)

func (l Limits) withDefaults() Limits {
	if l.Memory <= 0 {
		l.Memory = DefaultMemory
	}
	if l.CPU <= 0 {
		l.CPU = DefaultCPU
	}
	if l.Wall <= 0 {
		l.Wall = DefaultWall
	}
	return l
}

// CrashError is a scan that died rather than failed: killed, out of
// memory, over its CPU or wall-clock limit, or a fatal runtime error.
type CrashError struct {
	Cause string // for people: "ran out of memory (limit 4.0 GiB)"
}

func (e *CrashError) Error() string { return "scan crashed: " + e.Cause }

// CacheError is a scan that found the repository's cache damaged: the
// caller discards the cache, so a retry fetches it afresh.
type CacheError struct{ Err string }

func (e *CacheError) Error() string { return "repository cache unreadable: " + e.Err }

// InProcess runs scans in the calling process, without limits: for tests
// of the layers above, and for callers that are themselves a sandbox.
type InProcess struct{}

func (InProcess) Scan(ctx context.Context, req Request, svc Services) (*Result, error) {
	res, err := scan(ctx, req, svc.Refs)
	if err != nil && workspace.Unreadable(err) {
		return nil, &CacheError{Err: err.Error()}
	}
	return res, err
}

// scan is the work itself, the same in a child and in process.
func scan(ctx context.Context, req Request, refs workflows.RefResolver) (*Result, error) {
	if req.Config == nil {
		return nil, fmt.Errorf("sandbox: request without a configuration")
	}
	repo, err := git.PlainOpen(req.RepoPath) // warden's own bare cache
	if err != nil {
		return nil, fmt.Errorf("opening the repository cache: %w", err)
	}
	base, err := source.ResolveCommit(repo, req.BaseSHA)
	if err != nil {
		return nil, fmt.Errorf("reading base: %w", err)
	}
	head, err := source.ResolveCommit(repo, req.HeadSHA)
	if err != nil {
		return nil, fmt.Errorf("reading head: %w", err)
	}
	target, err := source.Range(ctx, repo, base, head, req.Limits)
	if err != nil {
		return nil, err
	}
	env := all.Env{OSVURL: req.Env.OSVURL, OSVDB: req.Env.OSVDB, Offline: req.Env.Offline, RepoOwner: req.Env.RepoOwner, ActionResolver: refs}
	rep, err := all.Scan(ctx, target, req.Config, env)
	if err != nil {
		return nil, err
	}
	d := target.Diff
	return &Result{Report: rep, Diff: checks.NewDiff(d.Base, d.Head, d.Files, nil)}, nil
}
