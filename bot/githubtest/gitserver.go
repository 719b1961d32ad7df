package githubtest

import (
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/cgi"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// defaultGitBackend is where Debian-like systems keep git's smart-HTTP CGI
// program; gitBackendPath asks git first.
const defaultGitBackend = "/usr/lib/git-core/git-http-backend"

// gitBackendPath locates git-http-backend through `git --exec-path`.
func gitBackendPath() string {
	out, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		return defaultGitBackend
	}
	return filepath.Join(strings.TrimSpace(string(out)), "git-http-backend")
}

// GitServer serves the fake's bare repositories over git smart HTTP at
// /{owner}/{repo}.git, through `git http-backend`. Basic auth must carry a
// currently valid installation token that covers the repository with
// contents:read (the username is ignored, as on GitHub); otherwise 401.
// Pushing is disabled.
type GitServer struct {
	api     *Server
	root    string
	backend string // path of git-http-backend

	mu     sync.Mutex
	faults []*gitFaultEntry
}

// GitFault scripts misbehaviour of the git server.
type GitFault struct {
	// Phase is "refs" (ref advertisement), "pack" (upload-pack POST) or ""
	// for both.
	Phase string
	// Times is how many requests it applies to; 0 means all.
	Times int
	// Status, when set, answers with it instead of serving.
	Status int
	// Stall waits before serving; with Hang also set the request never gets
	// an answer and the connection is closed once the client gives up.
	Stall time.Duration
	Hang  bool
	// DropAfterBytes closes the connection after that many response bytes.
	DropAfterBytes int
	// BytesPerSecond trickles the response.
	BytesPerSecond int
}

type gitFaultEntry struct {
	GitFault
	remaining int
}

func newGitServer(api *Server, root string) *GitServer {
	return &GitServer{api: api, root: root, backend: gitBackendPath()}
}

// Inject adds a git fault.
func (g *GitServer) Inject(f GitFault) {
	g.mu.Lock()
	defer g.mu.Unlock()
	remaining := f.Times
	if remaining == 0 {
		remaining = -1
	}
	g.faults = append(g.faults, &gitFaultEntry{GitFault: f, remaining: remaining})
}

// ClearFaults removes every git fault.
func (g *GitServer) ClearFaults() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.faults = nil
}

func (g *GitServer) repoDir(fullName string) string {
	owner, name, _ := strings.Cut(fullName, "/")
	return filepath.Join(g.root, strings.ToLower(owner), strings.ToLower(name)+".git")
}

// repoOf extracts "owner/name" from /owner/name.git/...
func repoOf(path string) (string, bool) {
	segs := splitPath(path)
	if len(segs) < 3 || !strings.HasSuffix(segs[1], ".git") {
		return "", false
	}
	return segs[0] + "/" + strings.TrimSuffix(segs[1], ".git"), true
}

func (g *GitServer) handles(path string) bool {
	_, ok := repoOf(path)
	return ok
}

func phaseOf(r *http.Request) string {
	if strings.HasSuffix(r.URL.Path, "/info/refs") {
		return "refs"
	}
	return "pack"
}

func (g *GitServer) takeFault(phase string) *GitFault {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, f := range g.faults {
		if f.remaining == 0 || (f.Phase != "" && f.Phase != phase) {
			continue
		}
		if f.remaining > 0 {
			f.remaining--
		}
		fault := f.GitFault
		return &fault
	}
	return nil
}

func (g *GitServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := RequestRecord{Method: r.Method, Path: r.URL.Path, Route: "git", Query: r.URL.RawQuery, Time: start}
	status := g.serve(w, r, &rec)
	rec.Status, rec.Duration = status, time.Since(start)
	g.api.record(rec)
}

