package githubtest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage"
)

// RepoSpec describes a new repository.
type RepoSpec struct {
	Owner         string
	Name          string
	Private       bool
	DefaultBranch string // default "main"
	Fork          bool
}

// CommitSpec describes one commit written straight into a bare repository.
type CommitSpec struct {
	// Branch is updated to the new commit (created if missing). Empty means
	// no branch moves (use SetRef).
	Branch string
	// Parent is the parent commit; empty means the tip of Branch, if any.
	Parent string
	// Files maps slash paths to new contents; Delete removes paths.
	Files  map[string]string
	Delete []string
	// Symlinks maps link paths to targets (stored as git symlinks, mode 120000).
	Symlinks   map[string]string
	Executable []string // paths in Files stored with mode 100755
	Message    string
	Author     string // login; default "octocat"
	Committer  string // login; default Author
	When       time.Time
}

// CreateRepository creates the API record and an empty bare git repository.
func (s *Server) CreateRepository(spec RepoSpec) (Repository, error) {
	if spec.Owner == "" || spec.Name == "" {
		return Repository{}, errors.New("githubtest: repository needs owner and name")
	}
	if spec.DefaultBranch == "" {
		spec.DefaultBranch = "main"
	}
	dir := s.git.repoDir(spec.Owner + "/" + spec.Name)
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return Repository{}, fmt.Errorf("githubtest: repo dir: %w", err)
	}
	repo, err := git.PlainInit(dir, true)
	if err != nil {
		return Repository{}, fmt.Errorf("githubtest: init %s: %w", spec.Name, err)
	}
	head := plumbing.NewSymbolicReference(plumbing.HEAD, plumbing.NewBranchReferenceName(spec.DefaultBranch))
	if err := repo.Storer.SetReference(head); err != nil {
		return Repository{}, fmt.Errorf("githubtest: set HEAD: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(spec.Owner + "/" + spec.Name)
	if _, dup := s.st.repos[key]; dup {
		return Repository{}, fmt.Errorf("githubtest: repository %s exists", key)
	}
	r := &Repository{ID: s.st.newID(), Owner: spec.Owner, Name: spec.Name, Private: spec.Private, DefaultBranch: spec.DefaultBranch, Fork: spec.Fork}
	s.st.repos[key] = r
	s.st.user(spec.Owner)
	return *r, nil
}

// Repository returns a copy of a repository's record.
func (s *Server) Repository(fullName string) (Repository, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.st.repos[strings.ToLower(fullName)]
	if !ok {
		return Repository{}, false
	}
	return *r, true
}

func (s *Server) openRepo(fullName string) (*git.Repository, error) {
	repo, err := git.PlainOpen(s.git.repoDir(fullName))
	if err != nil {
		return nil, fmt.Errorf("githubtest: open %s: %w", fullName, err)
	}
	return repo, nil
}

// Commit writes a commit into the repository and returns its sha.
func (s *Server) Commit(fullName string, spec CommitSpec) (string, error) {
	repo, err := s.openRepo(fullName)
	if err != nil {
		return "", err
	}
	files := map[string]treeFile{}
	var parents []plumbing.Hash
	parent := spec.Parent
	if parent == "" && spec.Branch != "" {
		if ref, err := repo.Reference(plumbing.NewBranchReferenceName(spec.Branch), true); err == nil {
			parent = ref.Hash().String()
		}
	}
	if parent != "" {
		pc, err := repo.CommitObject(plumbing.NewHash(parent))
		if err != nil {
			return "", fmt.Errorf("githubtest: parent %s: %w", parent, err)
		}
		parents = append(parents, pc.Hash)
		if files, err = flattenTree(pc); err != nil {
			return "", err
		}
	}
	exec := map[string]bool{}
	for _, p := range spec.Executable {
		exec[p] = true
	}
	for p, content := range spec.Files {
		h, err := writeBlob(repo.Storer, []byte(content))
		if err != nil {
			return "", err
		}
		mode := filemode.Regular
		if exec[p] {
			mode = filemode.Executable
		}
		files[strings.Trim(p, "/")] = treeFile{mode: mode, hash: h}
	}
	for p, target := range spec.Symlinks {
		h, err := writeBlob(repo.Storer, []byte(target))
		if err != nil {
			return "", err
		}
		files[strings.Trim(p, "/")] = treeFile{mode: filemode.Symlink, hash: h}
	}
	for _, p := range spec.Delete {
		delete(files, strings.Trim(p, "/"))
	}
	root, err := writeTree(repo.Storer, files)
	if err != nil {
		return "", err
	}
	author := spec.Author
	if author == "" {
		author = "octocat"
	}
	when := spec.When
	if when.IsZero() {
		when = time.Now()
	}
	msg := spec.Message
	if msg == "" {
		msg = "change"
	}
	sig := object.Signature{Name: author, Email: author + "@users.noreply.invalid", When: when}
	committer := sig
	if spec.Committer != "" {
		committer = object.Signature{Name: spec.Committer, Email: spec.Committer + "@users.noreply.invalid", When: when}
	}
	c := &object.Commit{Author: sig, Committer: committer, Message: msg + "\n", TreeHash: root, ParentHashes: parents}
	obj := repo.Storer.NewEncodedObject()
	if err := c.Encode(obj); err != nil {
		return "", fmt.Errorf("githubtest: encode commit: %w", err)
	}
	h, err := repo.Storer.SetEncodedObject(obj)
	if err != nil {
		return "", fmt.Errorf("githubtest: store commit: %w", err)
	}
	if spec.Branch != "" {
		if err := repo.Storer.SetReference(plumbing.NewHashReference(plumbing.NewBranchReferenceName(spec.Branch), h)); err != nil {
			return "", fmt.Errorf("githubtest: move %s: %w", spec.Branch, err)
		}
	}
	return h.String(), nil
}

// SetRef points a full ref name (refs/pull/1/head, refs/tags/v1) at sha.
func (s *Server) SetRef(fullName, ref, sha string) error {
	repo, err := s.openRepo(fullName)
	if err != nil {
		return err
	}
	if err := repo.Storer.SetReference(plumbing.NewHashReference(plumbing.ReferenceName(ref), plumbing.NewHash(sha))); err != nil {
		return fmt.Errorf("githubtest: set %s: %w", ref, err)
	}
	return nil
}

// CreateTag makes an annotated tag object for sha and points refs/tags/name
// at it (action pinning resolves these); it returns the tag object's sha.
func (s *Server) CreateTag(fullName, name, sha string) (string, error) {
	repo, err := s.openRepo(fullName)
	if err != nil {
		return "", err
	}
	ref, err := repo.CreateTag(name, plumbing.NewHash(sha), &git.CreateTagOptions{
		Message: name, Tagger: &object.Signature{Name: "octocat", Email: "octocat@users.noreply.invalid", When: time.Now()},
	})
	if err != nil {
		return "", fmt.Errorf("githubtest: tag %s: %w", name, err)
	}
	return ref.Hash().String(), nil
}

// fetchInto copies refs (and their objects) from one hosted repo to another,
// as GitHub does for refs/pull/N/head of fork PRs. It uses the git CLI,
// which the git server needs anyway; the content is the test's own.
func (s *Server) fetchInto(dst, src string, refspec string) error {
	cmd := exec.Command("git", "--git-dir", s.git.repoDir(dst), "fetch", "--quiet", "--no-tags", s.git.repoDir(src), refspec)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("githubtest: fetch %s into %s: %w: %s", src, dst, err, strings.TrimSpace(string(out)))
	}
	return nil
}

