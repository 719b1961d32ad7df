package githubtest

import (
	"fmt"
	"strings"
	"time"
)

// JSON renderings of the fake's objects, shaped like GitHub's responses.
// They carry the fields clients read, not every field GitHub sends.

func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

func (s *Server) userJSON(u *User) map[string]any {
	return map[string]any{
		"login": u.Login, "id": u.ID, "node_id": nodeID("U", u.ID), "type": u.Type, "site_admin": false,
		"avatar_url": s.baseURL + "/avatars/" + u.Login, "url": s.APIURL() + "users/" + u.Login,
		"html_url": s.baseURL + "/" + u.Login,
	}
}

func (s *Server) cloneURL(r *Repository) string { return s.baseURL + "/" + r.FullName() + ".git" }

func (s *Server) repoJSON(r *Repository) map[string]any {
	owner := s.st.user(r.Owner)
	api := s.APIURL() + "repos/" + r.FullName()
	return map[string]any{
		"id": r.ID, "node_id": nodeID("R", r.ID), "name": r.Name, "full_name": r.FullName(),
		"owner": s.userJSON(owner), "private": r.Private, "fork": r.Fork, "default_branch": r.DefaultBranch,
		"visibility": map[bool]string{true: "private", false: "public"}[r.Private],
		"url":        api, "html_url": s.baseURL + "/" + r.FullName(), "clone_url": s.cloneURL(r),
		"git_url": s.cloneURL(r), "archived": false, "disabled": false,
		"pulls_url": api + "/pulls{/number}", "created_at": ts(time.Unix(0, 0)), "updated_at": ts(time.Unix(0, 0)),
		"pushed_at": ts(time.Unix(0, 0)),
	}
}

func (s *Server) pullJSON(pr *PullRequest) map[string]any {
	base := s.st.repos[strings.ToLower(pr.Repo)]
	api := s.APIURL() + "repos/" + pr.Repo + "/pulls/" + fmt.Sprint(pr.Number)
	headRepo := any(nil)
	headOwner := base.Owner
	if !pr.HeadRepoDeleted {
		hr := base
		if pr.HeadRepo != "" {
			hr = s.st.repos[strings.ToLower(pr.HeadRepo)]
		}
		if hr != nil {
			headRepo, headOwner = s.repoJSON(hr), hr.Owner
		}
	}
	labels := []any{}
	for i, l := range pr.Labels {
		labels = append(labels, map[string]any{"id": i + 1, "name": l, "color": "ededed"})
	}
	out := map[string]any{
		"id": int64(pr.Number) + base.ID*1000, "node_id": nodeID("PR", int64(pr.Number)+base.ID*1000),
		"number": pr.Number, "state": pr.State, "title": pr.Title, "body": pr.Body, "draft": pr.Draft,
		"merged": pr.Merged, "locked": false, "user": s.userJSON(s.st.user(pr.Author)),
		"url": api, "html_url": s.baseURL + "/" + pr.Repo + "/pull/" + fmt.Sprint(pr.Number),
		"diff_url": s.baseURL + "/" + pr.Repo + "/pull/" + fmt.Sprint(pr.Number) + ".diff",
		"labels":   labels, "created_at": ts(pr.CreatedAt), "updated_at": ts(pr.UpdatedAt),
		"author_association": s.authorAssociationLocked(pr.Repo, pr.Author),
		"base": map[string]any{
			"ref": pr.BaseRef, "sha": pr.BaseSHA, "label": base.Owner + ":" + pr.BaseRef,
			"repo": s.repoJSON(base), "user": s.userJSON(s.st.user(base.Owner)),
		},
		"head": map[string]any{
			"ref": pr.HeadRef, "sha": pr.HeadSHA, "label": headOwner + ":" + pr.HeadRef,
			"repo": headRepo, "user": s.userJSON(s.st.user(headOwner)),
		},
	}
	return out
}

// authorAssociationLocked mirrors GitHub's author_association; it is not a
// permission level (a COLLABORATOR may be read-only).
func (s *Server) authorAssociationLocked(repo, login string) string {
	r := s.st.repos[strings.ToLower(repo)]
	if r != nil && strings.EqualFold(r.Owner, login) {
		return "OWNER"
	}
	if _, ok := s.st.permissions[strings.ToLower(repo)][login]; ok {
		return "COLLABORATOR"
	}
	if r != nil {
		for _, t := range s.st.teams[strings.ToLower(r.Owner)] {
			if _, ok := t.Members[login]; ok {
				return "MEMBER"
			}
		}
	}
	return "NONE"
}

func (s *Server) checkRunJSON(cr *CheckRun) map[string]any {
	api := s.APIURL() + "repos/" + cr.Repo + "/check-runs/" + fmt.Sprint(cr.ID)
	actions := []any{}
	for _, a := range cr.Actions {
		actions = append(actions, a)
	}
	var conclusion any
	if cr.Conclusion != "" {
		conclusion = cr.Conclusion
	}
	return map[string]any{
		"id": cr.ID, "node_id": nodeID("CR", cr.ID), "head_sha": cr.HeadSHA, "name": cr.Name,
		"status": cr.Status, "conclusion": conclusion, "external_id": cr.ExternalID,
		"details_url": cr.DetailsURL, "url": api, "html_url": s.baseURL + "/" + cr.Repo + "/runs/" + fmt.Sprint(cr.ID),
		"started_at": ts(cr.StartedAt), "completed_at": ts(cr.CompletedAt),
		"output": map[string]any{
			"title": nilIfEmpty(cr.OutputTitle), "summary": nilIfEmpty(cr.OutputSummary), "text": nilIfEmpty(cr.OutputText),
			"annotations_count": len(cr.Annotations), "annotations_url": api + "/annotations",
		},
		"check_suite": map[string]any{"id": cr.ID + 500000},
		"app":         s.appJSONFor(cr.AppID), "pull_requests": s.pullRefsForSHALocked(cr.Repo, cr.HeadSHA),
		"actions": actions,
	}
}

