package githubtest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The GraphQL endpoint understands the operations warden uses, recognised by
// their root field: resolveReviewThread, unresolveReviewThread,
// minimizeComment and repository.pullRequest.reviewThreads. Arguments may be
// literals or variables. Responses carry a fixed superset of the fields
// warden selects (no selection-set projection); anything else is a
// violation answered with a GraphQL error.

var minimizeClassifiers = map[string]bool{"SPAM": true, "ABUSE": true, "OFF_TOPIC": true, "OUTDATED": true, "DUPLICATE": true, "RESOLVED": true, "LOW_QUALITY": true}

type graphqlRequest struct {
	Query     string         `json:"query"`
	Variables map[string]any `json:"variables"`
}

func (s *Server) serveGraphQL(w http.ResponseWriter, r *http.Request) {
	start := s.now()
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxBody))
	rec := RequestRecord{Method: r.Method, Path: r.URL.Path, Route: "graphql", Body: body, Time: start}
	status := s.graphql(w, r, body, &rec)
	rec.Status, rec.Duration = status, s.now().Sub(start)
	s.record(rec)
}

func (s *Server) graphql(w http.ResponseWriter, r *http.Request, body []byte, rec *RequestRecord) int {
	if r.Method != http.MethodPost {
		writeAPIError(w, errNotFound())
		return http.StatusNotFound
	}
	if fault := s.takeFault(r.Method, "/graphql", "/graphql"); fault != nil {
		rec.Fault = true
		if status, handled := s.applyFault(w, r, fault); handled {
			return status
		}
	}
	_, cred, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	s.mu.Lock()
	defer s.mu.Unlock()
	tok, e := s.installationTokenLocked(cred)
	if e != nil {
		writeAPIError(w, e)
		return e.Status
	}
	rec.InstallationID = tok.installationID
	var req graphqlRequest
	if err := json.Unmarshal(body, &req); err != nil || req.Query == "" {
		writeAPIError(w, errBadRequest("Problems parsing JSON"))
		return http.StatusBadRequest
	}
	g := &gqlCall{s: s, tok: tok, q: req.Query, vars: req.Variables, now: s.nowLocked()}
	var data map[string]any
	var errs []map[string]any
	switch {
	case strings.Contains(req.Query, "unresolveReviewThread"):
		data, errs = g.setResolved("unresolveReviewThread", false)
	case strings.Contains(req.Query, "resolveReviewThread"):
		data, errs = g.setResolved("resolveReviewThread", true)
	case strings.Contains(req.Query, "minimizeComment"):
		data, errs = g.minimize()
	case strings.Contains(req.Query, "reviewThreads"):
		data, errs = g.reviewThreads()
	default:
		s.violations = append(s.violations, Violation{Kind: ViolationRoute, Method: "POST", Path: "/api/graphql", Message: "GraphQL operation not supported by the fake: " + firstLine(req.Query)})
		errs = []map[string]any{{"message": "githubtest: unsupported GraphQL operation"}}
	}
	out := map[string]any{"data": data}
	if len(errs) > 0 {
		out["errors"] = errs
	}
	w.Header().Set("X-RateLimit-Resource", "graphql")
	writeJSON(w, http.StatusOK, out)
	return http.StatusOK
}

type gqlCall struct {
	s    *Server
	tok  *token
	q    string
	vars map[string]any
	now  time.Time
}

// arg finds `name: "literal"`, `name: LITERAL`, `name: 12` or `name: $var`.
func (g *gqlCall) arg(name string) (string, bool) {
	re := regexp.MustCompile(`\b` + regexp.QuoteMeta(name) + `\s*:\s*("([^"\\]*)"|\$(\w+)|([A-Za-z0-9_]+))`)
	// Search after the operation header, whose variable definitions
	// ("$owner: String!") look like arguments.
	body := g.q
	if i := strings.IndexByte(body, '{'); i >= 0 {
		body = body[i:]
	}
	m := re.FindStringSubmatch(body)
	if m == nil {
		if v, ok := g.vars[name]; ok { // input objects passed whole: input: $input
			return scalarString(v), true
		}
		if input, ok := g.vars["input"].(map[string]any); ok {
			if v, ok := input[name]; ok {
				return scalarString(v), true
			}
		}
		return "", false
	}
	switch {
	case m[3] != "":
		v, ok := g.vars[m[3]]
		if !ok {
			return "", false
		}
		return scalarString(v), true
	case m[4] != "":
		return m[4], true
	}
	return m[2], true
}

