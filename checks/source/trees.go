package source

import (
	"context"
	"errors"
	"sort"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Trees are walked entry by entry against a budget: git stores a subtree
// once however often it is referenced, so a few kilobytes of objects can
// name a hundred million paths (a "git bomb"). A walk that reaches the
// budget stops there and says so, instead of listing them all.

// errBudget ends a walk that reached its entry budget.
var errBudget = errors.New("tree entry limit reached")

// budget counts tree entries visited, and keeps the trees it decoded: a
// bomb names the same few trees millions of times.
type budget struct {
	left  int
	trees map[plumbing.Hash]*object.Tree
}

// maxCachedTrees bounds the decoded trees a walk keeps.
const maxCachedTrees = 4096

func (b *budget) tree(repo *git.Repository, h plumbing.Hash) (*object.Tree, error) {
	if t, ok := b.trees[h]; ok {
		return t, nil
	}
	t, err := repo.TreeObject(h)
	if err != nil {
		return nil, err
	}
	if b.trees == nil {
		b.trees = map[plumbing.Hash]*object.Tree{}
	}
	if len(b.trees) < maxCachedTrees {
		b.trees[h] = t
	}
	return t, nil
}

func (b *budget) take() error {
	if b.left <= 0 {
		return errBudget
	}
	b.left--
	return nil
}

// walkTree calls visit for every non-directory entry below root, with its
// slash-separated path, until the budget runs out (errBudget).
func walkTree(ctx context.Context, repo *git.Repository, root *object.Tree, prefix string, b *budget, visit func(path string, e object.TreeEntry)) error {
	type frame struct {
		prefix string
		tree   *object.Tree
	}
	stack := []frame{{prefix, root}}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, e := range f.tree.Entries {
			if err := b.take(); err != nil {
				return err
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			p := joinPath(f.prefix, e.Name)
			if e.Mode == filemode.Dir {
				sub, err := b.tree(repo, e.Hash)
				if err != nil {
					return err
				}
				stack = append(stack, frame{p, sub})
				continue
			}
			visit(p, e)
		}
	}
	return nil
}

func joinPath(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "/" + name
}

// side is one side of a changed path; name is "" when the path is absent.
type side struct {
	name string
	mode filemode.FileMode
	hash plumbing.Hash
}

// change is one path that differs between two trees.
type change struct{ from, to side }

// diffTrees lists the paths whose content or mode differs between from and
// to (either may be nil), skipping identical subtrees by hash, within the
// budget. Deleting a file and adding the same blob elsewhere is a rename.
// On errBudget the changes found so far are returned with it.
func diffTrees(ctx context.Context, repo *git.Repository, from, to *object.Tree, b *budget) ([]change, error) {
	var out []change
	err := diffTreesAt(ctx, repo, "", from, to, b, &out)
	sort.Slice(out, func(i, j int) bool { return changePath(out[i]) < changePath(out[j]) })
	return pairRenames(out), err
}

func changePath(c change) string {
	if c.to.name != "" {
		return c.to.name
	}
	return c.from.name
}

func diffTreesAt(ctx context.Context, repo *git.Repository, prefix string, from, to *object.Tree, b *budget, out *[]change) error {
	entries := map[string][2]*object.TreeEntry{}
	var names []string
	for i, t := range []*object.Tree{from, to} {
		if t == nil {
			continue
		}
		for k := range t.Entries {
			e := &t.Entries[k]
			pair, seen := entries[e.Name]
			if !seen {
				names = append(names, e.Name)
			}
			pair[i] = e
			entries[e.Name] = pair
		}
	}
	sort.Strings(names)
	for _, name := range names {
		if err := b.take(); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		pair := entries[name]
		a, z := pair[0], pair[1]
		if a != nil && z != nil && a.Hash == z.Hash && a.Mode == z.Mode {
			continue
		}
		p := joinPath(prefix, name)
		aDir, zDir := a != nil && a.Mode == filemode.Dir, z != nil && z.Mode == filemode.Dir
		if aDir && zDir {
			at, err := b.tree(repo, a.Hash)
			if err != nil {
				return err
			}
			zt, err := b.tree(repo, z.Hash)
			if err != nil {
				return err
			}
			if err := diffTreesAt(ctx, repo, p, at, zt, b, out); err != nil {
				return err
			}
			continue
		}
		var c change
		if a != nil && !aDir {
			c.from = side{p, a.Mode, a.Hash}
		}
		if z != nil && !zDir {
			c.to = side{p, z.Mode, z.Hash}
		}
		if c.from.name != "" || c.to.name != "" {
			*out = append(*out, c)
		}
		for i, e := range []*object.TreeEntry{a, z} {
			if e == nil || e.Mode != filemode.Dir {
				continue
			}
			sub, err := b.tree(repo, e.Hash)
			if err != nil {
				return err
			}
			err = walkTree(ctx, repo, sub, p, b, func(path string, e object.TreeEntry) {
				s := side{path, e.Mode, e.Hash}
				if i == 0 {
					*out = append(*out, change{from: s})
				} else {
					*out = append(*out, change{to: s})
				}
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// pairRenames joins a deleted file and an added one with the same blob
// into a rename. Only exact renames are detected: matching similar
// content is quadratic in the files a change adds and deletes.
func pairRenames(cs []change) []change {
	deleted := map[plumbing.Hash][]int{}
	for i, c := range cs {
		if c.to.name == "" && regular(c.from.mode) {
			deleted[c.from.hash] = append(deleted[c.from.hash], i)
		}
	}
	if len(deleted) == 0 {
		return cs
	}
	drop := map[int]bool{}
	for i := range cs {
		c := &cs[i]
		if c.from.name != "" || !regular(c.to.mode) {
			continue
		}
		if ds := deleted[c.to.hash]; len(ds) > 0 {
			c.from = cs[ds[0]].from
			drop[ds[0]] = true
			deleted[c.to.hash] = ds[1:]
		}
	}
	out := cs[:0]
	for i, c := range cs {
		if !drop[i] {
			out = append(out, c)
		}
	}
	return out
}

func regular(m filemode.FileMode) bool {
	return m == filemode.Regular || m == filemode.Executable || m == filemode.Deprecated
}
