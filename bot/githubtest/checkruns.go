package githubtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-git/go-git/v5/plumbing"
)

// GitHub's documented limits for check runs.
const (
	maxAnnotationsPerRequest = 50
	maxOutputBytes           = 65535
	maxAnnotationTitle       = 255
	maxAnnotationBlobBytes   = 64 * 1024
	maxActions               = 3
	maxActionLabel           = 20
	maxActionIdentifier      = 20
	maxActionDescription     = 40
)

type checkRunOutputRequest struct {
	Title       *string           `json:"title"`
	Summary     *string           `json:"summary"`
	Text        *string           `json:"text"`
	Annotations []json.RawMessage `json:"annotations"`
}

type checkRunRequest struct {
	Name        *string                `json:"name"`
	HeadSHA     *string                `json:"head_sha"`
	DetailsURL  *string                `json:"details_url"`
	ExternalID  *string                `json:"external_id"`
	Status      *string                `json:"status"`
	Conclusion  *string                `json:"conclusion"`
	StartedAt   *time.Time             `json:"started_at"`
	CompletedAt *time.Time             `json:"completed_at"`
	Output      *checkRunOutputRequest `json:"output"`
	Actions     []CheckRunAction       `json:"actions"`
}

func (s *Server) checkRunRoutes() []*route {
	return []*route{
		{method: "POST", template: "/repos/{owner}/{repo}/check-runs", perm: "checks", level: "write", precheck: precheckCheckRunCreate, handle: s.handleCreateCheckRun},
		{method: "PATCH", template: "/repos/{owner}/{repo}/check-runs/{check_run_id}", perm: "checks", level: "write", precheck: precheckCheckRunUpdate, handle: s.handleUpdateCheckRun},
		{method: "GET", template: "/repos/{owner}/{repo}/check-runs/{check_run_id}", perm: "checks", level: "read", handle: s.handleGetCheckRun},
		{method: "GET", template: "/repos/{owner}/{repo}/check-runs/{check_run_id}/annotations", perm: "checks", level: "read", handle: s.handleListAnnotations},
		{method: "GET", template: "/repos/{owner}/{repo}/commits/{ref}/check-runs", perm: "checks", level: "read", handle: s.handleListCheckRunsForRef},
	}
}

func invalidRequest(detail string) *apiError {
	return errUnprocessable("Invalid request.\n\n" + detail)
}

func precheckCheckRunCreate(c *call) error {
	req, err := decodeCheckRun(c)
	if err != nil {
		return err
	}
	if req.Name == nil || *req.Name == "" {
		return invalidRequest(`"name" wasn't supplied.`)
	}
	if req.HeadSHA == nil || *req.HeadSHA == "" {
		return invalidRequest(`"head_sha" wasn't supplied.`)
	}
	if req.Output != nil && req.Output.Title == nil {
		return invalidRequest(`"title" wasn't supplied.`)
	}
	return checkCheckRunFields(req)
}

func precheckCheckRunUpdate(c *call) error {
	req, err := decodeCheckRun(c)
	if err != nil {
		return err
	}
	return checkCheckRunFields(req)
}

func decodeCheckRun(c *call) (*checkRunRequest, error) {
	var req checkRunRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	return &req, nil
}