type treeFile struct {
	mode filemode.FileMode
	hash plumbing.Hash
}

func flattenTree(c *object.Commit) (map[string]treeFile, error) {
	tree, err := c.Tree()
	if err != nil {
		return nil, fmt.Errorf("githubtest: tree of %s: %w", c.Hash, err)
	}
	out := map[string]treeFile{}
	walker := object.NewTreeWalker(tree, true, nil)
	defer walker.Close()
	for {
		name, entry, err := walker.Next()
		if err != nil {
			break
		}
		if entry.Mode == filemode.Dir {
			continue
		}
		out[name] = treeFile{mode: entry.Mode, hash: entry.Hash}
	}
	return out, nil
}

func writeBlob(st storage.Storer, content []byte) (plumbing.Hash, error) {
	obj := st.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	w, err := obj.Writer()
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("githubtest: blob: %w", err)
	}
	if _, err := w.Write(content); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("githubtest: blob: %w", err)
	}
	if err := w.Close(); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("githubtest: blob: %w", err)
	}
	h, err := st.SetEncodedObject(obj)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("githubtest: store blob: %w", err)
	}
	return h, nil
}

// writeTree builds nested tree objects from flat paths and returns the root.
func writeTree(st storage.Storer, files map[string]treeFile) (plumbing.Hash, error) {
	direct := map[string]treeFile{}
	sub := map[string]map[string]treeFile{}
	for p, f := range files {
		dir, rest, nested := strings.Cut(p, "/")
		if !nested {
			direct[p] = f
			continue
		}
		if sub[dir] == nil {
			sub[dir] = map[string]treeFile{}
		}
		sub[dir][rest] = f
	}
	var entries []object.TreeEntry
	for name, f := range direct {
		entries = append(entries, object.TreeEntry{Name: name, Mode: f.mode, Hash: f.hash})
	}
	for name, children := range sub {
		h, err := writeTree(st, children)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		entries = append(entries, object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: h})
	}
	// git orders entries as if directory names ended in "/".
	sortKey := func(e object.TreeEntry) string {
		if e.Mode == filemode.Dir {
			return e.Name + "/"
		}
		return e.Name
	}
	sort.Slice(entries, func(i, j int) bool { return sortKey(entries[i]) < sortKey(entries[j]) })
	obj := st.NewEncodedObject()
	if err := (&object.Tree{Entries: entries}).Encode(obj); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("githubtest: encode tree: %w", err)
	}
	h, err := st.SetEncodedObject(obj)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("githubtest: store tree: %w", err)
	}
	return h, nil
}
