package githubtest

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
)

func (s *Server) commentRoutes() []*route {
	prw := func(m, t string, h func(*call) (int, any, error), creating bool) *route {
		return &route{method: m, template: t, perm: "pull_requests", level: "write", handle: h, contentCreating: creating}
	}
	prr := func(t string, h func(*call) (int, any, error)) *route {
		return &route{method: "GET", template: t, perm: "pull_requests", level: "read", handle: h}
	}
	// Issue comments need issues:write, or pull_requests:write on a PR;
	// handlers check that (see issueWriteAllowed).
	iss := func(m, t string, h func(*call) (int, any, error), creating bool) *route {
		return &route{method: m, template: t, handle: h, contentCreating: creating}
	}
	return []*route{
		prr("/repos/{owner}/{repo}/pulls/{pull_number}/comments", s.handleListReviewComments),
		prw("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/comments", s.handleCreateReviewComment, true),
		prw("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies", s.handleReplyReviewComment, true),
		prr("/repos/{owner}/{repo}/pulls/comments/{comment_id}", s.handleGetReviewComment),
		prw("PATCH", "/repos/{owner}/{repo}/pulls/comments/{comment_id}", s.handleEditReviewComment, false),
		prw("DELETE", "/repos/{owner}/{repo}/pulls/comments/{comment_id}", s.handleDeleteReviewComment, false),
		iss("GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments", s.handleListIssueComments, false),
		iss("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", s.handleCreateIssueComment, true),
		iss("GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}", s.handleGetIssueComment, false),
		iss("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}", s.handleEditIssueComment, false),
		iss("DELETE", "/repos/{owner}/{repo}/issues/comments/{comment_id}", s.handleDeleteIssueComment, false),
		iss("POST", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", s.reactionCreator("issue_comment"), true),
		iss("GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", s.reactionLister("issue_comment"), false),
		iss("POST", "/repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions", s.reactionCreator("pull_request_review_comment"), true),
		iss("GET", "/repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions", s.reactionLister("pull_request_review_comment"), false),
		iss("POST", "/repos/{owner}/{repo}/issues/{issue_number}/reactions", s.reactionCreator("issue"), true),
	}
}

func (s *Server) reviewCommentsLocked(repo string, number int) []*ReviewComment {
	var out []*ReviewComment
	for _, rc := range s.st.reviewCmts {
		if strings.EqualFold(rc.Repo, repo) && rc.PullNumber == number {
			out = append(out, rc)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (s *Server) handleListReviewComments(c *call) (int, any, error) {
	pr, err := s.pullParam(c)
	if err != nil {
		return 0, nil, err
	}
	out := []any{}
	for _, rc := range paginate(c, s.reviewCommentsLocked(pr.Repo, pr.Number)) {
		out = append(out, s.reviewCommentJSON(rc))
	}
	return http.StatusOK, out, nil
}

type singleCommentRequest struct {
	draftComment
	CommitID    string `json:"commit_id"`
	InReplyTo   int64  `json:"in_reply_to"`
	SubjectType string `json:"subject_type"`
}

// handleCreateReviewComment: a single comment needs body, commit_id and path;
// subject_type "file" comments on a changed file without a line.
func (s *Server) handleCreateReviewComment(c *call) (int, any, error) {
	pr, err := s.pullParam(c)
	if err != nil {
		return 0, nil, err
	}
	var req singleCommentRequest
	if err := c.decode(&req); err != nil {
		return 0, nil, err
	}
	if req.InReplyTo != 0 {
		return s.reply(c, pr, req.InReplyTo, req.Body)
	}
	if req.CommitID == "" || req.Path == "" || req.Body == "" {
		return 0, nil, errValidation(FieldError{Resource: "PullRequestReviewComment", Code: "missing_field", Field: firstMissing(req)})
	}
	if s.commitExists(pr.Repo, req.CommitID) != nil {
		return 0, nil, errUnprocessableList(docsComments, "Pull request review thread commit id is not part of the pull request")
	}
	files, err := s.diffAt(pr, req.CommitID)
	if err != nil {
		return 0, nil, err
	}
	user := s.app.botLogin()
	if req.SubjectType == "file" {
		if e := bodyTooLong("PullRequestReviewComment", req.Body); e != nil {
			return 0, nil, e
		}
		for _, fd := range files {
			if fd.Path == req.Path {
				rc := s.addReviewComment(pr, 0, user, req.CommitID, anchored{draftComment: req.draftComment}, c)
				rc.SubjectType, rc.Side = "file", ""
				return http.StatusCreated, s.reviewCommentJSON(rc), nil
			}
		}
		return 0, nil, errUnprocessableList(docsComments, "Pull request review thread path is invalid")
	}
	anchoredList, err := anchorComments(files, []draftComment{req.draftComment}, docsComments)
	if err != nil {
		return 0, nil, err
	}
	rv := &Review{ID: s.st.newID(), Repo: pr.Repo, PullNumber: pr.Number, User: user, CommitID: req.CommitID, State: "COMMENTED", SubmittedAt: c.now}
	rv.NodeID = nodeID("PRR", rv.ID)
	s.st.reviews[rv.ID] = rv
	rc := s.addReviewComment(pr, rv.ID, user, req.CommitID, anchoredList[0], c)
	return http.StatusCreated, s.reviewCommentJSON(rc), nil
}

func firstMissing(req singleCommentRequest) string {
	switch {
	case req.Body == "":
		return "body"
	case req.CommitID == "":
		return "commit_id"
	}
	return "path"
}

func (s *Server) handleReplyReviewComment(c *call) (int, any, error) {
	pr, err := s.pullParam(c)
	if err != nil {
		return 0, nil, err
	}
	id, err := strconv.ParseInt(c.params["comment_id"], 10, 64)
	if err != nil {
		return 0, nil, errNotFound()
	}
	var req struct {
		Body string `json:"body"`
	}
	if err := c.decode(&req); err != nil {
		return 0, nil, err
	}
	return s.reply(c, pr, id, req.Body)
}

// reply answers a top-level review comment; GitHub does not support replies
// to replies.
func (s *Server) reply(c *call, pr *PullRequest, to int64, body string) (int, any, error) {
	parent := s.st.reviewCmts[to]
	if parent == nil || parent.Repo != pr.Repo || parent.PullNumber != pr.Number {
		return 0, nil, errNotFound()
	}
	if parent.InReplyTo != 0 {
		return 0, nil, errUnprocessableList(docsComments, "Replies to replies are not supported; reply to the top-level comment")
	}
	if body == "" {
		return 0, nil, errValidation(FieldError{Resource: "PullRequestReviewComment", Code: "missing_field", Field: "body"})
	}
	if e := bodyTooLong("PullRequestReviewComment", body); e != nil {
		return 0, nil, e
	}
	user := s.app.botLogin()
	rv := &Review{ID: s.st.newID(), Repo: pr.Repo, PullNumber: pr.Number, User: user, CommitID: parent.CommitID, State: "COMMENTED", SubmittedAt: c.now}
	rv.NodeID = nodeID("PRR", rv.ID)
	s.st.reviews[rv.ID] = rv
	rc := *parent
	rc.ID, rc.ReviewID, rc.InReplyTo, rc.User, rc.Body, rc.Minimized = s.st.newID(), rv.ID, parent.ID, user, body, ""
	rc.NodeID, rc.CreatedAt, rc.UpdatedAt = nodeID("PRRC", rc.ID), c.now, c.now
	s.st.reviewCmts[rc.ID] = &rc
	return http.StatusCreated, s.reviewCommentJSON(&rc), nil
}

func (s *Server) reviewCommentParam(c *call) (*ReviewComment, error) {
	id, err := strconv.ParseInt(c.params["comment_id"], 10, 64)
	if err != nil {
		return nil, errNotFound()
	}
	rc := s.st.reviewCmts[id]
	if rc == nil || !strings.EqualFold(rc.Repo, c.repo.FullName()) {
		return nil, errNotFound()
	}
	return rc, nil
}

func (s *Server) handleGetReviewComment(c *call) (int, any, error) {
	rc, err := s.reviewCommentParam(c)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.reviewCommentJSON(rc), nil
}

// ownReviewComment is the review comment an edit or delete names; an App
// may only change its own.
func (s *Server) ownReviewComment(c *call) (*ReviewComment, error) {
	rc, err := s.reviewCommentParam(c)
	if err != nil {
		return nil, err
	}
	if rc.User != s.app.botLogin() {
		return nil, errForbidden("Resource not accessible by integration")
	}
	return rc, nil
}

func (s *Server) handleEditReviewComment(c *call) (int, any, error) {
	rc, err := s.ownReviewComment(c)
	if err != nil {
		return 0, nil, err
	}
	var req struct {
		Body string `json:"body"`
	}
	if err := c.decode(&req); err != nil {
		return 0, nil, err
	}
	if e := bodyTooLong("PullRequestReviewComment", req.Body); e != nil {
		return 0, nil, e
	}
	rc.Body, rc.UpdatedAt = req.Body, c.now
	return http.StatusOK, s.reviewCommentJSON(rc), nil
}

func (s *Server) handleDeleteReviewComment(c *call) (int, any, error) {
	rc, err := s.ownReviewComment(c)
	if err != nil {
		return 0, nil, err
	}
	delete(s.st.reviewCmts, rc.ID)
	return http.StatusNoContent, nil, nil
}

// ReviewComments returns copies of a pull request's review comments
// (top-level and replies), oldest first.
func (s *Server) ReviewComments(repo string, number int) []ReviewComment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []ReviewComment
	for _, rc := range s.reviewCommentsLocked(repo, number) {
		out = append(out, *rc)
	}
	return out
}

// AddUserReviewComment records a review comment by a human (not through the
// API), e.g. a reply in warden's thread carrying a slash command.
func (s *Server) AddUserReviewComment(repo string, number int, login, body string, inReplyTo int64) (ReviewComment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pr := s.st.pulls[strings.ToLower(repo)][number]
	if pr == nil {
		return ReviewComment{}, errNotFound()
	}
	now := s.nowLocked()
	var rc ReviewComment
	if parent := s.st.reviewCmts[inReplyTo]; parent != nil {
		rc = *parent
		rc.InReplyTo = parent.ID
	} else {
		rc = ReviewComment{Repo: pr.Repo, PullNumber: number, SubjectType: "file", CommitID: pr.HeadSHA}
	}
	rc.ID, rc.User, rc.Body, rc.CreatedAt, rc.UpdatedAt, rc.Minimized = s.st.newID(), login, body, now, now, ""
	rc.NodeID = nodeID("PRRC", rc.ID)
	if inReplyTo == 0 {
		th := &ReviewThread{ID: nodeID("PRRT", rc.ID), Repo: pr.Repo, PullNumber: number, RootID: rc.ID}
		rc.ThreadID = th.ID
		s.st.threads[th.ID] = th
	}
	s.st.reviewCmts[rc.ID] = &rc
	s.st.user(login)
	return rc, nil
}
