package githubtest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Payloads builds webhook bodies. With real examples (from
// @octokit/webhooks-examples) each payload starts from a genuine delivery of
// the same event and action, and the fake's repository, pull request, sha,
// installation, clone_url and sender are patched in, so fields warden does
// not model keep GitHub's shape. Without examples (offline `warden demo`)
// see fallback.go.
type Payloads struct {
	s        *Server
	examples map[string][]map[string]any // event -> examples
}

// NewPayloads uses the examples file (api.github.com/index.json of the npm
// package); nil examples selects the go-github fallback.
func (s *Server) NewPayloads(examples []byte) (*Payloads, error) {
	p := &Payloads{s: s}
	if examples == nil {
		return p, nil
	}
	var events []struct {
		Name     string           `json:"name"`
		Examples []map[string]any `json:"examples"`
	}
	if err := json.Unmarshal(examples, &events); err != nil {
		return nil, fmt.Errorf("githubtest: parse webhook examples: %w", err)
	}
	p.examples = map[string][]map[string]any{}
	for _, e := range events {
		p.examples[e.Name] = e.Examples
	}
	return p, nil
}

// Real reports whether payloads start from GitHub's example deliveries.
func (p *Payloads) Real() bool { return p.examples != nil }

// PayloadOption adjusts a payload.
type PayloadOption func(*payloadOpts)

type payloadOpts struct {
	sender  string
	before  string
	changes map[string]any
	label   string
}

// WithSender sets the user who triggered the event (default: the PR author).
func WithSender(login string) PayloadOption { return func(o *payloadOpts) { o.sender = login } }

// WithBefore sets "before" of a synchronize (the previous head sha).
func WithBefore(sha string) PayloadOption { return func(o *payloadOpts) { o.before = sha } }

// WithChanges sets "changes" of an edited event, e.g.
// {"base": {"ref": {"from": "old"}}}.
func WithChanges(c map[string]any) PayloadOption { return func(o *payloadOpts) { o.changes = c } }

// WithLabel names the label of a labeled event.
func WithLabel(name string) PayloadOption { return func(o *payloadOpts) { o.label = name } }

// collect applies the options; the sender defaults to who would act:
// the pull request's author, the comment's writer.
func collect(opts []PayloadOption, defaultSender string) payloadOpts {
	o := payloadOpts{sender: defaultSender}
	for _, f := range opts {
		f(&o)
	}
	return o
}

// example returns a deep copy of the first example for event/action,
// preferring one with an installation; an action GitHub's examples lack
// (pull_request edited) starts from the "opened" example.
func (p *Payloads) example(event, action string) map[string]any {
	if p.examples == nil {
		return map[string]any{}
	}
	var pick map[string]any
	for _, want := range []string{action, "opened", ""} {
		for _, ex := range p.examples[event] {
			a, _ := ex["action"].(string)
			if want != "" && a != want {
				continue
			}
			if pick == nil || (ex["installation"] != nil && pick["installation"] == nil) {
				pick = ex
			}
		}
		if pick != nil {
			break
		}
	}
	if pick == nil {
		return map[string]any{}
	}
	data, _ := json.Marshal(pick)
	var out map[string]any
	_ = json.Unmarshal(data, &out)
	return out
}

// merge deep-merges the fake's values into an example: maps merge, anything
// else (including null) replaces.
func merge(dst map[string]any, src map[string]any) map[string]any {
	if dst == nil {
		dst = map[string]any{}
	}
	for k, v := range src {
		sv, srcIsMap := v.(map[string]any)
		dv, dstIsMap := dst[k].(map[string]any)
		if srcIsMap && dstIsMap {
			dst[k] = merge(dv, sv)
			continue
		}
		dst[k] = v
	}
	return dst
}

// base fills the parts every App delivery has: action, repository,
// installation, organization and sender.
func (p *Payloads) base(event, action string, repo *Repository, instID int64, sender string) map[string]any {
	s := p.s
	out := p.example(event, action)
	if action != "" {
		out["action"] = action
	}
	if repo != nil {
		out["repository"] = merge(asMap(out["repository"]), s.repoJSON(repo))
	}
	if inst := s.st.installations[instID]; inst != nil {
		out["installation"] = map[string]any{"id": inst.ID, "node_id": nodeID("MDIz", inst.ID)}
		if inst.AccountType == "Organization" {
			org := s.st.user(inst.Account)
			out["organization"] = merge(asMap(out["organization"]), map[string]any{"login": org.Login, "id": org.ID, "node_id": nodeID("O", org.ID), "url": s.APIURL() + "orgs/" + org.Login})
		} else {
			delete(out, "organization")
		}
	}
	if sender != "" {
		out["sender"] = merge(asMap(out["sender"]), s.userJSON(s.st.user(sender)))
	}
	return out
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func (p *Payloads) lookupRepo(fullName string) (*Repository, int64, error) {
	repo := p.s.st.repos[strings.ToLower(fullName)]
	if repo == nil {
		return nil, 0, fmt.Errorf("githubtest: no repository %s", fullName)
	}
	for _, inst := range p.s.st.installations {
		if installationCovers(inst, repo) {
			return repo, inst.ID, nil
		}
	}
	return repo, 0, nil
}

func (p *Payloads) encode(event string, out map[string]any) ([]byte, error) {
	if p.examples == nil {
		return normalizeWithGoGitHub(event, out)
	}
	return json.Marshal(out)
}

// PullRequest builds a pull_request event: opened, synchronize, reopened,
// ready_for_review, edited, closed, labeled, converted_to_draft...
func (p *Payloads) PullRequest(action, repoName string, number int, opts ...PayloadOption) ([]byte, error) {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	repo, instID, err := p.lookupRepo(repoName)
	if err != nil {
		return nil, err
	}
	pr := p.s.st.pulls[strings.ToLower(repoName)][number]
	if pr == nil {
		return nil, fmt.Errorf("githubtest: no pull request %s#%d", repoName, number)
	}
	o := collect(opts, pr.Author)
	out := p.base("pull_request", action, repo, instID, o.sender)
	out["number"] = pr.Number
	out["pull_request"] = merge(asMap(out["pull_request"]), p.s.pullJSON(pr))
	delete(out, "before")
	delete(out, "after")
	delete(out, "changes")
	delete(out, "label")
	switch action {
	case "synchronize":
		out["before"], out["after"] = o.before, pr.HeadSHA
	case "edited":
		if o.changes == nil {
			o.changes = map[string]any{"title": map[string]any{"from": pr.Title + " (old)"}}
		}
		out["changes"] = o.changes
	case "labeled", "unlabeled":
		name := o.label
		if name == "" && len(pr.Labels) > 0 {
			name = pr.Labels[len(pr.Labels)-1]
		}
		out["label"] = map[string]any{"id": 1, "name": name, "color": "ededed", "default": false}
	}
	return p.encode("pull_request", out)
}

// CheckSuite builds check_suite requested/rerequested for headSHA on
// headBranch; pull_requests lists same-repo open PRs with that head (empty
// for forks, as on GitHub).
func (p *Payloads) CheckSuite(action, repoName, headBranch, headSHA string, opts ...PayloadOption) ([]byte, error) {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	repo, instID, err := p.lookupRepo(repoName)
	if err != nil {
		return nil, err
	}
	o := collect(opts, "octocat")
	out := p.base("check_suite", action, repo, instID, o.sender)
	var branch any
	if headBranch != "" {
		branch = headBranch
	}
	out["check_suite"] = merge(asMap(out["check_suite"]), map[string]any{
		"id": p.s.st.newID(), "head_sha": headSHA, "head_branch": branch, "status": "queued", "conclusion": nil,
		"before": o.before, "after": headSHA, "app": p.s.appJSON(),
		"pull_requests": p.s.pullRefsForSHALocked(repo.FullName(), headSHA),
		"url":           p.s.APIURL() + "repos/" + repo.FullName() + "/check-suites/1",
	})
	return p.encode("check_suite", out)
}

// CheckRun builds check_run rerequested or requested_action (identifier
// names the action button) for an existing check run.
func (p *Payloads) CheckRun(action, repoName string, checkRunID int64, identifier string, opts ...PayloadOption) ([]byte, error) {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	repo, instID, err := p.lookupRepo(repoName)
	if err != nil {
		return nil, err
	}
	cr := p.s.st.checkRuns[checkRunID]
	if cr == nil {
		return nil, fmt.Errorf("githubtest: no check run %d", checkRunID)
	}
	o := collect(opts, "octocat")
	out := p.base("check_run", action, repo, instID, o.sender)
	run := merge(asMap(out["check_run"]), p.s.checkRunJSON(cr))
	run["check_suite"] = merge(asMap(run["check_suite"]), map[string]any{"head_sha": cr.HeadSHA, "app": p.s.appJSON(), "pull_requests": p.s.pullRefsForSHALocked(cr.Repo, cr.HeadSHA)})
	out["check_run"] = run
	delete(out, "requested_action")
	if action == "requested_action" {
		out["requested_action"] = map[string]any{"identifier": identifier}
	}
	return p.encode("check_run", out)
}

// IssueComment builds issue_comment created/edited/deleted for a comment
// stored in the fake; issue.pull_request is present only when the issue is
// a pull request.
func (p *Payloads) IssueComment(action, repoName string, commentID int64, opts ...PayloadOption) ([]byte, error) {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	repo, instID, err := p.lookupRepo(repoName)
	if err != nil {
		return nil, err
	}
	ic := p.s.st.issueCmts[commentID]
	if ic == nil {
		return nil, fmt.Errorf("githubtest: no issue comment %d", commentID)
	}
	o := collect(opts, ic.User)
	out := p.base("issue_comment", action, repo, instID, o.sender)
	out["comment"] = merge(asMap(out["comment"]), p.s.issueCommentJSON(ic))
	issue := asMap(out["issue"])
	delete(issue, "pull_request")
	num := strconv.Itoa(ic.IssueNumber)
	fields := map[string]any{
		"number": ic.IssueNumber, "state": "open", "title": "Issue " + num, "user": p.s.userJSON(p.s.st.user("octocat")),
		"url":      p.s.APIURL() + "repos/" + repo.FullName() + "/issues/" + num,
		"html_url": p.s.baseURL + "/" + repo.FullName() + "/issues/" + num,
	}
	if pr := p.s.st.pulls[strings.ToLower(repoName)][ic.IssueNumber]; pr != nil {
		fields["title"], fields["state"], fields["user"] = pr.Title, pr.State, p.s.userJSON(p.s.st.user(pr.Author))
		fields["pull_request"] = map[string]any{
			"url":      p.s.APIURL() + "repos/" + repo.FullName() + "/pulls/" + num,
			"html_url": p.s.baseURL + "/" + repo.FullName() + "/pull/" + num,
			"diff_url": p.s.baseURL + "/" + repo.FullName() + "/pull/" + num + ".diff", "patch_url": p.s.baseURL + "/" + repo.FullName() + "/pull/" + num + ".patch",
		}
	}
	out["issue"] = merge(issue, fields)
	delete(out, "changes")
	if action == "edited" {
		out["changes"] = map[string]any{"body": map[string]any{"from": ""}}
		if o.changes != nil {
			out["changes"] = o.changes
		}
	}
	return p.encode("issue_comment", out)
}

// ReviewComment builds pull_request_review_comment for a stored comment.
func (p *Payloads) ReviewComment(action, repoName string, commentID int64, opts ...PayloadOption) ([]byte, error) {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	repo, instID, err := p.lookupRepo(repoName)
	if err != nil {
		return nil, err
	}
	rc := p.s.st.reviewCmts[commentID]
	if rc == nil {
		return nil, fmt.Errorf("githubtest: no review comment %d", commentID)
	}
	pr := p.s.st.pulls[strings.ToLower(repoName)][rc.PullNumber]
	o := collect(opts, rc.User)
	out := p.base("pull_request_review_comment", action, repo, instID, o.sender)
	out["comment"] = merge(asMap(out["comment"]), p.s.reviewCommentJSON(rc))
	out["pull_request"] = merge(asMap(out["pull_request"]), p.s.pullJSON(pr))
	delete(out, "changes")
	return p.encode("pull_request_review_comment", out)
}

// Review builds pull_request_review submitted for a stored review.
func (p *Payloads) Review(action, repoName string, reviewID int64, opts ...PayloadOption) ([]byte, error) {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	repo, instID, err := p.lookupRepo(repoName)
	if err != nil {
		return nil, err
	}
	rv := p.s.st.reviews[reviewID]
	if rv == nil {
		return nil, fmt.Errorf("githubtest: no review %d", reviewID)
	}
	pr := p.s.st.pulls[strings.ToLower(repoName)][rv.PullNumber]
	o := collect(opts, rv.User)
	out := p.base("pull_request_review", action, repo, instID, o.sender)
	review := p.s.reviewJSON(rv)
	review["state"] = strings.ToLower(rv.State)
	out["review"] = merge(asMap(out["review"]), review)
	out["pull_request"] = merge(asMap(out["pull_request"]), p.s.pullJSON(pr))
	return p.encode("pull_request_review", out)
}

// Installation builds installation created/deleted/suspend/unsuspend.
func (p *Payloads) Installation(action string, installationID int64, opts ...PayloadOption) ([]byte, error) {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	inst := p.s.st.installations[installationID]
	if inst == nil {
		return nil, fmt.Errorf("githubtest: no installation %d", installationID)
	}
	o := collect(opts, inst.Account)
	out := p.base("installation", action, nil, 0, o.sender)
	out["installation"] = merge(asMap(out["installation"]), p.s.installationJSON(inst))
	repos := []any{}
	for _, r := range p.s.st.repos {
		if installationCovers(inst, r) {
			repos = append(repos, shortRepo(r))
		}
	}
	out["repositories"] = repos
	delete(out, "requester")
	return p.encode("installation", out)
}

// InstallationRepositories builds installation_repositories added/removed
// for the named repositories ("owner/name").
func (p *Payloads) InstallationRepositories(action string, installationID int64, repos []string, opts ...PayloadOption) ([]byte, error) {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	inst := p.s.st.installations[installationID]
	if inst == nil {
		return nil, fmt.Errorf("githubtest: no installation %d", installationID)
	}
	o := collect(opts, inst.Account)
	out := p.base("installation_repositories", action, nil, 0, o.sender)
	out["installation"] = merge(asMap(out["installation"]), p.s.installationJSON(inst))
	list := []any{}
	for _, name := range repos {
		r := p.s.st.repos[strings.ToLower(name)]
		if r == nil {
			return nil, fmt.Errorf("githubtest: no repository %s", name)
		}
		list = append(list, shortRepo(r))
	}
	out["repositories_added"], out["repositories_removed"] = []any{}, []any{}
	if action == "added" {
		out["repositories_added"] = list
	} else {
		out["repositories_removed"] = list
	}
	out["repository_selection"] = inst.RepositorySelection
	delete(out, "requester")
	return p.encode("installation_repositories", out)
}

// Ping builds the ping GitHub sends when the App's webhook is set up.
func (p *Payloads) Ping() ([]byte, error) {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	out := p.example("ping", "")
	out["zen"] = "Keep it logically awesome."
	out["hook_id"] = p.s.app.hookID
	out["hook"] = merge(asMap(out["hook"]), map[string]any{"id": p.s.app.hookID, "type": "App", "app_id": p.s.app.id, "active": true, "events": []string{"pull_request", "check_suite", "check_run", "issue_comment"}})
	delete(out, "repository")
	delete(out, "organization")
	out["sender"] = merge(asMap(out["sender"]), p.s.userJSON(p.s.st.user("wardenbot")))
	return p.encode("ping", out)
}

func shortRepo(r *Repository) map[string]any {
	return map[string]any{"id": r.ID, "node_id": nodeID("R", r.ID), "name": r.Name, "full_name": r.FullName(), "private": r.Private}
}