// checkCheckRunFields applies the limits GitHub enforces on both create and
// update, with GitHub's messages.
func checkCheckRunFields(req *checkRunRequest) error {
	if req.Conclusion != nil && *req.Conclusion == "stale" {
		return errValidation(FieldError{Resource: "CheckRun", Field: "conclusion", Code: "invalid", Message: "conclusion stale can only be set by GitHub"})
	}
	completed := req.Status != nil && *req.Status == "completed"
	if (completed || req.CompletedAt != nil) && (req.Conclusion == nil || *req.Conclusion == "") {
		return invalidRequest("`conclusion` is required when `status` is \"completed\" or `completed_at` is given.")
	}
	if o := req.Output; o != nil {
		if o.Summary == nil {
			return invalidRequest(`"summary" wasn't supplied.`)
		}
		for field, v := range map[string]*string{"summary": o.Summary, "text": o.Text} {
			if v == nil {
				continue
			}
			if n := utf8.RuneCountInString(*v); n > maxOutputBytes {
				return invalidRequest(fmt.Sprintf("Only %d characters are allowed; %d were supplied.", maxOutputBytes, n))
			}
			if len(*v) > maxOutputBytes {
				return errValidation(FieldError{Resource: "CheckRun", Field: field, Code: "custom",
					Message: fmt.Sprintf("%s exceeds a maximum bytesize of %d", field, maxOutputBytes)})
			}
		}
		if n := len(o.Annotations); n > maxAnnotationsPerRequest {
			return invalidRequest(fmt.Sprintf("No more than %d items are allowed; %d were supplied.", maxAnnotationsPerRequest, n))
		}
		for _, raw := range o.Annotations {
			if err := checkAnnotation(raw); err != nil {
				return err
			}
		}
	}
	if n := len(req.Actions); n > maxActions {
		return invalidRequest(fmt.Sprintf("No more than %d items are allowed; %d were supplied.", maxActions, n))
	}
	for _, a := range req.Actions {
		for _, lim := range []struct {
			name  string
			value string
			max   int
		}{{"label", a.Label, maxActionLabel}, {"identifier", a.Identifier, maxActionIdentifier}, {"description", a.Description, maxActionDescription}} {
			if lim.value == "" {
				return invalidRequest(fmt.Sprintf("%q wasn't supplied.", lim.name))
			}
			if n := utf8.RuneCountInString(lim.value); n > lim.max {
				return invalidRequest(fmt.Sprintf("Only %d characters are allowed; %d were supplied.", lim.max, n))
			}
		}
	}
	return nil
}

func checkAnnotation(raw json.RawMessage) error {
	var fields map[string]any
	if err := json.Unmarshal(raw, &fields); err != nil {
		return errBadRequest("Problems parsing JSON")
	}
	for _, k := range []string{"path", "start_line", "end_line", "annotation_level", "message"} {
		if fields[k] == nil {
			return invalidRequest(fmt.Sprintf("%q wasn't supplied.", k))
		}
	}
	var a Annotation
	if err := json.Unmarshal(raw, &a); err != nil {
		return invalidRequest("annotation fields have the wrong type: " + err.Error())
	}
	if utf8.RuneCountInString(a.Title) > maxAnnotationTitle {
		return errValidation(FieldError{Resource: "CheckRun", Field: "title", Code: "custom", Message: fmt.Sprintf("title is too long (maximum is %d characters)", maxAnnotationTitle)})
	}
	if len(a.Message) > maxAnnotationBlobBytes || len(a.RawDetails) > maxAnnotationBlobBytes {
		return errValidation(FieldError{Resource: "CheckRun", Field: "message", Code: "custom", Message: "message and raw_details must be at most 64 kilobytes"})
	}
	if a.StartLine < 1 || a.EndLine < a.StartLine {
		return errValidation(FieldError{Resource: "CheckRun", Field: "end_line", Code: "invalid", Message: "end_line must be at least start_line, lines start at 1"})
	}
	if (a.StartColumn != nil || a.EndColumn != nil) && a.StartLine != a.EndLine {
		return errValidation(FieldError{Resource: "CheckRun", Field: "start_column", Code: "invalid", Message: "start_column and end_column are only allowed when start_line equals end_line"})
	}
	return nil
}

func decodeAnnotations(raws []json.RawMessage) []Annotation {
	out := make([]Annotation, 0, len(raws))
	for _, raw := range raws {
		var a Annotation
		_ = json.Unmarshal(raw, &a) // validated in the precheck
		out = append(out, a)
	}
	return out
}

