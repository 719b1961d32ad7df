// Package local runs warden's checks on a repository on disk: the whole
// tree, or a range of commits the way a pull request would be reviewed.
package local

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/checks/all"
	"github.com/wardenbot/warden/checks/source"
	"github.com/wardenbot/warden/config"
)

// Request describes one local scan.
type Request struct {
	Path       string // directory to scan (inside a git repository when Base or Head is set)
	Base       string // with Base: diff-aware scan of merge-base(Base, Head)..Head
	Head       string // default HEAD; without Base, the tree of this commit
	ConfigFile string // explicit configuration; otherwise .github/warden.yml
	Env        all.Env
}

// Scan loads the configuration, builds the target and runs the enabled
// checks. Errors are about the request (bad path, unknown ref, invalid
// config), never about findings.
func Scan(ctx context.Context, req Request) (*checks.Report, error) {
	st, err := os.Stat(req.Path)
	if err != nil {
		return nil, fmt.Errorf("cannot scan %s: %w", req.Path, pathErr(err))
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("cannot scan %s: not a directory", req.Path)
	}
	target, cfgTree, err := buildTarget(ctx, req)
	if err != nil {
		return nil, err
	}
	cfg, err := loadConfig(ctx, req, cfgTree)
	if err != nil {
		return nil, err
	}
	return all.Scan(ctx, target, cfg, req.Env)
}

// buildTarget returns the target and the tree the configuration is read
// from: the merge-base in a diff scan (as the GitHub App reads it from the
// pull request's base, so a change cannot weaken its own review), the
// scanned tree otherwise.
func buildTarget(ctx context.Context, req Request) (*checks.Target, checks.Tree, error) {
	if req.Base == "" && req.Head == "" {
		dir, err := source.Dir(req.Path)
		if err != nil {
			return nil, nil, err
		}
		dir.Ignored = source.GitIgnored(dir.Root())
		return &checks.Target{Head: dir}, dir, nil
	}
	repo, err := source.OpenRepo(req.Path)
	if err != nil {
		return nil, nil, err
	}
	headRef := req.Head
	if headRef == "" {
		headRef = "HEAD"
	}
	head, err := source.ResolveCommit(repo, headRef)
	if err != nil {
		return nil, nil, err
	}
	if req.Base == "" {
		tree, err := source.NewGitTree(repo, head, 0)
		if err != nil {
			return nil, nil, err
		}
		return &checks.Target{Head: tree}, tree, nil
	}
	base, err := source.ResolveCommit(repo, req.Base)
	if err != nil {
		return nil, nil, err
	}
	t, err := source.Range(ctx, repo, base, head, source.Limits{})
	if err != nil {
		return nil, nil, err
	}
	return t, t.Base, nil
}

func loadConfig(ctx context.Context, req Request, tree checks.Tree) (*config.Config, error) {
	if req.ConfigFile != "" {
		data, err := os.ReadFile(req.ConfigFile)
		if err != nil {
			return nil, fmt.Errorf("cannot read config %s: %w", req.ConfigFile, pathErr(err))
		}
		return config.Parse(req.ConfigFile, data)
	}
	data, err := tree.ReadFile(ctx, config.Path)
	if errors.Is(err, checks.ErrNotFound) {
		return config.Default(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", config.Path, err)
	}
	return config.Parse(filepath.ToSlash(config.Path), data)
}

func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
