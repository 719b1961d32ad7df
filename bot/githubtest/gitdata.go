package githubtest

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"regexp"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

var fullSHA = regexp.MustCompile(`^[0-9a-f]{40}$`)

// resolveCommit resolves a sha, branch, tag or full ref name to a commit,
// peeling annotated tags.
func resolveCommit(repo *git.Repository, ref string) (*object.Commit, error) {
	if fullSHA.MatchString(ref) {
		return repo.CommitObject(plumbing.NewHash(ref))
	}
	candidates := []plumbing.ReferenceName{plumbing.ReferenceName(ref)}
	if !strings.HasPrefix(ref, "refs/") {
		candidates = []plumbing.ReferenceName{plumbing.NewBranchReferenceName(ref), plumbing.NewTagReferenceName(ref)}
	}
	for _, name := range candidates {
		r, err := repo.Reference(name, true)
		if err != nil {
			continue
		}
		if tag, err := repo.TagObject(r.Hash()); err == nil {
			return tag.Commit()
		}
		return repo.CommitObject(r.Hash())
	}
	return nil, fmt.Errorf("githubtest: no ref %q", ref)
}

func (s *Server) gitRoutes() []*route {
	return []*route{
		{method: "GET", template: "/repos/{owner}/{repo}/contents/{path}", perm: "contents", level: "read", greedy: true, handle: s.handleContents},
		{method: "GET", template: "/repos/{owner}/{repo}/commits/{ref}", perm: "contents", level: "read", greedy: true, handle: s.handleGetCommit},
		{method: "GET", template: "/repos/{owner}/{repo}/git/ref/{ref}", perm: "contents", level: "read", greedy: true, handle: s.handleGetRef},
		{method: "GET", template: "/repos/{owner}/{repo}/git/tags/{tag_sha}", perm: "contents", level: "read", handle: s.handleGetTag},
		{method: "GET", template: "/repos/{owner}/{repo}/compare/{basehead}", perm: "contents", level: "read", greedy: true, handle: s.handleCompare},
	}
}

// maxContentBytes: above 1 MB the contents API omits content (encoding "none").
const maxContentBytes = 1 << 20

func (s *Server) handleContents(c *call) (int, any, error) {
	repo, err := s.openRepo(c.repo.FullName())
	if err != nil {
		return 0, nil, err
	}
	ref := c.query.Get("ref")
	if ref == "" {
		ref = c.repo.DefaultBranch
	}
	commit, err := resolveCommit(repo, ref)
	if err != nil {
		return 0, nil, &apiError{Status: http.StatusNotFound, Message: "No commit found for the ref " + ref, DocumentationURL: docsREST}
	}
	tree, err := commit.Tree()
	if err != nil {
		return 0, nil, err
	}
	p := strings.Trim(c.params["path"], "/")
	if p == "" {
		return http.StatusOK, s.dirJSON(c.repo, ref, "", tree), nil
	}
	entry, err := tree.FindEntry(p)
	if err != nil {
		return 0, nil, errNotFound()
	}
	if entry.Mode == filemode.Dir {
		sub, err := tree.Tree(p)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, s.dirJSON(c.repo, ref, p, sub), nil
	}
	blob, err := repo.BlobObject(entry.Hash)
	if err != nil {
		return 0, nil, err
	}
	out := s.contentEntry(c.repo, ref, p, entry)
	rd, err := blob.Reader()
	if err != nil {
		return 0, nil, err
	}
	defer rd.Close()
	data, err := io.ReadAll(rd)
	if err != nil {
		return 0, nil, err
	}
	out["size"] = len(data)
	if entry.Mode == filemode.Symlink {
		out["target"] = string(data)
		return http.StatusOK, out, nil
	}
	if len(data) > maxContentBytes {
		out["encoding"], out["content"] = "none", ""
		return http.StatusOK, out, nil
	}
	out["encoding"], out["content"] = "base64", wrapBase64(data)
	return http.StatusOK, out, nil
}

