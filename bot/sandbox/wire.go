package sandbox

import (
	"encoding/json"

	"github.com/wardenbot/warden/checks"
)

// The parent and the child talk over two pipes, one JSON value per line:
// the parent sends the request and then the replies to the child's calls
// (fd 3 in the child); the child sends calls and finally its outcome (fd 4).
// Standard output and error stay free for logs and runtime messages.

// toChild is a line the parent sends.
type toChild struct {
	Request *Request `json:"request,omitempty"`
	Reply   *reply   `json:"reply,omitempty"`
}

// fromChild is a line the child sends.
type fromChild struct {
	Call    *call    `json:"call,omitempty"`
	Outcome *outcome `json:"outcome,omitempty"`
}

type call struct {
	ID     int64           `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
}

type reply struct {
	ID     int64           `json:"id"`
	Result json.RawMessage `json:"result,omitempty"`
	Error  string          `json:"error,omitempty"`
}

// outcome is the child's last word: a result, or the error that prevented
// one (a scan that could not start is an error, not a crash).
type outcome struct {
	Report *checks.Report      `json:"report,omitempty"`
	Base   string              `json:"base,omitempty"`
	Head   string              `json:"head,omitempty"`
	Files  []checks.FileChange `json:"files,omitempty"`
	Error  string              `json:"error,omitempty"`
	// CacheUnreadable says the error came from damaged cache files.
	CacheUnreadable bool `json:"cache_unreadable,omitempty"`
}

// Methods the parent serves.
const methodResolveRef = "resolve_ref"

type resolveRefParams struct {
	Owner string `json:"owner"`
	Repo  string `json:"repo"`
	Ref   string `json:"ref"`
}

// envChild is "1" in a child's environment (its limits travel beside it,
// see package limits).
const envChild = "WARDEN_SANDBOX_CHILD"