func (s *Server) handleCreateCheckRun(c *call) (int, any, error) {
	req, err := decodeCheckRun(c)
	if err != nil {
		return 0, nil, err
	}
	sha := *req.HeadSHA
	key := strings.ToLower(c.repo.FullName()) + "@" + sha
	if s.st.missingCommits[key] > 0 {
		s.st.missingCommits[key]--
		return 0, nil, errUnprocessable("No commit found for SHA: " + sha)
	}
	repo, err := s.openRepo(c.repo.FullName())
	if err != nil {
		return 0, nil, err
	}
	if !fullSHA.MatchString(sha) {
		return 0, nil, errUnprocessable("No commit found for SHA: " + sha)
	}
	if _, err := repo.CommitObject(plumbing.NewHash(sha)); err != nil {
		return 0, nil, errUnprocessable("No commit found for SHA: " + sha)
	}
	cr := &CheckRun{ID: s.st.newID(), Repo: c.repo.FullName(), HeadSHA: sha, Name: *req.Name, Status: "queued", AppID: s.app.id}
	applyCheckRun(cr, req, c.now)
	s.st.checkRuns[cr.ID] = cr
	return http.StatusCreated, s.checkRunJSON(cr), nil
}

// applyCheckRun sets fields from a create/update body; annotations append.
func applyCheckRun(cr *CheckRun, req *checkRunRequest, now time.Time) {
	if req.Name != nil {
		cr.Name = *req.Name
	}
	if req.DetailsURL != nil {
		cr.DetailsURL = *req.DetailsURL
	}
	if req.ExternalID != nil {
		cr.ExternalID = *req.ExternalID
	}
	if req.Status != nil {
		cr.Status = *req.Status
	}
	if req.StartedAt != nil {
		cr.StartedAt = *req.StartedAt
	} else if cr.StartedAt.IsZero() {
		cr.StartedAt = now
	}
	if req.Conclusion != nil && *req.Conclusion != "" {
		cr.Conclusion, cr.Status = *req.Conclusion, "completed"
		cr.CompletedAt = now
	}
	if req.CompletedAt != nil {
		cr.CompletedAt = *req.CompletedAt
	}
	if o := req.Output; o != nil {
		if o.Title != nil {
			cr.OutputTitle = *o.Title
		}
		cr.OutputSummary = *o.Summary
		if o.Text != nil {
			cr.OutputText = *o.Text
		}
		cr.Annotations = append(cr.Annotations, decodeAnnotations(o.Annotations)...)
	}
	if req.Actions != nil {
		cr.Actions = append([]CheckRunAction(nil), req.Actions...)
	}
}

func (s *Server) checkRunParam(c *call) (*CheckRun, error) {
	id, err := strconv.ParseInt(c.params["check_run_id"], 10, 64)
	if err != nil {
		return nil, errNotFound()
	}
	cr := s.st.checkRuns[id]
	if cr == nil || !strings.EqualFold(cr.Repo, c.repo.FullName()) {
		return nil, errNotFound()
	}
	return cr, nil
}

func (s *Server) handleUpdateCheckRun(c *call) (int, any, error) {
	cr, err := s.checkRunParam(c)
	if err != nil {
		return 0, nil, err
	}
	if cr.AppID != s.app.id {
		return 0, nil, errForbidden("Invalid app_id `" + strconv.FormatInt(s.app.id, 10) + "` - check run can only be modified by the GitHub App that created it.")
	}
	req, err := decodeCheckRun(c)
	if err != nil {
		return 0, nil, err
	}
	applyCheckRun(cr, req, c.now)
	return http.StatusOK, s.checkRunJSON(cr), nil
}

func (s *Server) handleGetCheckRun(c *call) (int, any, error) {
	cr, err := s.checkRunParam(c)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.checkRunJSON(cr), nil
}

