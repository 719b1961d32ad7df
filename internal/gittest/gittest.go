// Package gittest builds real git repositories on disk for tests, with
// deterministic commit times so histories are reproducible.
package gittest

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Repo is a non-bare repository with a work tree in a temporary directory.
type Repo struct {
	t    testing.TB
	Dir  string
	Git  *git.Repository
	wt   *git.Worktree
	when time.Time
}

// New initialises a repository whose first branch is "main".
func New(t testing.TB) *Repo {
	t.Helper()
	dir := t.TempDir()
	repo, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName("main")},
	})
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	return &Repo{t: t, Dir: dir, Git: repo, wt: wt, when: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

// Commit writes files (an empty content deletes the file), stages them and
// commits on the current branch.
func (r *Repo) Commit(msg string, files map[string]string) *object.Commit {
	r.t.Helper()
	for p, c := range files {
		if c == "" {
			if _, err := r.wt.Remove(p); err != nil {
				r.t.Fatal(err)
			}
			continue
		}
		full := filepath.Join(r.Dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			r.t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			r.t.Fatal(err)
		}
		if _, err := r.wt.Add(p); err != nil {
			r.t.Fatal(err)
		}
	}
	return r.commit(msg, nil)
}

// Merge records a merge of other into the current branch, taking the files
// given as the merge result.
func (r *Repo) Merge(msg string, other *object.Commit, files map[string]string) *object.Commit {
	r.t.Helper()
	head, err := r.Git.Head()
	if err != nil {
		r.t.Fatal(err)
	}
	for p, c := range files {
		full := filepath.Join(r.Dir, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			r.t.Fatal(err)
		}
		r.wt.Add(p)
	}
	return r.commit(msg, []plumbing.Hash{head.Hash(), other.Hash})
}

func (r *Repo) commit(msg string, parents []plumbing.Hash) *object.Commit {
	r.when = r.when.Add(time.Minute)
	sig := &object.Signature{Name: "Dev", Email: "dev@example.invalid", When: r.when}
	h, err := r.wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig, Parents: parents, AllowEmptyCommits: true})
	if err != nil {
		r.t.Fatal(err)
	}
	c, err := r.Git.CommitObject(h)
	if err != nil {
		r.t.Fatal(err)
	}
	return c
}

// Branch creates a branch at from and checks it out.
func (r *Repo) Branch(name string, from *object.Commit) {
	r.t.Helper()
	if err := r.wt.Checkout(&git.CheckoutOptions{Branch: plumbing.NewBranchReferenceName(name), Hash: from.Hash, Create: true, Force: true}); err != nil {
		r.t.Fatal(err)
	}
}

// Checkout switches to an existing branch.
func (r *Repo) Checkout(name string) {
	r.t.Helper()
	if err := r.wt.Checkout(&git.CheckoutOptions{Branch: plumbing.NewBranchReferenceName(name), Force: true}); err != nil {
		r.t.Fatal(err)
	}
}

// Symlink commits a symbolic link.
func (r *Repo) Symlink(msg, path, target string) *object.Commit {
	r.t.Helper()
	full := filepath.Join(r.Dir, filepath.FromSlash(path))
	os.MkdirAll(filepath.Dir(full), 0o755)
	if err := os.Symlink(target, full); err != nil {
		r.t.Fatal(err)
	}
	if _, err := r.wt.Add(path); err != nil {
		r.t.Fatal(err)
	}
	return r.commit(msg, nil)
}
