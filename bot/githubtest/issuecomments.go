package githubtest

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// issueExistsLocked: issue numbers are PRs or plain issues of the repo.
func (s *Server) issueKindLocked(repo string, number int) (isPR, ok bool) {
	key := strings.ToLower(repo)
	if s.st.pulls[key][number] != nil {
		return true, true
	}
	return false, s.st.issues[key][number]
}

// issueWriteAllowed: issues:write, or pull_requests:write when the issue is a PR.
func issueWriteAllowed(c *call, isPR bool) error {
	if hasPermission(c.tok.permissions, "issues", "write") || (isPR && hasPermission(c.tok.permissions, "pull_requests", "write")) {
		return nil
	}
	return errForbidden("Resource not accessible by integration")
}

func issueReadAllowed(c *call, isPR bool) error {
	if hasPermission(c.tok.permissions, "issues", "read") || (isPR && hasPermission(c.tok.permissions, "pull_requests", "read")) {
		return nil
	}
	return errForbidden("Resource not accessible by integration")
}

func (s *Server) issueParam(c *call) (int, bool, error) {
	n, err := strconv.Atoi(c.params["issue_number"])
	if err != nil {
		return 0, false, errNotFound()
	}
	isPR, ok := s.issueKindLocked(c.repo.FullName(), n)
	if !ok {
		return 0, false, errNotFound()
	}
	return n, isPR, nil
}

