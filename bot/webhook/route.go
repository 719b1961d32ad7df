package webhook

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Kind is what a delivery asks warden to do.
type Kind int

const (
	Ignore       Kind = iota // nothing to do (answered 200)
	Scan                     // review a pull request head
	Command                  // a comment or button that may hold a /warden command
	Installation             // installation or repository access changed
)

// Work is the routed meaning of one delivery: what a job needs, taken from
// the payload so the worker does not parse it again.
type Work struct {
	Kind   Kind
	Reason string // why it is ignored, for the response and the log

	DeliveryID     string
	Event, Action  string
	InstallationID int64
	RepoID         int64
	Owner, Repo    string
	CloneURL       string
	Private        bool
	Sender         string
	SenderIsBot    bool

	// Scan
	PR             int
	HeadSHA        string
	HeadRef        string
	BaseRef        string
	BaseSHA        string
	Draft          bool
	FromFork       bool
	RequestedRerun bool // a person asked for a re-run

	// Command
	CommentID     int64
	CommentBody   string
	CommentKind   string // issue_comment, review_comment, review, check_run_action
	InReplyTo     int64  // review comment thread root
	ActionID      string // check_run requested_action identifier
	CommentEdited bool

	// Installation
	RemovedRepos []RemovedRepo
}

// RemovedRepo is a repository an installation no longer covers.
type RemovedRepo struct {
	ID       int64
	FullName string // owner/name, to confirm the removal with GitHub
}

// handled lists the events warden acts on; anything else is answered
// without being decoded.
var handled = map[string]bool{
	"pull_request": true, "check_suite": true, "check_run": true, "issue_comment": true,
	"pull_request_review_comment": true, "pull_request_review": true,
	"installation": true, "installation_repositories": true,
}

func ignore(format string, args ...any) Work {
	return Work{Kind: Ignore, Reason: fmt.Sprintf(format, args...)}
}

// Route decides what a delivery asks for. It is pure: the same event and body
// always give the same Work. An error means the body is not valid JSON of
// the expected shape.
func Route(event string, body []byte) (Work, error) {
	if event == "ping" {
		return ignore("ping"), nil
	}
	if !handled[event] {
		// The name is not echoed: the event header is not signed.
		return ignore("event not used"), nil
	}
	var e envelope
	if err := json.Unmarshal(body, &e); err != nil {
		return Work{}, err
	}
	var w Work
	switch event {
	case "pull_request":
		w = routePullRequest(&e)
	case "check_suite":
		w = routeCheckSuite(&e)
	case "check_run":
		w = routeCheckRun(&e)
	case "issue_comment", "pull_request_review_comment", "pull_request_review":
		w = routeComment(event, &e)
	case "installation", "installation_repositories":
		w = Work{Kind: Installation, InstallationID: e.Installation.ID}
		for _, r := range e.RepositoriesRemoved {
			w.RemovedRepos = append(w.RemovedRepos, RemovedRepo{ID: r.ID, FullName: r.FullName})
		}
	}
	w.Action = e.Action
	if w.Kind != Ignore && w.Kind != Installation && w.InstallationID == 0 {
		return ignore("delivery has no installation"), nil
	}
	return w, nil
}

func withRepo(kind Kind, e *envelope) Work {
	w := Work{Kind: kind, InstallationID: e.Installation.ID, Sender: e.Sender.Login}
	w.SenderIsBot = e.Sender.Type == "Bot" || strings.HasSuffix(e.Sender.Login, "[bot]")
	if r := e.Repository; r != nil {
		w.RepoID, w.Owner, w.Repo, w.CloneURL, w.Private = r.ID, r.Owner.Login, r.Name, r.CloneURL, r.Private
	}
	return w
}

func (w *Work) setPR(pr pullRequest) {
	w.PR = pr.Number
	w.HeadRef, w.BaseRef, w.BaseSHA = pr.Head.Ref, pr.Base.Ref, pr.Base.SHA
	if pr.Head.SHA != "" {
		w.HeadSHA = pr.Head.SHA
	}
	w.Draft = pr.Draft
	w.FromFork = pr.Head.Repo == nil || pr.Head.Repo.ID != w.RepoID
}

