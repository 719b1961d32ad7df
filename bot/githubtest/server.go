package githubtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configure a Server. The zero value is usable.
type Options struct {
	// BasePath is where the REST API lives; default "/api/v3/" (GitHub
	// Enterprise Server's layout), so clients that build absolute URLs fail.
	BasePath string
	// AppID, AppSlug and WebhookSecret of the fake App. Defaults: 4242,
	// "warden", a random secret.
	AppID         int64
	AppSlug       string
	WebhookSecret string
	// GitRoot holds the bare repositories; default a temporary directory
	// removed by Close.
	GitRoot string
	// Spec is GitHub's OpenAPI description; nil turns request validation off
	// (SpecLoaded reports false).
	Spec *Spec
	// Now is the real clock; default time.Now. SetClockOffset skews the
	// server's view of it.
	Now func() time.Time
	// TokenTTL is the lifetime of installation tokens; default one hour.
	TokenTTL time.Duration
	// JWTLeeway is how far in the future an App JWT's iat may be (clock
	// drift); default 30s. exp must still be at most 10 minutes after iat.
	JWTLeeway time.Duration
	// RateLimit is the primary limit per installation per hour; default 5000.
	RateLimit int
	// ContentCreationPerMinute enforces GitHub's secondary limit on
	// content-creating requests per installation; 0 disables it (GitHub: 80).
	ContentCreationPerMinute int
}

func (o *Options) setDefaults() {
	if o.BasePath == "" {
		o.BasePath = "/api/v3/"
	}
	o.BasePath = "/" + strings.Trim(o.BasePath, "/") + "/"
	if o.AppID == 0 {
		o.AppID = 4242
	}
	if o.AppSlug == "" {
		o.AppSlug = "warden"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.TokenTTL == 0 {
		o.TokenTTL = time.Hour
	}
	if o.JWTLeeway == 0 {
		o.JWTLeeway = 30 * time.Second
	}
	if o.RateLimit == 0 {
		o.RateLimit = 5000
	}
}

// Server is the fake GitHub: REST under Options.BasePath, GraphQL at
// /api/graphql and git smart HTTP at /{owner}/{repo}.git, all on one
// loopback listener like a GitHub Enterprise Server host.
type Server struct {
	opts   Options
	app    *appIdentity
	routes *routeTable
	git    *GitServer

	mu          sync.Mutex
	st          *state
	clockOffset time.Duration
	faults      []*faultEntry
	log         []RequestRecord
	violations  []Violation

	ownsGitRoot bool
	httpServer  *http.Server
	listener    net.Listener
	baseURL     string
	closing     chan struct{}
	closeOnce   sync.Once
}

// NewServer builds a Server without listening; use it as an http.Handler or
// call Start.
func NewServer(opts Options) (*Server, error) {
	opts.setDefaults()
	app, err := newAppIdentity(opts.AppID, opts.AppSlug, opts.WebhookSecret)
	if err != nil {
		return nil, err
	}
	s := &Server{opts: opts, app: app, st: newState(), closing: make(chan struct{})}
	if s.opts.GitRoot == "" {
		dir, err := os.MkdirTemp("", "githubtest-git-")
		if err != nil {
			return nil, fmt.Errorf("githubtest: git root: %w", err)
		}
		s.opts.GitRoot, s.ownsGitRoot = dir, true
	}
	s.git = newGitServer(s, s.opts.GitRoot)
	s.routes = newRouteTable(s.restRoutes())
	s.st.user(app.botLogin())
	return s, nil
}

// Start builds a Server and serves it on a loopback port.
func Start(opts Options) (*Server, error) {
	s, err := NewServer(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("githubtest: listen: %w", err)
	}
	s.listener = ln
	s.baseURL = "http://" + ln.Addr().String()
	s.httpServer = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.httpServer.Serve(ln) }()
	return s, nil
}

