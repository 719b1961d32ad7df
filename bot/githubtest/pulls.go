package githubtest

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// PullRequestSpec describes a new pull request between existing branches.
type PullRequestSpec struct {
	Repo   string // base repository "owner/name"
	Base   string // base branch; default the repository's default branch
	Head   string // head branch (in HeadRepo when set)
	Title  string
	Body   string
	Author string // default "octocat"
	Draft  bool
	// HeadRepo is a fork "owner/name" holding Head; empty for same-repo PRs.
	HeadRepo string
}

// CreatePullRequest opens a pull request and sets refs/pull/N/head in the
// base repository, like GitHub.
func (s *Server) CreatePullRequest(spec PullRequestSpec) (PullRequest, error) {
	base, ok := s.Repository(spec.Repo)
	if !ok {
		return PullRequest{}, fmt.Errorf("githubtest: no repository %s", spec.Repo)
	}
	if spec.Base == "" {
		spec.Base = base.DefaultBranch
	}
	if spec.Author == "" {
		spec.Author = "octocat"
	}
	headRepo := spec.Repo
	if spec.HeadRepo != "" {
		headRepo = spec.HeadRepo
	}
	baseSHA, err := s.resolveBranch(spec.Repo, spec.Base)
	if err != nil {
		return PullRequest{}, err
	}
	headSHA, err := s.resolveBranch(headRepo, spec.Head)
	if err != nil {
		return PullRequest{}, err
	}
	s.mu.Lock()
	key := strings.ToLower(spec.Repo)
	s.st.nextNumber[key]++
	n := s.st.nextNumber[key]
	now := s.nowLocked()
	pr := &PullRequest{
		Repo: base.FullName(), Number: n, Title: spec.Title, Body: spec.Body, State: "open", Draft: spec.Draft,
		Author: spec.Author, BaseRef: spec.Base, BaseSHA: baseSHA, HeadRef: spec.Head, HeadSHA: headSHA,
		HeadRepo: spec.HeadRepo, CreatedAt: now, UpdatedAt: now,
	}
	if pr.Title == "" {
		pr.Title = "Change " + strconv.Itoa(n)
	}
	if s.st.pulls[key] == nil {
		s.st.pulls[key] = map[int]*PullRequest{}
	}
	s.st.pulls[key][n] = pr
	s.st.user(spec.Author)
	out := *pr
	s.mu.Unlock()
	return out, s.syncPullRef(out)
}

// syncPullRef points refs/pull/N/head of the base repository at the head.
func (s *Server) syncPullRef(pr PullRequest) error {
	ref := fmt.Sprintf("refs/pull/%d/head", pr.Number)
	if pr.HeadRepo == "" {
		return s.SetRef(pr.Repo, ref, pr.HeadSHA)
	}
	return s.fetchInto(pr.Repo, pr.HeadRepo, "+refs/heads/"+pr.HeadRef+":"+ref)
}

// PushToPullRequest commits onto the PR's head branch (in its head repo) and
// moves the PR head, as a `synchronize` would; it returns the new head sha.
func (s *Server) PushToPullRequest(repo string, number int, spec CommitSpec) (string, error) {
	pr, ok := s.PullRequest(repo, number)
	if !ok {
		return "", fmt.Errorf("githubtest: no pull request %s#%d", repo, number)
	}
	headRepo := pr.Repo
	if pr.HeadRepo != "" {
		headRepo = pr.HeadRepo
	}
	spec.Branch = pr.HeadRef
	sha, err := s.Commit(headRepo, spec)
	if err != nil {
		return "", err
	}
	err = s.UpdatePullRequest(repo, number, func(p *PullRequest) { p.HeadSHA = sha })
	return sha, err
}

// UpdatePullRequest edits a pull request's record (state, draft, base,
// labels, HeadRepoDeleted...) and keeps refs/pull/N/head in step.
func (s *Server) UpdatePullRequest(repo string, number int, edit func(*PullRequest)) error {
	s.mu.Lock()
	pr := s.st.pulls[strings.ToLower(repo)][number]
	if pr == nil {
		s.mu.Unlock()
		return fmt.Errorf("githubtest: no pull request %s#%d", repo, number)
	}
	edit(pr)
	pr.UpdatedAt = s.nowLocked()
	out := *pr
	s.mu.Unlock()
	if out.HeadRepoDeleted {
		return s.SetRef(out.Repo, fmt.Sprintf("refs/pull/%d/head", out.Number), out.HeadSHA)
	}
	return s.syncPullRef(out)
}