func routePullRequest(e *envelope) Work {
	switch e.Action {
	case "opened", "synchronize", "reopened", "ready_for_review":
	case "edited":
		// Only a new base branch changes what the review covers.
		if e.Changes == nil || len(e.Changes.Base) == 0 {
			return ignore("pull_request.edited without a base change")
		}
	default:
		return ignore("pull_request.%s does not change the code under review", e.Action)
	}
	if e.PullRequest == nil || e.PullRequest.Number == 0 || e.PullRequest.Head.SHA == "" {
		return ignore("pull request payload lacks a number or head sha")
	}
	if e.PullRequest.State == "closed" {
		return ignore("pull request is closed")
	}
	w := withRepo(Scan, e)
	w.setPR(*e.PullRequest)
	return w
}

func routeCheckSuite(e *envelope) Work {
	if e.Action != "requested" && e.Action != "rerequested" {
		return ignore("check_suite.%s is not used", e.Action)
	}
	if e.CheckSuite == nil || e.CheckSuite.HeadSHA == "" {
		return ignore("check_suite without a head sha")
	}
	w := withRepo(Scan, e)
	w.RequestedRerun = e.Action == "rerequested"
	w.HeadSHA = e.CheckSuite.HeadSHA
	// Pushes from forks carry no pull requests here; the worker maps the
	// sha to its pull request.
	for _, pr := range e.CheckSuite.PullRequests {
		if pr.Head.SHA == "" || pr.Head.SHA == w.HeadSHA {
			w.setPR(pr)
			w.HeadSHA = e.CheckSuite.HeadSHA
			break
		}
	}
	return w
}

func routeCheckRun(e *envelope) Work {
	if e.CheckRun == nil || e.CheckRun.Name != "warden" {
		return ignore("check run is not warden's")
	}
	w := withRepo(Scan, e)
	w.HeadSHA = e.CheckRun.HeadSHA
	for _, pr := range e.CheckRun.PullRequests {
		w.setPR(pr)
		w.HeadSHA = e.CheckRun.HeadSHA
		break
	}
	switch e.Action {
	case "rerequested":
		w.RequestedRerun = true
		return w
	case "requested_action":
		w.Kind, w.CommentKind = Command, "check_run_action"
		if e.RequestedAction != nil {
			w.ActionID = e.RequestedAction.Identifier
		}
		return w
	}
	return ignore("check_run.%s is not used", e.Action)
}

func routeComment(event string, e *envelope) Work {
	created := e.Action == "created" || e.Action == "submitted"
	if !created && e.Action != "edited" {
		return ignore("%s.%s is not used", event, e.Action)
	}
	w := withRepo(Command, e)
	w.CommentEdited = e.Action == "edited"
	switch event {
	case "issue_comment":
		if e.Issue == nil || len(e.Issue.PullRequest) == 0 || string(e.Issue.PullRequest) == "null" {
			return ignore("comment on an issue, not a pull request")
		}
		w.CommentKind, w.PR = "issue_comment", e.Issue.Number
		if e.Comment != nil {
			w.CommentID, w.CommentBody = e.Comment.ID, e.Comment.Body
		}
	case "pull_request_review_comment":
		w.CommentKind = "review_comment"
		if e.Comment != nil {
			w.CommentID, w.CommentBody, w.InReplyTo = e.Comment.ID, e.Comment.Body, e.Comment.InReplyToID
		}
	case "pull_request_review":
		if e.Action == "edited" {
			return ignore("pull_request_review.edited is not used")
		}
		w.CommentKind = "review"
		if e.Review != nil {
			w.CommentID, w.CommentBody = e.Review.ID, e.Review.Body
		}
	}
	if e.PullRequest != nil {
		w.PR, w.HeadSHA = e.PullRequest.Number, e.PullRequest.Head.SHA
	}
	// A cheap pre-filter: most comments never become jobs.
	if !strings.Contains(w.CommentBody, "/warden") {
		return ignore("no /warden command")
	}
	if w.SenderIsBot {
		return ignore("written by a bot")
	}
	if w.PR == 0 {
		return ignore("comment without a pull request")
	}
	return w
}