func scalarString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatInt(int64(x), 10)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func notFound(field, id string) []map[string]any {
	return []map[string]any{{"type": "NOT_FOUND", "path": []string{field}, "message": "Could not resolve to a node with the global id of '" + id + "'"}}
}

func forbidden(field string) []map[string]any {
	return []map[string]any{{"type": "FORBIDDEN", "path": []string{field}, "message": "Resource not accessible by integration"}}
}

func (g *gqlCall) repoVisible(fullName string) bool {
	repo := g.s.st.repos[strings.ToLower(fullName)]
	return repo != nil && g.s.tokenCoversLocked(g.tok, repo)
}

func (g *gqlCall) setResolved(field string, resolved bool) (map[string]any, []map[string]any) {
	id, _ := g.arg("threadId")
	th := g.s.st.threads[id]
	if th == nil || !g.repoVisible(th.Repo) {
		return map[string]any{field: nil}, notFound(field, id)
	}
	if !hasPermission(g.tok.permissions, "pull_requests", "write") {
		return map[string]any{field: nil}, forbidden(field)
	}
	th.Resolved = resolved
	th.ResolvedBy = ""
	if resolved {
		th.ResolvedBy = g.s.app.botLogin()
	}
	return map[string]any{field: map[string]any{"thread": map[string]any{"id": th.ID, "isResolved": th.Resolved}}}, nil
}

func (g *gqlCall) minimize() (map[string]any, []map[string]any) {
	const field = "minimizeComment"
	id, _ := g.arg("subjectId")
	classifier, _ := g.arg("classifier")
	if !minimizeClassifiers[classifier] {
		return map[string]any{field: nil}, []map[string]any{{"type": "INVALID_ARGUMENT", "message": "Argument 'classifier' on InputObject 'MinimizeCommentInput' has an invalid value (" + classifier + ")."}}
	}
	reason := strings.ToLower(classifier)
	var repo string
	var target *string
	for _, ic := range g.s.st.issueCmts {
		if ic.NodeID == id {
			repo, target = ic.Repo, &ic.Minimized
		}
	}
	for _, rc := range g.s.st.reviewCmts {
		if rc.NodeID == id {
			repo, target = rc.Repo, &rc.Minimized
		}
	}
	if target == nil || !g.repoVisible(repo) {
		return map[string]any{field: nil}, notFound(field, id)
	}
	if !hasPermission(g.tok.permissions, "pull_requests", "write") && !hasPermission(g.tok.permissions, "issues", "write") {
		return map[string]any{field: nil}, forbidden(field)
	}
	*target = reason
	return map[string]any{field: map[string]any{"minimizedComment": map[string]any{"isMinimized": true, "minimizedReason": reason}}}, nil
}

func (g *gqlCall) reviewThreads() (map[string]any, []map[string]any) {
	owner, _ := g.arg("owner")
	name, _ := g.arg("name")
	numStr, _ := g.arg("number")
	number, _ := strconv.Atoi(numStr)
	full := owner + "/" + name
	if !g.repoVisible(full) {
		return map[string]any{"repository": nil}, []map[string]any{{"type": "NOT_FOUND", "path": []string{"repository"}, "message": "Could not resolve to a Repository with the name '" + full + "'."}}
	}
	pr := g.s.st.pulls[strings.ToLower(full)][number]
	if pr == nil {
		return map[string]any{"repository": map[string]any{"pullRequest": nil}}, []map[string]any{{"type": "NOT_FOUND", "path": []string{"repository", "pullRequest"}, "message": "Could not resolve to a PullRequest with the number of " + numStr + "."}}
	}
	current, _ := g.s.pullDiff(context.Background(), pr)
	var threads []*ReviewThread
	for _, th := range g.s.st.threads {
		if strings.EqualFold(th.Repo, pr.Repo) && th.PullNumber == pr.Number && g.s.st.reviewCmts[th.RootID] != nil {
			threads = append(threads, th)
		}
	}
	sort.Slice(threads, func(i, j int) bool { return threads[i].RootID < threads[j].RootID })
	nodes := []any{}
	for _, th := range threads {
		nodes = append(nodes, g.threadJSON(th, pr, current))
	}
	conn := map[string]any{"totalCount": len(nodes), "nodes": nodes, "pageInfo": map[string]any{"hasNextPage": false, "endCursor": nil}}
	return map[string]any{"repository": map[string]any{"pullRequest": map[string]any{"number": pr.Number, "reviewThreads": conn}}}, nil
}