func nilIfEmpty(v string) any {
	if v == "" {
		return nil
	}
	return v
}

// pullRefsForSHALocked lists open same-repository PRs whose head is sha, like
// check_run.pull_requests (fork PRs are left out, as on GitHub).
func (s *Server) pullRefsForSHALocked(repo, sha string) []any {
	out := []any{}
	for _, pr := range s.st.pulls[strings.ToLower(repo)] {
		if pr.HeadSHA != sha || pr.State != "open" || pr.HeadRepo != "" {
			continue
		}
		base := s.st.repos[strings.ToLower(pr.Repo)]
		out = append(out, map[string]any{
			"id": int64(pr.Number) + base.ID*1000, "number": pr.Number,
			"url":  s.APIURL() + "repos/" + pr.Repo + "/pulls/" + fmt.Sprint(pr.Number),
			"head": map[string]any{"ref": pr.HeadRef, "sha": pr.HeadSHA, "repo": map[string]any{"id": base.ID, "name": base.Name, "url": s.APIURL() + "repos/" + pr.Repo}},
			"base": map[string]any{"ref": pr.BaseRef, "sha": pr.BaseSHA, "repo": map[string]any{"id": base.ID, "name": base.Name, "url": s.APIURL() + "repos/" + pr.Repo}},
		})
	}
	return out
}

func (s *Server) reviewJSON(rv *Review) map[string]any {
	return map[string]any{
		"id": rv.ID, "node_id": rv.NodeID, "user": s.userJSON(s.st.user(rv.User)), "body": rv.Body,
		"state": rv.State, "commit_id": rv.CommitID, "submitted_at": ts(rv.SubmittedAt),
		"html_url":           s.baseURL + "/" + rv.Repo + "/pull/" + fmt.Sprint(rv.PullNumber) + "#pullrequestreview-" + fmt.Sprint(rv.ID),
		"pull_request_url":   s.APIURL() + "repos/" + rv.Repo + "/pulls/" + fmt.Sprint(rv.PullNumber),
		"author_association": s.authorAssociationLocked(rv.Repo, rv.User),
	}
}

func (s *Server) reviewCommentJSON(rc *ReviewComment) map[string]any {
	out := map[string]any{
		"id": rc.ID, "node_id": rc.NodeID, "pull_request_review_id": rc.ReviewID, "user": s.userJSON(s.st.user(rc.User)),
		"body": rc.Body, "path": rc.Path, "commit_id": rc.CommitID, "original_commit_id": rc.CommitID,
		"diff_hunk": rc.DiffHunk, "side": rc.Side, "subject_type": rc.SubjectType,
		"created_at": ts(rc.CreatedAt), "updated_at": ts(rc.UpdatedAt),
		"url":                s.APIURL() + "repos/" + rc.Repo + "/pulls/comments/" + fmt.Sprint(rc.ID),
		"html_url":           s.baseURL + "/" + rc.Repo + "/pull/" + fmt.Sprint(rc.PullNumber) + "#discussion_r" + fmt.Sprint(rc.ID),
		"pull_request_url":   s.APIURL() + "repos/" + rc.Repo + "/pulls/" + fmt.Sprint(rc.PullNumber),
		"author_association": s.authorAssociationLocked(rc.Repo, rc.User),
		"reactions":          s.reactionSummaryLocked("pull_request_review_comment", rc.ID),
	}
	if rc.Line > 0 {
		out["line"], out["original_line"] = rc.Line, rc.Line
	}
	if rc.StartLine > 0 {
		out["start_line"], out["original_start_line"], out["start_side"] = rc.StartLine, rc.StartLine, rc.StartSide
	}
	if rc.Position > 0 {
		out["position"], out["original_position"] = rc.Position, rc.Position
	}
	if rc.InReplyTo != 0 {
		out["in_reply_to_id"] = rc.InReplyTo
	}
	return out
}

func (s *Server) issueCommentJSON(ic *IssueComment) map[string]any {
	out := map[string]any{
		"id": ic.ID, "node_id": ic.NodeID, "user": s.userJSON(s.st.user(ic.User)), "body": ic.Body,
		"created_at": ts(ic.CreatedAt), "updated_at": ts(ic.UpdatedAt),
		"url":                      s.APIURL() + "repos/" + ic.Repo + "/issues/comments/" + fmt.Sprint(ic.ID),
		"html_url":                 s.baseURL + "/" + ic.Repo + "/issues/" + fmt.Sprint(ic.IssueNumber) + "#issuecomment-" + fmt.Sprint(ic.ID),
		"issue_url":                s.APIURL() + "repos/" + ic.Repo + "/issues/" + fmt.Sprint(ic.IssueNumber),
		"author_association":       s.authorAssociationLocked(ic.Repo, ic.User),
		"reactions":                s.reactionSummaryLocked("issue_comment", ic.ID),
		"performed_via_github_app": nil,
	}
	if ic.ViaApp {
		out["performed_via_github_app"] = s.appJSON()
	}
	return out
}

func (s *Server) reactionSummaryLocked(subjectType string, id int64) map[string]any {
	out := map[string]any{"total_count": 0, "+1": 0, "-1": 0, "laugh": 0, "confused": 0, "heart": 0, "hooray": 0, "rocket": 0, "eyes": 0}
	total := 0
	for _, r := range s.st.reactions {
		if r.SubjectType == subjectType && r.SubjectID == id {
			out[r.Content] = out[r.Content].(int) + 1
			total++
		}
	}
	out["total_count"] = total
	return out
}