// Close stops serving, releases hung requests and removes a temporary git root.
func (s *Server) Close() error {
	s.closeOnce.Do(func() { close(s.closing) })
	var err error
	if s.httpServer != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if shutdownErr := s.httpServer.Shutdown(ctx); shutdownErr != nil {
			err = errors.Join(err, s.httpServer.Close())
		}
	}
	if s.ownsGitRoot {
		err = errors.Join(err, os.RemoveAll(s.opts.GitRoot))
	}
	return err
}

// URL is the root of the host, e.g. http://127.0.0.1:PORT (git lives here).
func (s *Server) URL() string { return s.baseURL }

// APIURL is the REST base URL to give warden (WARDEN_GITHUB_API_URL); it ends
// with a slash.
func (s *Server) APIURL() string { return s.baseURL + s.opts.BasePath }

// GraphQLURL is the GraphQL endpoint (GitHub Enterprise Server layout).
func (s *Server) GraphQLURL() string { return s.baseURL + "/api/graphql" }

// Git is the git smart-HTTP side of the fake.
func (s *Server) Git() *GitServer { return s.git }

// SpecLoaded reports whether requests are validated against GitHub's OpenAPI
// description. Tests must require it (see RequireSpec).
func (s *Server) SpecLoaded() bool { return s.opts.Spec != nil }

// SetClockOffset skews the server's clock (JWT and token expiry checks, the
// Date header) relative to the host clock.
func (s *Server) SetClockOffset(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clockOffset = d
}

func (s *Server) now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nowLocked()
}

func (s *Server) nowLocked() time.Time { return s.opts.Now().Add(s.clockOffset) }

// call is one REST request on its way through the pipeline.
type call struct {
	s      *Server
	req    *http.Request
	route  *route
	params map[string]string
	query  url.Values
	body   []byte
	tok    *token      // set for installation-token routes
	repo   *Repository // set when the route names {owner}/{repo}
	now    time.Time
	// nextPage, when set by paginate, becomes a Link rel="next" header.
	nextPage int
}

// decode unmarshals the JSON body into v; an empty body leaves v untouched.
func (c *call) decode(v any) error {
	if len(bytesTrim(c.body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(c.body, v); err != nil {
		return errBadRequest("Problems parsing JSON")
	}
	return nil
}

func bytesTrim(b []byte) string { return strings.TrimSpace(string(b)) }

// maxBody is GitHub's webhook cap, generous for API requests too.
const maxBody = 25 << 20

// ServeHTTP dispatches to REST, GraphQL or git.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Date", s.now().UTC().Format(http.TimeFormat))
	switch {
	case r.URL.Path == "/api/graphql":
		s.serveGraphQL(w, r)
	case strings.HasPrefix(r.URL.Path, s.opts.BasePath):
		s.serveREST(w, r)
	case s.git.handles(r.URL.Path):
		s.git.ServeHTTP(w, r)
	default:
		body, _ := io.ReadAll(io.LimitReader(r.Body, maxBody))
		s.recordViolation(Violation{Kind: ViolationRoute, Method: r.Method, Path: r.URL.Path,
			Message: "request outside the API base path " + s.opts.BasePath + " (absolute URL?)"})
		e := errNotFound()
		writeAPIError(w, e)
		s.record(RequestRecord{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Body: body, Status: e.Status})
	}
}

func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	start := s.now()
	path := "/" + strings.TrimPrefix(r.URL.Path, s.opts.BasePath)
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	rec := RequestRecord{Method: r.Method, Path: path, Query: r.URL.RawQuery, Body: body, Time: start}
	finish := func(status int) {
		rec.Status = status
		rec.Duration = s.now().Sub(start)
		s.record(rec)
	}
	if err != nil {
		writeAPIError(w, errBadRequest("could not read body"))
		finish(http.StatusBadRequest)
		return
	}

	rt, params := s.routes.lookup(r.Method, path)
	if rt == nil {
		e := s.unknownRoute(r.Method, path)
		writeAPIError(w, e)
		finish(e.Status)
		return
	}
	rec.Route = rt.template

	fault := s.takeFault(r.Method, path, rt.template)
	if fault != nil {
		rec.Fault = true
		if !fault.AfterCommit && fault.Action != Respond {
			finish(0) // logged now: the client never gets an answer
			s.applyFault(w, r, fault)
			return
		}
		if !fault.AfterCommit {
			status, handled := s.applyFault(w, r, fault)
			if handled {
				finish(status)
				return
			}
		}
	}

	c := &call{s: s, req: r, route: rt, params: params, query: r.URL.Query(), body: body, now: start}
	status, payload, apiErr := s.runCall(c, &rec)
	if fault != nil && fault.AfterCommit {
		if fault.Action != Respond {
			finish(0) // committed, but the client never gets an answer
			s.applyFault(w, r, fault)
			return
		}
		if st, handled := s.applyFault(w, r, fault); handled {
			finish(st)
			return
		}
	}
	s.writeResult(w, c, status, payload, apiErr)
	if apiErr != nil {
		status = apiErr.Status
	}
	finish(status)
}

