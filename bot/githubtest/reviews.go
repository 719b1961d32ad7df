package githubtest

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-git/go-git/v5/plumbing"
)

const (
	maxBodyChars = 65536
	docsReviews  = "https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request"
	docsComments = "https://docs.github.com/rest/pulls/comments#create-a-review-comment-for-a-pull-request"
)

type draftComment struct {
	Path      string `json:"path"`
	Position  *int   `json:"position"`
	Body      string `json:"body"`
	Line      *int   `json:"line"`
	Side      string `json:"side"`
	StartLine *int   `json:"start_line"`
	StartSide string `json:"start_side"`
}

type reviewRequest struct {
	CommitID *string        `json:"commit_id"`
	Body     *string        `json:"body"`
	Event    *string        `json:"event"`
	Comments []draftComment `json:"comments"`
}

func (s *Server) reviewRoutes() []*route {
	rw := func(m, t string, h func(*call) (int, any, error), creating bool) *route {
		return &route{method: m, template: t, perm: "pull_requests", level: "write", handle: h, contentCreating: creating}
	}
	rd := func(t string, h func(*call) (int, any, error)) *route {
		return &route{method: "GET", template: t, perm: "pull_requests", level: "read", handle: h}
	}
	return []*route{
		rw("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews", s.handleCreateReview, true),
		rd("/repos/{owner}/{repo}/pulls/{pull_number}/reviews", s.handleListReviews),
		rd("/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}", s.handleGetReview),
		rd("/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/comments", s.handleListReviewCommentsOfReview),
		rw("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/events", s.handleSubmitReview, true),
		rw("DELETE", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}", s.handleDeletePendingReview, false),
	}
}

func bodyTooLong(resource string, body string) *apiError {
	if utf8.RuneCountInString(body) <= maxBodyChars {
		return nil
	}
	return errValidation(FieldError{Resource: resource, Code: "custom", Field: "body",
		Message: fmt.Sprintf("Body is too long (maximum is %d characters)", maxBodyChars)})
}

// anchored is a draft comment resolved against the diff.
type anchored struct {
	draftComment
	line, startLine int
	side, startSide string
	hunk            string
	position        int
}