// PullRequest returns a copy of a pull request.
func (s *Server) PullRequest(repo string, number int) (PullRequest, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pr := s.st.pulls[strings.ToLower(repo)][number]
	if pr == nil {
		return PullRequest{}, false
	}
	out := *pr
	out.Labels = append([]string(nil), pr.Labels...)
	return out, true
}

// CreateIssue registers a plain issue number (for issue_comment on an issue).
func (s *Server) CreateIssue(repo string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(repo)
	if s.st.repos[key] == nil {
		return 0, fmt.Errorf("githubtest: no repository %s", repo)
	}
	s.st.nextNumber[key]++
	if s.st.issues[key] == nil {
		s.st.issues[key] = map[int]bool{}
	}
	s.st.issues[key][s.st.nextNumber[key]] = true
	return s.st.nextNumber[key], nil
}

func (s *Server) resolveBranch(repo, branch string) (string, error) {
	r, err := s.openRepo(repo)
	if err != nil {
		return "", err
	}
	ref, err := r.Reference(plumbing.NewBranchReferenceName(branch), true)
	if err != nil {
		return "", fmt.Errorf("githubtest: branch %s of %s: %w", branch, repo, err)
	}
	return ref.Hash().String(), nil
}

func (s *Server) pullRoutes() []*route {
	return []*route{
		{method: "GET", template: "/repos/{owner}/{repo}/pulls", perm: "pull_requests", level: "read", handle: s.handleListPulls},
		{method: "GET", template: "/repos/{owner}/{repo}/pulls/{pull_number}", perm: "pull_requests", level: "read", handle: s.handleGetPull},
		{method: "GET", template: "/repos/{owner}/{repo}/pulls/{pull_number}/files", perm: "pull_requests", level: "read", handle: s.handlePullFiles},
		{method: "GET", template: "/repos/{owner}/{repo}/pulls/{pull_number}/commits", perm: "pull_requests", level: "read", handle: s.handlePullCommits},
	}
}

// maxListedCommits is where GitHub's list-commits endpoint of a pull
// request stops.
const maxListedCommits = 250

// pullCommits are the commits a pull request adds, oldest first.
func (s *Server) pullCommits(pr *PullRequest) ([]*object.Commit, error) {
	repo, err := s.openRepo(pr.Repo)
	if err != nil {
		return nil, err
	}
	mb, err := mergeBase(repo, pr.BaseSHA, pr.HeadSHA)
	if err != nil {
		return nil, err
	}
	head, err := repo.CommitObject(plumbing.NewHash(pr.HeadSHA))
	if err != nil {
		return nil, fmt.Errorf("githubtest: head %s: %w", pr.HeadSHA, err)
	}
	newest, err := commitsBetween(mb, head)
	if err != nil {
		return nil, err
	}
	slices.Reverse(newest)
	return newest, nil
}

// handlePullCommits lists a pull request's commits like GitHub: oldest
// first, at most 250, with author and committer linked to the accounts
// their e-mail addresses belong to.
func (s *Server) handlePullCommits(c *call) (int, any, error) {
	pr, err := s.pullParam(c)
	if err != nil {
		return 0, nil, err
	}
	commits, err := s.pullCommits(pr)
	if err != nil {
		return 0, nil, err
	}
	if len(commits) > maxListedCommits {
		commits = commits[:maxListedCommits]
	}
	out := []any{}
	for _, cm := range paginate(c, commits) {
		j := s.commitJSON(c.repo, cm)
		j["author"], j["committer"] = s.accountOf(cm.Author.Email), s.accountOf(cm.Committer.Email)
		out = append(out, j)
	}
	return http.StatusOK, out, nil
}

// accountOf is the account a commit e-mail address belongs to, or null.
// The fake's commits use login@users.noreply.invalid.
func (s *Server) accountOf(email string) any {
	login, ok := strings.CutSuffix(email, "@users.noreply.invalid")
	if !ok || login == "" {
		return nil
	}
	return s.userJSON(s.st.user(login))
}

