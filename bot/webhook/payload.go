package webhook

import "encoding/json"

// The payload types below hold only the fields warden reads. Decoding into
// them instead of go-github's full event types keeps intake working when
// GitHub changes a field warden never looks at (go-github v60 rejects some
// real deliveries over such fields, e.g. a check_run with a space-separated
// timestamp).

type user struct {
	Login string `json:"login"`
	Type  string `json:"type"`
}

type repository struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	FullName string `json:"full_name"`
	Owner    user   `json:"owner"`
	CloneURL string `json:"clone_url"`
	Private  bool   `json:"private"`
}

type ref struct {
	Ref  string      `json:"ref"`
	SHA  string      `json:"sha"`
	Repo *repository `json:"repo"`
}

type pullRequest struct {
	Number int    `json:"number"`
	State  string `json:"state"`
	Draft  bool   `json:"draft"`
	Head   ref    `json:"head"`
	Base   ref    `json:"base"`
}

type checkRun struct {
	Name         string        `json:"name"`
	HeadSHA      string        `json:"head_sha"`
	PullRequests []pullRequest `json:"pull_requests"`
}

type checkSuite struct {
	HeadSHA      string        `json:"head_sha"`
	PullRequests []pullRequest `json:"pull_requests"`
}

type comment struct {
	ID          int64  `json:"id"`
	Body        string `json:"body"`
	InReplyToID int64  `json:"in_reply_to_id"`
}

type issue struct {
	Number      int             `json:"number"`
	PullRequest json.RawMessage `json:"pull_request"`
}

type envelope struct {
	Action       string `json:"action"`
	Installation struct {
		ID int64 `json:"id"`
	} `json:"installation"`
	Repository  *repository  `json:"repository"`
	Sender      user         `json:"sender"`
	PullRequest *pullRequest `json:"pull_request"`
	Changes     *struct {
		Base json.RawMessage `json:"base"`
	} `json:"changes"`
	CheckSuite      *checkSuite `json:"check_suite"`
	CheckRun        *checkRun   `json:"check_run"`
	RequestedAction *struct {
		Identifier string `json:"identifier"`
	} `json:"requested_action"`
	Issue               *issue       `json:"issue"`
	Comment             *comment     `json:"comment"`
	Review              *comment     `json:"review"`
	RepositoriesRemoved []repository `json:"repositories_removed"`
}