// anchorComments resolves every draft comment against the diff or returns
// GitHub's combined 422; the review is all-or-nothing, like GitHub's.
func anchorComments(files []FileDiff, drafts []draftComment, docs string) ([]anchored, error) {
	byPath := map[string]FileDiff{}
	for _, fd := range files {
		byPath[fd.Path] = fd
	}
	var out []anchored
	var problems []string
	add := func(msgs ...string) {
		for _, m := range msgs {
			if !containsString(problems, m) {
				problems = append(problems, m)
			}
		}
	}
	for _, d := range drafts {
		if e := bodyTooLong("PullRequestReviewComment", d.Body); e != nil {
			return nil, e
		}
		fd, ok := byPath[d.Path]
		if !ok || fd.Binary || len(fd.Hunks) == 0 {
			add("Pull request review thread path is invalid", "Pull request review thread diff hunk can't be blank")
			continue
		}
		a := anchored{draftComment: d, side: strings.ToUpper(d.Side)}
		if a.side == "" {
			a.side = "RIGHT"
		}
		if a.side != "LEFT" && a.side != "RIGHT" {
			add("Pull request review thread side is not included in the list")
			continue
		}
		var hunk int
		switch {
		case d.Line != nil:
			h, pos, ok := fd.anchor(a.side, *d.Line)
			if !ok {
				add("Pull request review thread line must be part of the diff", "Pull request review thread diff hunk can't be blank")
				continue
			}
			a.line, a.position, hunk = *d.Line, pos, h
		case d.Position != nil:
			side, line, h, ok := fd.atPosition(*d.Position)
			if !ok {
				add("Pull request review thread position is invalid", "Pull request review thread diff hunk can't be blank")
				continue
			}
			a.side, a.line, a.position, hunk = side, line, *d.Position, h
		default:
			add("Pull request review thread line must be part of the diff", "Pull request review thread diff hunk can't be blank")
			continue
		}
		if d.StartLine != nil {
			a.startSide = strings.ToUpper(d.StartSide)
			if a.startSide == "" {
				a.startSide = a.side
			}
			if *d.StartLine >= a.line && a.startSide == a.side {
				add("Pull request review thread start line must precede the end line.")
				continue
			}
			sh, _, ok := fd.anchor(a.startSide, *d.StartLine)
			if !ok || sh != hunk {
				add("Pull request review thread start line must be part of the same hunk as the line.")
				continue
			}
			a.startLine = *d.StartLine
		}
		a.hunk = fd.diffHunkUpTo(hunk, a.side, a.line)
		out = append(out, a)
	}
	if len(problems) > 0 {
		return nil, errUnprocessableList(docs, problems...)
	}
	return out, nil
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// diffAt is the PR diff as of commit (merge-base of base and commit to commit).
func (s *Server) diffAt(pr *PullRequest, commit string) ([]FileDiff, error) {
	at := *pr
	at.HeadSHA = commit
	return s.pullDiff(context.Background(), &at)
}

func (s *Server) handleCreateReview(c *call) (int, any, error) {
	pr, err := s.pullParam(c)
	if err != nil {
		return 0, nil, err
	}
	var req reviewRequest
	if err := c.decode(&req); err != nil {
		return 0, nil, err
	}
	body := ""
	if req.Body != nil {
		body = *req.Body
	}
	if e := bodyTooLong("PullRequestReview", body); e != nil {
		return 0, nil, e
	}
	user := s.app.botLogin()
	event := ""
	if req.Event != nil {
		event = *req.Event
	}
	if event == "" {
		for _, rv := range s.st.reviews {
			if rv.Repo == pr.Repo && rv.PullNumber == pr.Number && rv.User == user && rv.State == "PENDING" {
				return 0, nil, errUnprocessableList(docsReviews, "User can only have one pending review per pull request")
			}
		}
	}
	if (event == "REQUEST_CHANGES" || (event == "COMMENT" && len(req.Comments) == 0)) && strings.TrimSpace(body) == "" {
		return 0, nil, errUnprocessableList(docsReviews, "Body can't be blank")
	}
	commit := pr.HeadSHA
	if req.CommitID != nil && *req.CommitID != "" {
		commit = *req.CommitID
		if err := s.commitExists(pr.Repo, commit); err != nil {
			return 0, nil, errUnprocessableList(docsReviews, "Commit could not be resolved")
		}
	}
	files, err := s.diffAt(pr, commit)
	if err != nil {
		return 0, nil, err
	}
	comments, err := anchorComments(files, req.Comments, docsReviews)
	if err != nil {
		return 0, nil, err
	}
	rv := &Review{ID: s.st.newID(), Repo: pr.Repo, PullNumber: pr.Number, User: user, Body: body, CommitID: commit, State: "PENDING"}
	rv.NodeID = nodeID("PRR", rv.ID)
	if event != "" {
		rv.State, rv.SubmittedAt = reviewState(event), c.now
	}
	s.st.reviews[rv.ID] = rv
	for _, a := range comments {
		s.addReviewComment(pr, rv.ID, user, commit, a, c)
	}
	return http.StatusOK, s.reviewJSON(rv), nil
}

func reviewState(event string) string {
	return map[string]string{"APPROVE": "APPROVED", "REQUEST_CHANGES": "CHANGES_REQUESTED", "COMMENT": "COMMENTED"}[event]
}

func (s *Server) commitExists(repo, sha string) error {
	r, err := s.openRepo(repo)
	if err != nil {
		return err
	}
	if !fullSHA.MatchString(sha) {
		return fmt.Errorf("githubtest: not a full sha: %s", sha)
	}
	_, err = r.CommitObject(plumbing.NewHash(sha))
	return err
}

// addReviewComment stores a top-level comment and opens its thread.
func (s *Server) addReviewComment(pr *PullRequest, reviewID int64, user, commit string, a anchored, c *call) *ReviewComment {
	rc := &ReviewComment{
		ID: s.st.newID(), Repo: pr.Repo, PullNumber: pr.Number, ReviewID: reviewID, User: user, Body: a.Body,
		Path: a.Path, Line: a.line, Side: a.side, StartLine: a.startLine, StartSide: a.startSide, SubjectType: "line",
		CommitID: commit, DiffHunk: a.hunk, Position: a.position, CreatedAt: c.now, UpdatedAt: c.now,
	}
	rc.NodeID = nodeID("PRRC", rc.ID)
	th := &ReviewThread{ID: nodeID("PRRT", rc.ID), Repo: pr.Repo, PullNumber: pr.Number, RootID: rc.ID}
	rc.ThreadID = th.ID
	s.st.reviewCmts[rc.ID] = rc
	s.st.threads[th.ID] = th
	s.st.user(user)
	return rc
}

func (s *Server) reviewParam(c *call) (*PullRequest, *Review, error) {
	pr, err := s.pullParam(c)
	if err != nil {
		return nil, nil, err
	}
	id, err := strconv.ParseInt(c.params["review_id"], 10, 64)
	if err != nil {
		return nil, nil, errNotFound()
	}
	rv := s.st.reviews[id]
	if rv == nil || rv.Repo != pr.Repo || rv.PullNumber != pr.Number {
		return nil, nil, errNotFound()
	}
	return pr, rv, nil
}

func (s *Server) handleGetReview(c *call) (int, any, error) {
	_, rv, err := s.reviewParam(c)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.reviewJSON(rv), nil
}

func (s *Server) handleListReviews(c *call) (int, any, error) {
	pr, err := s.pullParam(c)
	if err != nil {
		return 0, nil, err
	}
	out := []any{}
	for _, rv := range paginate(c, s.reviewsLocked(pr.Repo, pr.Number)) {
		out = append(out, s.reviewJSON(rv))
	}
	return http.StatusOK, out, nil
}

func (s *Server) handleListReviewCommentsOfReview(c *call) (int, any, error) {
	_, rv, err := s.reviewParam(c)
	if err != nil {
		return 0, nil, err
	}
	var list []*ReviewComment
	for _, rc := range s.reviewCommentsLocked(rv.Repo, rv.PullNumber) {
		if rc.ReviewID == rv.ID {
			list = append(list, rc)
		}
	}
	out := []any{}
	for _, rc := range paginate(c, list) {
		out = append(out, s.reviewCommentJSON(rc))
	}
	return http.StatusOK, out, nil
}

func (s *Server) handleSubmitReview(c *call) (int, any, error) {
	_, rv, err := s.reviewParam(c)
	if err != nil {
		return 0, nil, err
	}
	var req struct {
		Body  string `json:"body"`
		Event string `json:"event"`
	}
	if err := c.decode(&req); err != nil {
		return 0, nil, err
	}
	if rv.State != "PENDING" {
		return 0, nil, errUnprocessableList(docsReviews, "Can not submit a review that is not pending")
	}
	if e := bodyTooLong("PullRequestReview", req.Body); e != nil {
		return 0, nil, e
	}
	if req.Body != "" {
		rv.Body = req.Body
	}
	rv.State, rv.SubmittedAt = reviewState(req.Event), c.now
	return http.StatusOK, s.reviewJSON(rv), nil
}

func (s *Server) handleDeletePendingReview(c *call) (int, any, error) {
	_, rv, err := s.reviewParam(c)
	if err != nil {
		return 0, nil, err
	}
	if rv.State != "PENDING" {
		return 0, nil, errUnprocessableList(docsReviews, "Can not delete a non-pending pull request review")
	}
	delete(s.st.reviews, rv.ID)
	for id, rc := range s.st.reviewCmts {
		if rc.ReviewID == rv.ID {
			delete(s.st.threads, rc.ThreadID)
			delete(s.st.reviewCmts, id)
		}
	}
	return http.StatusOK, s.reviewJSON(rv), nil
}

func (s *Server) reviewsLocked(repo string, number int) []*Review {
	var out []*Review
	for _, rv := range s.st.reviews {
		if strings.EqualFold(rv.Repo, repo) && rv.PullNumber == number {
			out = append(out, rv)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Reviews returns copies of a pull request's reviews, oldest first.
func (s *Server) Reviews(repo string, number int) []Review {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Review
	for _, rv := range s.reviewsLocked(repo, number) {
		out = append(out, *rv)
	}
	return out
}