func (s *Server) handleListAnnotations(c *call) (int, any, error) {
	cr, err := s.checkRunParam(c)
	if err != nil {
		return 0, nil, err
	}
	out := []any{}
	for _, a := range paginate(c, cr.Annotations) {
		m := map[string]any{
			"path": a.Path, "start_line": a.StartLine, "end_line": a.EndLine, "start_column": a.StartColumn,
			"end_column": a.EndColumn, "annotation_level": a.AnnotationLevel, "message": a.Message,
			"title": a.Title, "raw_details": a.RawDetails, "blob_href": s.baseURL + "/" + cr.Repo + "/blob/" + cr.HeadSHA + "/" + a.Path,
		}
		out = append(out, m)
	}
	return http.StatusOK, out, nil
}

func (s *Server) handleListCheckRunsForRef(c *call) (int, any, error) {
	ref := c.params["ref"]
	sha := ref
	if !fullSHA.MatchString(ref) {
		repo, err := s.openRepo(c.repo.FullName())
		if err != nil {
			return 0, nil, err
		}
		commit, err := resolveCommit(repo, ref)
		if err != nil {
			return 0, nil, errUnprocessable("No commit found for SHA: " + ref)
		}
		sha = commit.Hash.String()
	}
	runs := s.checkRunsLocked(c.repo.FullName(), sha)
	name, status := c.query.Get("check_name"), c.query.Get("status")
	latestOnly := c.query.Get("filter") != "all"
	latest := map[string]int64{}
	for _, cr := range runs {
		if cr.ID > latest[cr.Name] {
			latest[cr.Name] = cr.ID
		}
	}
	var kept []*CheckRun
	for _, cr := range runs {
		if (name != "" && cr.Name != name) || (status != "" && cr.Status != status) {
			continue
		}
		if latestOnly && latest[cr.Name] != cr.ID {
			continue
		}
		if appID := c.query.Get("app_id"); appID != "" && appID != strconv.FormatInt(cr.AppID, 10) {
			continue
		}
		kept = append(kept, cr)
	}
	out := []any{}
	for _, cr := range paginate(c, kept) {
		out = append(out, s.checkRunJSON(cr))
	}
	return http.StatusOK, map[string]any{"total_count": len(kept), "check_runs": out}, nil
}

func (s *Server) checkRunsLocked(repo, sha string) []*CheckRun {
	var out []*CheckRun
	for _, cr := range s.st.checkRuns {
		if strings.EqualFold(cr.Repo, repo) && cr.HeadSHA == sha {
			out = append(out, cr)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// CheckRuns returns copies of the check runs on a commit, oldest first.
// AddForeignCheckRun records a completed check run that another App made
// on sha — a workflow job (GitHubActionsAppID) or another integration — as
// a pull request's author can, under any name they like.
func (s *Server) AddForeignCheckRun(repo, sha, name string, appID int64, conclusion string) CheckRun {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.nowLocked()
	cr := &CheckRun{ID: s.st.newID(), Repo: repo, HeadSHA: sha, Name: name, Status: "completed", Conclusion: conclusion,
		StartedAt: now, CompletedAt: now, OutputTitle: "All good", OutputSummary: "Nothing to see here.", AppID: appID}
	s.st.checkRuns[cr.ID] = cr
	return *cr
}

func (s *Server) CheckRuns(repo, sha string) []CheckRun {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []CheckRun
	for _, cr := range s.checkRunsLocked(repo, sha) {
		cp := *cr
		cp.Annotations = append([]Annotation(nil), cr.Annotations...)
		cp.Actions = append([]CheckRunAction(nil), cr.Actions...)
		out = append(out, cp)
	}
	return out
}

// HideCommit makes the next n check-run creations on sha fail with GitHub's
// 422 "No commit found for SHA", as happens just after a fork push.
func (s *Server) HideCommit(repo, sha string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.missingCommits[strings.ToLower(repo)+"@"+sha] = n
}
