package githubtest

import (
	"fmt"
	"time"
)

// User is a GitHub account known to the fake.
type User struct {
	Login string
	ID    int64
	Type  string // "User", "Bot" or "Organization"
}

// Installation is an installation of the fake's App on an account.
type Installation struct {
	ID          int64
	Account     string
	AccountType string // "Organization" or "User"
	// RepositorySelection is "all" or "selected"; with "selected" only
	// RepositoryIDs are reachable.
	RepositorySelection string
	RepositoryIDs       []int64
	Permissions         map[string]string
	Suspended           bool
	Deleted             bool
}

// Repository is a repository hosted by the fake (API metadata and a bare git
// repository served by the git server).
type Repository struct {
	ID             int64
	Owner          string
	Name           string
	Private        bool
	DefaultBranch  string
	InstallationID int64
	Fork           bool
}

// FullName is "owner/name".
func (r Repository) FullName() string { return r.Owner + "/" + r.Name }

// PullRequest is a pull request of a repository of the fake.
type PullRequest struct {
	Repo    string // base repository, "owner/name"
	Number  int
	Title   string
	Body    string
	State   string // "open" or "closed"
	Draft   bool
	Merged  bool
	Author  string
	BaseRef string
	BaseSHA string
	HeadRef string
	HeadSHA string
	// HeadRepo is the head repository "owner/name"; empty means the base
	// repository. HeadRepoDeleted makes head.repo null, as after a fork is
	// deleted.
	HeadRepo        string
	HeadRepoDeleted bool
	Labels          []string
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Annotation is a check-run annotation as stored by the fake.
type Annotation struct {
	Path            string `json:"path"`
	StartLine       int    `json:"start_line"`
	EndLine         int    `json:"end_line"`
	StartColumn     *int   `json:"start_column,omitempty"`
	EndColumn       *int   `json:"end_column,omitempty"`
	AnnotationLevel string `json:"annotation_level"`
	Message         string `json:"message"`
	Title           string `json:"title,omitempty"`
	RawDetails      string `json:"raw_details,omitempty"`
}

// CheckRunAction is a button offered on a completed check run.
type CheckRunAction struct {
	Label       string `json:"label"`
	Description string `json:"description"`
	Identifier  string `json:"identifier"`
}

// CheckRun is a check run as stored by the fake.
type CheckRun struct {
	ID            int64
	Repo          string
	HeadSHA       string
	Name          string
	Status        string
	Conclusion    string
	ExternalID    string
	DetailsURL    string
	StartedAt     time.Time
	CompletedAt   time.Time
	OutputTitle   string
	OutputSummary string
	OutputText    string
	Annotations   []Annotation
	Actions       []CheckRunAction
	AppID         int64
}

// Review is a pull request review.
type Review struct {
	ID          int64
	NodeID      string
	Repo        string
	PullNumber  int
	User        string
	Body        string
	State       string // PENDING, COMMENTED, APPROVED, CHANGES_REQUESTED
	CommitID    string
	SubmittedAt time.Time
}

// ReviewComment is an inline comment of a review, or a reply to one.
type ReviewComment struct {
	ID          int64
	NodeID      string
	Repo        string
	PullNumber  int
	ReviewID    int64
	InReplyTo   int64 // 0 for a top-level comment
	ThreadID    string
	User        string
	Body        string
	Path        string
	Line        int
	Side        string
	StartLine   int
	StartSide   string
	SubjectType string // "line" or "file"
	CommitID    string
	DiffHunk    string
	Position    int
	Minimized   string // classifier when minimized, else ""
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// ReviewThread is the GraphQL view of a top-level review comment and replies.
type ReviewThread struct {
	ID         string
	Repo       string
	PullNumber int
	RootID     int64
	Resolved   bool
	ResolvedBy string
}

// IssueComment is a comment on an issue or on a pull request's conversation.
type IssueComment struct {
	ID          int64
	NodeID      string
	Repo        string
	IssueNumber int
	User        string
	Body        string
	ViaApp      bool // performed_via_github_app
	Minimized   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Reaction is an emoji reaction on a comment or issue.
type Reaction struct {
	ID          int64
	Repo        string
	SubjectType string // "issue_comment", "pull_request_review_comment" or "issue"
	SubjectID   int64
	User        string
	Content     string
	CreatedAt   time.Time
}

// Team is an organisation team.
type Team struct {
	ID      int64
	Org     string
	Slug    string
	Name    string
	Members map[string]string // login -> role ("member" or "maintainer")
}

// state is everything the fake knows; guarded by Server.mu.
type state struct {
	nextID int64

	users         map[string]*User
	installations map[int64]*Installation
	repos         map[string]*Repository // by full name, lower case
	pulls         map[string]map[int]*PullRequest
	issues        map[string]map[int]bool // plain issue numbers per repo
	nextNumber    map[string]int
	permissions   map[string]map[string]string // repo -> login -> permission
	teams         map[string]map[string]*Team  // org -> slug -> team
	checkRuns     map[int64]*CheckRun
	reviews       map[int64]*Review
	reviewCmts    map[int64]*ReviewComment
	threads       map[string]*ReviewThread
	issueCmts     map[int64]*IssueComment
	reactions     map[int64]*Reaction
	tokens        map[string]*token
	ratelimits    map[int64]*rateBucket
	// missingCommits makes check-run creation on a sha fail like GitHub right
	// after a fork push.
	missingCommits map[string]int
}

func newState() *state {
	return &state{
		nextID:         1000,
		users:          map[string]*User{},
		installations:  map[int64]*Installation{},
		repos:          map[string]*Repository{},
		pulls:          map[string]map[int]*PullRequest{},
		issues:         map[string]map[int]bool{},
		nextNumber:     map[string]int{},
		permissions:    map[string]map[string]string{},
		teams:          map[string]map[string]*Team{},
		checkRuns:      map[int64]*CheckRun{},
		reviews:        map[int64]*Review{},
		reviewCmts:     map[int64]*ReviewComment{},
		threads:        map[string]*ReviewThread{},
		issueCmts:      map[int64]*IssueComment{},
		reactions:      map[int64]*Reaction{},
		tokens:         map[string]*token{},
		ratelimits:     map[int64]*rateBucket{},
		missingCommits: map[string]int{},
	}
}

func (st *state) newID() int64 {
	st.nextID++
	return st.nextID
}

// user returns the account for login, creating it on first use.
func (st *state) user(login string) *User {
	if u, ok := st.users[login]; ok {
		return u
	}
	typ := "User"
	if len(login) > 5 && login[len(login)-5:] == "[bot]" {
		typ = "Bot"
	}
	u := &User{Login: login, ID: st.newID(), Type: typ}
	st.users[login] = u
	return u
}

func nodeID(prefix string, id int64) string { return fmt.Sprintf("%s_kwDO%08d", prefix, id) }