// wrapBase64 encodes like GitHub: base64 with a newline every 60 characters.
func wrapBase64(data []byte) string {
	enc := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(enc) > 60 {
		b.WriteString(enc[:60] + "\n")
		enc = enc[60:]
	}
	b.WriteString(enc + "\n")
	return b.String()
}

func (s *Server) contentEntry(r *Repository, ref, p string, e *object.TreeEntry) map[string]any {
	typ := "file"
	switch e.Mode {
	case filemode.Dir:
		typ = "dir"
	case filemode.Symlink:
		typ = "symlink"
	case filemode.Submodule:
		typ = "submodule"
	}
	api := s.APIURL() + "repos/" + r.FullName()
	return map[string]any{
		"type": typ, "name": path.Base(p), "path": p, "sha": e.Hash.String(), "size": 0,
		"url": api + "/contents/" + p + "?ref=" + ref, "git_url": api + "/git/blobs/" + e.Hash.String(),
		"html_url":     s.baseURL + "/" + r.FullName() + "/blob/" + ref + "/" + p,
		"download_url": s.baseURL + "/" + r.FullName() + "/raw/" + ref + "/" + p,
	}
}

func (s *Server) dirJSON(r *Repository, ref, dir string, tree *object.Tree) []any {
	out := []any{}
	for i := range tree.Entries {
		e := tree.Entries[i]
		out = append(out, s.contentEntry(r, ref, path.Join(dir, e.Name), &e))
	}
	return out
}

func (s *Server) commitJSON(r *Repository, c *object.Commit) map[string]any {
	parents := []any{}
	for _, p := range c.ParentHashes {
		parents = append(parents, map[string]any{"sha": p.String(), "url": s.APIURL() + "repos/" + r.FullName() + "/commits/" + p.String()})
	}
	sig := func(sg object.Signature) map[string]any {
		return map[string]any{"name": sg.Name, "email": sg.Email, "date": ts(sg.When)}
	}
	return map[string]any{
		"sha": c.Hash.String(), "node_id": "C_" + c.Hash.String()[:12],
		"url":      s.APIURL() + "repos/" + r.FullName() + "/commits/" + c.Hash.String(),
		"html_url": s.baseURL + "/" + r.FullName() + "/commit/" + c.Hash.String(),
		"commit": map[string]any{
			"message": strings.TrimSuffix(c.Message, "\n"), "author": sig(c.Author), "committer": sig(c.Committer),
			"tree": map[string]any{"sha": c.TreeHash.String()}, "comment_count": 0,
		},
		"parents": parents, "author": nil, "committer": nil,
	}
}

func (s *Server) handleGetCommit(c *call) (int, any, error) {
	repo, err := s.openRepo(c.repo.FullName())
	if err != nil {
		return 0, nil, err
	}
	commit, err := resolveCommit(repo, c.params["ref"])
	if err != nil {
		return 0, nil, errUnprocessable("No commit found for SHA: " + c.params["ref"])
	}
	return http.StatusOK, s.commitJSON(c.repo, commit), nil
}

func (s *Server) handleGetRef(c *call) (int, any, error) {
	repo, err := s.openRepo(c.repo.FullName())
	if err != nil {
		return 0, nil, err
	}
	name := "refs/" + strings.TrimPrefix(c.params["ref"], "refs/")
	ref, err := repo.Reference(plumbing.ReferenceName(name), false)
	if err != nil || ref.Type() != plumbing.HashReference {
		return 0, nil, errNotFound()
	}
	objType := "commit"
	if _, err := repo.TagObject(ref.Hash()); err == nil {
		objType = "tag"
	}
	api := s.APIURL() + "repos/" + c.repo.FullName()
	return http.StatusOK, map[string]any{
		"ref": name, "node_id": "REF_" + ref.Hash().String()[:12], "url": api + "/git/" + name,
		"object": map[string]any{"type": objType, "sha": ref.Hash().String(), "url": api + "/git/" + objType + "s/" + ref.Hash().String()},
	}, nil
}

