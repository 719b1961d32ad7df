// Package source builds check targets from a directory on disk or from a
// range of commits in a git repository. Nothing here follows a symlink or
// runs anything from the repository.
package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"

	"github.com/wardenbot/warden/checks"
)

// DirTree is a directory on disk. Symlinks are listed but never followed,
// and `.git` directories are skipped.
type DirTree struct {
	root string
	// MaxFileSize bounds ReadFile; larger files return checks.ErrTooLarge.
	MaxFileSize int64
	// Ignored, when set, hides paths (slash-separated) from Files.
	Ignored func(path string, isDir bool) bool
}

// GitIgnored returns a filter for the .gitignore files of the work tree at
// root, or nil when root is not the top of a git work tree. A developer
// running `warden scan .` then sees what they would commit, not build
// output or caches.
func GitIgnored(root string) func(string, bool) bool {
	if st, err := os.Lstat(filepath.Join(root, ".git")); err != nil || (!st.IsDir() && !st.Mode().IsRegular()) {
		return nil
	}
	patterns, err := gitignore.ReadPatterns(osfs.New(root), nil)
	if err != nil || len(patterns) == 0 {
		return nil
	}
	m := gitignore.NewMatcher(patterns)
	return func(p string, isDir bool) bool { return m.Match(strings.Split(p, "/"), isDir) }
}

// Dir returns the tree rooted at root, which must be a directory.
func Dir(root string) (*DirTree, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("cannot scan %s: %w", root, unwrapPathError(err))
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("cannot scan %s: not a directory", root)
	}
	return &DirTree{root: abs, MaxFileSize: 64 << 20}, nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Root is the absolute path of the tree.
func (d *DirTree) Root() string { return d.root }

// Files walks the tree without following symlinks.
func (d *DirTree) Files(ctx context.Context) ([]checks.FileInfo, error) {
	var out []checks.FileInfo
	err := filepath.WalkDir(d.root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if p == d.root {
				return err
			}
			return nil // unreadable entries are skipped, not fatal
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if p == d.root {
			return nil
		}
		rel, err := filepath.Rel(d.root, p)
		if err != nil {
			return nil
		}
		rel = filepath.ToSlash(rel)
		if e.IsDir() {
			if e.Name() == ".git" || (d.Ignored != nil && d.Ignored(rel, true)) {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Ignored != nil && d.Ignored(rel, false) {
			return nil
		}
		switch {
		case e.Type()&fs.ModeSymlink != 0:
			out = append(out, checks.FileInfo{Path: rel, Kind: checks.KindSymlink})
		case e.Type().IsRegular():
			info, err := e.Info()
			if err != nil {
				return nil
			}
			out = append(out, checks.FileInfo{Path: rel, Size: info.Size()})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// ReadFile reads a regular file below the root, up to MaxFileSize. Paths
// that escape the root, symlinks, and special files are refused.
func (d *DirTree) ReadFile(ctx context.Context, rel string) ([]byte, error) {
	f, st, err := d.open(rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if d.MaxFileSize > 0 && st.Size() > d.MaxFileSize {
		return nil, fmt.Errorf("%s: %w", rel, checks.ErrTooLarge)
	}
	limit := st.Size()
	if d.MaxFileSize > 0 {
		limit = min(limit, d.MaxFileSize)
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if d.MaxFileSize > 0 && int64(len(b)) > d.MaxFileSize {
		return nil, fmt.Errorf("%s: %w", rel, checks.ErrTooLarge) // it grew while read
	}
	return b, nil
}

// Open streams a regular file below the root, whatever its size, with the
// same refusals as ReadFile.
func (d *DirTree) Open(ctx context.Context, rel string) (io.ReadCloser, error) {
	f, _, err := d.open(rel)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// open opens a regular file below the root without following a symlink
// anywhere along its path.
func (d *DirTree) open(rel string) (*os.File, os.FileInfo, error) {
	if !fs.ValidPath(rel) || strings.Contains(rel, "\\") {
		return nil, nil, fmt.Errorf("%q: %w", rel, checks.ErrNotFound)
	}
	full := filepath.Join(d.root, filepath.FromSlash(rel))
	cur := d.root
	for _, part := range strings.Split(rel, "/") {
		cur = filepath.Join(cur, part)
		st, err := os.Lstat(cur)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, nil, fmt.Errorf("%s: %w", rel, checks.ErrNotFound)
			}
			return nil, nil, err
		}
		if st.Mode()&fs.ModeSymlink != 0 {
			return nil, nil, fmt.Errorf("%s: is a symbolic link, not read", rel)
		}
	}
	f, err := os.OpenFile(full, os.O_RDONLY|noFollow, 0)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, nil, fmt.Errorf("%s: not a regular file", rel)
	}
	return f, st, nil
}