func (g *GitServer) serve(w http.ResponseWriter, r *http.Request, rec *RequestRecord) int {
	fullName, _ := repoOf(r.URL.Path)
	if strings.Contains(r.URL.Path, "git-receive-pack") || r.URL.Query().Get("service") == "git-receive-pack" {
		http.Error(w, "pushing is not supported by the fake", http.StatusForbidden)
		return http.StatusForbidden
	}
	_, password, ok := r.BasicAuth()
	if !ok || !g.api.tokenAllowsGit(password, fullName) {
		w.Header().Set("WWW-Authenticate", `Basic realm="GitHub"`)
		http.Error(w, "Invalid username or token. Password authentication is not supported for Git operations.", http.StatusUnauthorized)
		return http.StatusUnauthorized
	}
	if _, exists := g.api.Repository(fullName); !exists {
		http.Error(w, "Repository not found.", http.StatusNotFound)
		return http.StatusNotFound
	}
	fault := g.takeFault(phaseOf(r))
	if fault != nil {
		rec.Fault = true
		if fault.Stall > 0 || fault.Hang {
			var timeout <-chan time.Time
			if fault.Stall > 0 {
				timeout = time.After(fault.Stall)
			}
			select {
			case <-r.Context().Done():
				return 0
			case <-g.api.closing:
				return 0
			case <-timeout:
			}
			if fault.Hang {
				closeConnection(w)
				return 0
			}
		}
		if fault.Status != 0 {
			http.Error(w, http.StatusText(fault.Status), fault.Status)
			return fault.Status
		}
		w = &faultyWriter{ResponseWriter: w, dropAfter: fault.DropAfterBytes, bytesPerSecond: fault.BytesPerSecond, done: r.Context().Done()}
	}
	// Repositories are stored lower-case: GitHub names are case-insensitive.
	lowered := r.Clone(r.Context())
	owner, name, _ := strings.Cut(strings.ToLower(fullName), "/")
	segs := splitPath(r.URL.Path)
	lowered.URL.Path = "/" + owner + "/" + name + ".git/" + strings.Join(segs[2:], "/")
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	g.cgiHandler().ServeHTTP(sw, lowered)
	return sw.status
}

func (g *GitServer) cgiHandler() *cgi.Handler {
	return &cgi.Handler{
		Path:   g.backend,
		Logger: log.New(io.Discard, "", 0), // aborted transfers are expected here
		Env: []string{
			"GIT_PROJECT_ROOT=" + g.root,
			"GIT_HTTP_EXPORT_ALL=1",
			"GIT_CONFIG_NOSYSTEM=1",
			"GIT_CONFIG_COUNT=3",
			"GIT_CONFIG_KEY_0=uploadpack.allowReachableSHA1InWant", "GIT_CONFIG_VALUE_0=true",
			"GIT_CONFIG_KEY_1=http.receivepack", "GIT_CONFIG_VALUE_1=false",
			"GIT_CONFIG_KEY_2=safe.directory", "GIT_CONFIG_VALUE_2=*",
		},
	}
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

var errDropped = errors.New("githubtest: connection dropped by a git fault")

// faultyWriter trickles or truncates a response.
type faultyWriter struct {
	http.ResponseWriter
	dropAfter      int
	bytesPerSecond int
	written        int
	done           <-chan struct{}
}

func (w *faultyWriter) Write(p []byte) (int, error) {
	total := 0
	for len(p) > 0 {
		chunk := p
		if w.bytesPerSecond > 0 && len(chunk) > w.bytesPerSecond/10+1 {
			chunk = chunk[:w.bytesPerSecond/10+1]
		}
		if w.dropAfter > 0 && w.written+len(chunk) > w.dropAfter {
			chunk = chunk[:w.dropAfter-w.written]
		}
		n, err := w.ResponseWriter.Write(chunk)
		total += n
		w.written += n
		if err != nil {
			return total, err
		}
		p = p[len(chunk):]
		if f, ok := w.ResponseWriter.(http.Flusher); ok {
			f.Flush()
		}
		if w.dropAfter > 0 && w.written >= w.dropAfter {
			if hj, ok := w.ResponseWriter.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					_ = conn.Close()
				}
			}
			return total, errDropped
		}
		if w.bytesPerSecond > 0 {
			select {
			case <-time.After(100 * time.Millisecond):
			case <-w.done:
				return total, http.ErrAbortHandler
			}
		}
	}
	return total, nil
}

func (w *faultyWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