// runCall authenticates, rate-limits, validates and executes a call.
func (s *Server) runCall(c *call, rec *RequestRecord) (int, any, *apiError) {
	if e := s.authenticate(c); e != nil {
		return 0, nil, e
	}
	if c.tok != nil {
		rec.InstallationID = c.tok.installationID
	}
	if e := s.spendRateLimit(c); e != nil {
		return 0, nil, e
	}
	if e := s.validate(c); e != nil {
		return 0, nil, e
	}
	s.mu.Lock()
	status, payload, err := c.route.handle(c)
	s.mu.Unlock()
	if err != nil {
		var ae *apiError
		if !errors.As(err, &ae) {
			ae = &apiError{Status: http.StatusInternalServerError, Message: "githubtest: " + err.Error(), DocumentationURL: docsREST}
		}
		if ae.Status == http.StatusUnprocessableEntity {
			s.recordViolation(Violation{Kind: ViolationRule, Method: c.req.Method, Path: c.req.URL.Path, Message: ruleMessage(ae)})
		}
		return 0, nil, ae
	}
	return status, payload, nil
}

func ruleMessage(e *apiError) string {
	msg := e.Message
	for _, item := range e.Errors {
		switch fe := item.(type) {
		case FieldError:
			if fe.Message != "" {
				msg += "; " + fe.Message
			} else {
				msg += fmt.Sprintf("; %s %s %s", fe.Resource, fe.Field, fe.Code)
			}
		default:
			msg += fmt.Sprintf("; %v", fe)
		}
	}
	return msg
}

func (s *Server) writeResult(w http.ResponseWriter, c *call, status int, payload any, e *apiError) {
	s.writeRateHeaders(w, c)
	if c.nextPage > 0 {
		q := c.req.URL.Query()
		q.Set("page", strconv.Itoa(c.nextPage))
		w.Header().Set("Link", "<"+s.baseURL+c.req.URL.Path+"?"+q.Encode()+">; rel=\"next\"")
	}
	if e != nil {
		writeAPIError(w, e)
		return
	}
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	writeJSON(w, status, payload)
}

// unknownRoute answers a path the fake does not implement, telling apart
// routes GitHub does not have (a warden bug) from ones the fake lacks.
func (s *Server) unknownRoute(method, path string) *apiError {
	msg := "no such route on GitHub"
	if s.opts.Spec != nil {
		if tmpl := s.opts.Spec.findTemplate(method, path); tmpl != "" {
			msg = "route " + method + " " + tmpl + " exists on GitHub but the fake does not implement it"
		}
	} else {
		msg = "route not implemented by the fake (spec not loaded, cannot tell whether GitHub has it)"
	}
	s.recordViolation(Violation{Kind: ViolationRoute, Method: method, Path: path, Message: msg})
	return errNotFound()
}