// pullParam resolves {pull_number} of the call's repository.
func (s *Server) pullParam(c *call) (*PullRequest, error) {
	n, err := strconv.Atoi(c.params["pull_number"])
	if err != nil {
		return nil, errNotFound()
	}
	pr := s.st.pulls[strings.ToLower(c.repo.FullName())][n]
	if pr == nil {
		return nil, errNotFound()
	}
	return pr, nil
}

func (s *Server) handleGetPull(c *call) (int, any, error) {
	pr, err := s.pullParam(c)
	if err != nil {
		return 0, nil, err
	}
	if strings.Contains(c.req.Header.Get("Accept"), "diff") {
		return 0, nil, &apiError{Status: http.StatusNotAcceptable, Message: "githubtest: the diff media type is not served; diff from the clone", DocumentationURL: docsREST}
	}
	out := s.pullJSON(pr)
	// The single pull request carries its counts, as on GitHub.
	if commits, err := s.pullCommits(pr); err == nil {
		out["commits"] = len(commits)
	}
	if files, err := s.pullDiff(context.Background(), pr); err == nil {
		out["changed_files"] = len(files)
	}
	return http.StatusOK, out, nil
}

func (s *Server) handleListPulls(c *call) (int, any, error) {
	state := c.query.Get("state")
	if state == "" {
		state = "open"
	}
	var prs []*PullRequest
	for _, pr := range s.st.pulls[strings.ToLower(c.repo.FullName())] {
		if state != "all" && pr.State != state {
			continue
		}
		if h := c.query.Get("head"); h != "" && !strings.HasSuffix(h, ":"+pr.HeadRef) {
			continue
		}
		if b := c.query.Get("base"); b != "" && b != pr.BaseRef {
			continue
		}
		prs = append(prs, pr)
	}
	sort.Slice(prs, func(i, j int) bool { return prs[i].Number > prs[j].Number })
	out := []any{}
	for _, pr := range paginate(c, prs) {
		out = append(out, s.pullJSON(pr))
	}
	return http.StatusOK, out, nil
}

// handlePullFiles lists changed files; GitHub stops at 3000.
func (s *Server) handlePullFiles(c *call) (int, any, error) {
	pr, err := s.pullParam(c)
	if err != nil {
		return 0, nil, err
	}
	files, err := s.pullDiff(context.Background(), pr)
	if err != nil {
		return 0, nil, err
	}
	if len(files) > 3000 {
		files = files[:3000]
	}
	out := []any{}
	for _, fd := range paginate(c, files) {
		out = append(out, s.fileJSON(c.repo, pr.HeadSHA, fd))
	}
	return http.StatusOK, out, nil
}

func (s *Server) fileJSON(repo *Repository, ref string, fd FileDiff) map[string]any {
	m := map[string]any{
		"sha": fd.BlobSHA, "filename": fd.Path, "status": fd.Status, "additions": fd.Additions,
		"deletions": fd.Deletions, "changes": fd.Additions + fd.Deletions,
		"blob_url":     s.baseURL + "/" + repo.FullName() + "/blob/" + ref + "/" + fd.Path,
		"raw_url":      s.baseURL + "/" + repo.FullName() + "/raw/" + ref + "/" + fd.Path,
		"contents_url": s.APIURL() + "repos/" + repo.FullName() + "/contents/" + fd.Path + "?ref=" + ref,
	}
	if !fd.Binary {
		m["patch"] = fd.Patch()
	}
	if fd.OldPath != "" {
		m["previous_filename"] = fd.OldPath
	}
	return m
}

// paginate applies per_page (default 30, max 100) and page, and sets a Link
// header for the next page like GitHub.
func paginate[T any](c *call, items []T) []T {
	per := 30
	if v, err := strconv.Atoi(c.query.Get("per_page")); err == nil && v > 0 {
		per = min(v, 100)
	}
	page := 1
	if v, err := strconv.Atoi(c.query.Get("page")); err == nil && v > 0 {
		page = v
	}
	start := (page - 1) * per
	if start >= len(items) {
		return nil
	}
	end := min(start+per, len(items))
	if end < len(items) {
		c.nextPage = page + 1
	}
	return items[start:end]
}