func (s *Server) handleGetTag(c *call) (int, any, error) {
	repo, err := s.openRepo(c.repo.FullName())
	if err != nil {
		return 0, nil, err
	}
	tag, err := repo.TagObject(plumbing.NewHash(c.params["tag_sha"]))
	if err != nil {
		return 0, nil, errNotFound()
	}
	typ := strings.ToLower(tag.TargetType.String())
	return http.StatusOK, map[string]any{
		"sha": tag.Hash.String(), "node_id": "TAG_" + tag.Hash.String()[:12], "tag": tag.Name, "message": tag.Message,
		"tagger": map[string]any{"name": tag.Tagger.Name, "email": tag.Tagger.Email, "date": ts(tag.Tagger.When)},
		"object": map[string]any{"type": typ, "sha": tag.Target.String()},
		"url":    s.APIURL() + "repos/" + c.repo.FullName() + "/git/tags/" + tag.Hash.String(),
	}, nil
}

func (s *Server) handleCompare(c *call) (int, any, error) {
	base, head, ok := strings.Cut(c.params["basehead"], "...")
	if !ok {
		return 0, nil, errNotFound()
	}
	repo, err := s.openRepo(c.repo.FullName())
	if err != nil {
		return 0, nil, err
	}
	bc, err1 := resolveCommit(repo, base)
	hc, err2 := resolveCommit(repo, head)
	if err1 != nil || err2 != nil {
		return 0, nil, errNotFound()
	}
	mb, err := mergeBase(repo, bc.Hash.String(), hc.Hash.String())
	if err != nil {
		return 0, nil, errNotFound()
	}
	ahead, err := commitsBetween(mb, hc)
	if err != nil {
		return 0, nil, err
	}
	behind, err := commitsBetween(mb, bc)
	if err != nil {
		return 0, nil, err
	}
	files, err := diffCommits(context.Background(), mb, hc)
	if err != nil {
		return 0, nil, err
	}
	status := "diverged"
	switch {
	case len(ahead) == 0 && len(behind) == 0:
		status = "identical"
	case len(behind) == 0:
		status = "ahead"
	case len(ahead) == 0:
		status = "behind"
	}
	commits := []any{}
	for i := len(ahead) - 1; i >= 0; i-- {
		commits = append(commits, s.commitJSON(c.repo, ahead[i]))
	}
	fileList := []any{}
	for _, fd := range files {
		fileList = append(fileList, s.fileJSON(c.repo, hc.Hash.String(), fd))
	}
	return http.StatusOK, map[string]any{
		"status": status, "ahead_by": len(ahead), "behind_by": len(behind), "total_commits": len(ahead),
		"base_commit": s.commitJSON(c.repo, bc), "merge_base_commit": s.commitJSON(c.repo, mb),
		"commits": commits, "files": fileList,
		"url": s.APIURL() + "repos/" + c.repo.FullName() + "/compare/" + c.params["basehead"],
	}, nil
}

// commitsBetween lists commits reachable from tip but not from base, newest first.
func commitsBetween(base, tip *object.Commit) ([]*object.Commit, error) {
	seen := map[plumbing.Hash]bool{}
	stop := errors.New("stop")
	baseIter := object.NewCommitPreorderIter(base, nil, nil)
	_ = baseIter.ForEach(func(c *object.Commit) error { seen[c.Hash] = true; return nil })
	var out []*object.Commit
	err := object.NewCommitPreorderIter(tip, seen, nil).ForEach(func(c *object.Commit) error {
		if seen[c.Hash] {
			return nil
		}
		out = append(out, c)
		if len(out) > 10000 {
			return stop
		}
		return nil
	})
	if err != nil && !errors.Is(err, stop) {
		return nil, fmt.Errorf("githubtest: walk commits: %w", err)
	}
	return out, nil
}