func (s *Server) issueCommentsLocked(repo string, number int) []*IssueComment {
	var out []*IssueComment
	for _, ic := range s.st.issueCmts {
		if strings.EqualFold(ic.Repo, repo) && ic.IssueNumber == number {
			out = append(out, ic)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (s *Server) handleListIssueComments(c *call) (int, any, error) {
	n, isPR, err := s.issueParam(c)
	if err != nil {
		return 0, nil, err
	}
	if err := issueReadAllowed(c, isPR); err != nil {
		return 0, nil, err
	}
	out := []any{}
	for _, ic := range paginate(c, s.issueCommentsLocked(c.repo.FullName(), n)) {
		out = append(out, s.issueCommentJSON(ic))
	}
	return http.StatusOK, out, nil
}

func (s *Server) handleCreateIssueComment(c *call) (int, any, error) {
	n, isPR, err := s.issueParam(c)
	if err != nil {
		return 0, nil, err
	}
	if err := issueWriteAllowed(c, isPR); err != nil {
		return 0, nil, err
	}
	var req struct {
		Body string `json:"body"`
	}
	if err := c.decode(&req); err != nil {
		return 0, nil, err
	}
	if strings.TrimSpace(req.Body) == "" {
		return 0, nil, errValidation(FieldError{Resource: "IssueComment", Code: "missing_field", Field: "body"})
	}
	if e := bodyTooLong("IssueComment", req.Body); e != nil {
		return 0, nil, e
	}
	ic := s.addIssueComment(c.repo.FullName(), n, s.app.botLogin(), req.Body, true)
	return http.StatusCreated, s.issueCommentJSON(ic), nil
}

func (s *Server) addIssueComment(repo string, number int, user, body string, viaApp bool) *IssueComment {
	now := s.nowLocked()
	ic := &IssueComment{ID: s.st.newID(), Repo: repo, IssueNumber: number, User: user, Body: body, ViaApp: viaApp, CreatedAt: now, UpdatedAt: now}
	ic.NodeID = nodeID("IC", ic.ID)
	s.st.issueCmts[ic.ID] = ic
	s.st.user(user)
	return ic
}

func (s *Server) issueCommentParam(c *call) (*IssueComment, error) {
	id, err := strconv.ParseInt(c.params["comment_id"], 10, 64)
	if err != nil {
		return nil, errNotFound()
	}
	ic := s.st.issueCmts[id]
	if ic == nil || !strings.EqualFold(ic.Repo, c.repo.FullName()) {
		return nil, errNotFound()
	}
	return ic, nil
}

func (s *Server) handleGetIssueComment(c *call) (int, any, error) {
	ic, err := s.issueCommentParam(c)
	if err != nil {
		return 0, nil, err
	}
	isPR, _ := s.issueKindLocked(ic.Repo, ic.IssueNumber)
	if err := issueReadAllowed(c, isPR); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.issueCommentJSON(ic), nil
}

// ownIssueComment is the comment an edit or delete names, after GitHub's
// checks: the token may write issues (or pull requests), and an App may
// only change its own comments.
func (s *Server) ownIssueComment(c *call) (*IssueComment, error) {
	ic, err := s.issueCommentParam(c)
	if err != nil {
		return nil, err
	}
	isPR, _ := s.issueKindLocked(ic.Repo, ic.IssueNumber)
	if err := issueWriteAllowed(c, isPR); err != nil {
		return nil, err
	}
	if ic.User != s.app.botLogin() {
		return nil, errForbidden("Resource not accessible by integration")
	}
	return ic, nil
}

func (s *Server) handleEditIssueComment(c *call) (int, any, error) {
	ic, err := s.ownIssueComment(c)
	if err != nil {
		return 0, nil, err
	}
	var req struct {
		Body string `json:"body"`
	}
	if err := c.decode(&req); err != nil {
		return 0, nil, err
	}
	if e := bodyTooLong("IssueComment", req.Body); e != nil {
		return 0, nil, e
	}
	ic.Body, ic.UpdatedAt = req.Body, c.now
	return http.StatusOK, s.issueCommentJSON(ic), nil
}

func (s *Server) handleDeleteIssueComment(c *call) (int, any, error) {
	ic, err := s.ownIssueComment(c)
	if err != nil {
		return 0, nil, err
	}
	delete(s.st.issueCmts, ic.ID)
	return http.StatusNoContent, nil, nil
}

// IssueComments returns copies of the comments on an issue or PR, oldest first.
func (s *Server) IssueComments(repo string, number int) []IssueComment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []IssueComment
	for _, ic := range s.issueCommentsLocked(repo, number) {
		out = append(out, *ic)
	}
	return out
}

// AddUserIssueComment records a comment by a human (e.g. "/warden rescan")
// so that a later webhook and API reads agree.
func (s *Server) AddUserIssueComment(repo string, number int, login, body string) (IssueComment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.issueKindLocked(repo, number); !ok {
		return IssueComment{}, errNotFound()
	}
	return *s.addIssueComment(s.st.repos[strings.ToLower(repo)].FullName(), number, login, body, false), nil
}

var reactionContents = map[string]bool{"+1": true, "-1": true, "laugh": true, "confused": true, "heart": true, "hooray": true, "rocket": true, "eyes": true}

// reactionSubjectLocked checks the subject exists in the call's repository.
func (s *Server) reactionSubjectLocked(c *call, subjectType string) (int64, bool, error) {
	if subjectType == "issue" {
		n, isPR, err := s.issueParam(c)
		return int64(n), isPR, err
	}
	id, err := strconv.ParseInt(c.params["comment_id"], 10, 64)
	if err != nil {
		return 0, false, errNotFound()
	}
	if subjectType == "issue_comment" {
		ic := s.st.issueCmts[id]
		if ic == nil || !strings.EqualFold(ic.Repo, c.repo.FullName()) {
			return 0, false, errNotFound()
		}
		isPR, _ := s.issueKindLocked(ic.Repo, ic.IssueNumber)
		return id, isPR, nil
	}
	rc := s.st.reviewCmts[id]
	if rc == nil || !strings.EqualFold(rc.Repo, c.repo.FullName()) {
		return 0, false, errNotFound()
	}
	return id, true, nil
}

func (s *Server) reactionCreator(subjectType string) func(*call) (int, any, error) {
	return func(c *call) (int, any, error) {
		id, isPR, err := s.reactionSubjectLocked(c, subjectType)
		if err != nil {
			return 0, nil, err
		}
		if err := issueWriteAllowed(c, isPR); err != nil {
			return 0, nil, err
		}
		var req struct {
			Content string `json:"content"`
		}
		if err := c.decode(&req); err != nil {
			return 0, nil, err
		}
		if !reactionContents[req.Content] {
			return 0, nil, errValidation(FieldError{Resource: "Reaction", Code: "invalid", Field: "content"})
		}
		user := s.app.botLogin()
		for _, r := range s.st.reactions {
			if r.SubjectType == subjectType && r.SubjectID == id && r.User == user && r.Content == req.Content {
				return http.StatusOK, s.reactionJSON(r), nil
			}
		}
		r := &Reaction{ID: s.st.newID(), Repo: c.repo.FullName(), SubjectType: subjectType, SubjectID: id, User: user, Content: req.Content, CreatedAt: c.now}
		s.st.reactions[r.ID] = r
		return http.StatusCreated, s.reactionJSON(r), nil
	}
}

func (s *Server) reactionLister(subjectType string) func(*call) (int, any, error) {
	return func(c *call) (int, any, error) {
		id, isPR, err := s.reactionSubjectLocked(c, subjectType)
		if err != nil {
			return 0, nil, err
		}
		if err := issueReadAllowed(c, isPR); err != nil {
			return 0, nil, err
		}
		out := []any{}
		for _, r := range paginate(c, s.reactionsLocked(c.repo.FullName(), subjectType, id)) {
			out = append(out, s.reactionJSON(r))
		}
		return http.StatusOK, out, nil
	}
}

func (s *Server) reactionJSON(r *Reaction) map[string]any {
	return map[string]any{"id": r.ID, "node_id": nodeID("REA", r.ID), "user": s.userJSON(s.st.user(r.User)), "content": r.Content, "created_at": ts(r.CreatedAt)}
}

func (s *Server) reactionsLocked(repo, subjectType string, id int64) []*Reaction {
	var out []*Reaction
	for _, r := range s.st.reactions {
		if strings.EqualFold(r.Repo, repo) && r.SubjectType == subjectType && r.SubjectID == id {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Reactions returns copies of the reactions on a subject: subjectType is
// "issue_comment", "pull_request_review_comment" or "issue" (id = number).
func (s *Server) Reactions(repo, subjectType string, id int64) []Reaction {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Reaction
	for _, r := range s.reactionsLocked(repo, subjectType, id) {
		out = append(out, *r)
	}
	return out
}