func (g *gqlCall) threadJSON(th *ReviewThread, pr *PullRequest, current []FileDiff) map[string]any {
	root := g.s.st.reviewCmts[th.RootID]
	outdated := isOutdated(root, pr, current)
	comments := []any{}
	var list []*ReviewComment
	for _, rc := range g.s.st.reviewCmts {
		if rc.ID == root.ID || rc.InReplyTo == root.ID {
			list = append(list, rc)
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	for _, rc := range list {
		u := g.s.st.user(rc.User)
		typename := "User"
		if u.Type == "Bot" {
			typename = "Bot"
		}
		var replyTo any
		if rc.InReplyTo != 0 {
			replyTo = map[string]any{"id": g.s.st.reviewCmts[rc.InReplyTo].NodeID, "databaseId": rc.InReplyTo}
		}
		comments = append(comments, map[string]any{
			"id": rc.NodeID, "databaseId": rc.ID, "body": rc.Body, "path": rc.Path, "url": g.s.reviewCommentJSON(rc)["html_url"],
			"author":    map[string]any{"login": strings.TrimSuffix(u.Login, "[bot]"), "__typename": typename},
			"createdAt": ts(rc.CreatedAt), "isMinimized": rc.Minimized != "", "minimizedReason": nilIfEmpty(rc.Minimized),
			"outdated": outdated, "replyTo": replyTo, "line": rc.Line, "originalLine": rc.Line,
			"viewerCanMinimize": true,
		})
	}
	var resolvedBy any
	if th.ResolvedBy != "" {
		resolvedBy = map[string]any{"login": strings.TrimSuffix(th.ResolvedBy, "[bot]")}
	}
	var line any
	if !outdated && root.Line > 0 {
		line = root.Line
	}
	return map[string]any{
		"id": th.ID, "isResolved": th.Resolved, "isOutdated": outdated, "isCollapsed": th.Resolved,
		"path": root.Path, "line": line, "originalLine": root.Line, "diffSide": nilIfEmpty(root.Side),
		"resolvedBy": resolvedBy, "viewerCanResolve": true,
		"comments": map[string]any{"totalCount": len(comments), "nodes": comments, "pageInfo": map[string]any{"hasNextPage": false, "endCursor": nil}},
	}
}

// isOutdated approximates GitHub: a thread is outdated once the head moved
// and the commented line is no longer in the diff with the same hunk text.
func isOutdated(root *ReviewComment, pr *PullRequest, current []FileDiff) bool {
	if root.CommitID == pr.HeadSHA || root.SubjectType == "file" {
		return false
	}
	for _, fd := range current {
		if fd.Path != root.Path {
			continue
		}
		h, _, ok := fd.anchor(root.Side, root.Line)
		return !ok || fd.diffHunkUpTo(h, root.Side, root.Line) != root.DiffHunk
	}
	return true
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// ReviewThreads returns copies of a pull request's review threads, oldest
// first (resolution state as set through GraphQL).
func (s *Server) ReviewThreads(repo string, number int) []ReviewThread {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []ReviewThread
	for _, th := range s.st.threads {
		if strings.EqualFold(th.Repo, repo) && th.PullNumber == number {
			out = append(out, *th)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].RootID < out[j].RootID })
	return out
}
