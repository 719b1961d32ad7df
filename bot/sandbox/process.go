package sandbox

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/wardenbot/warden/bot/sandbox/limits"
	"github.com/wardenbot/warden/checks"
)

// Process runs each scan in a child process: warden's own executable,
// started in worker mode with a scrubbed environment and the limits. The
// zero value starts a child per scan; NewProcess also keeps one child
// started and warmed up (rule sets built) ahead of the next scan, so a
// review does not wait for that.
type Process struct {
	// Exe is the executable to start; empty means this process's own.
	Exe    string
	Limits Limits

	spare *spare // nil: none kept
}

// spare holds at most one started, idle child.
type spare struct {
	ch        chan *proc
	refilling atomic.Bool
	closed    atomic.Bool
}

// NewProcess returns a Process that keeps a spare child. Close stops it.
func NewProcess(exe string, lim Limits) Process {
	return Process{Exe: exe, Limits: lim, spare: &spare{ch: make(chan *proc, 1)}}
}

// Close stops the spare child, if one is waiting, and keeps no more.
func (p Process) Close() {
	if p.spare == nil {
		return
	}
	p.spare.closed.Store(true)
	select {
	case c := <-p.spare.ch:
		c.stop()
	default:
	}
}

// Bounds on what one child may ask of the parent and send it.
const (
	maxOutcomeBytes = 512 << 20 // everything the child writes on its pipe
	maxCalls        = 1000      // calls to the parent's services per scan
	maxServing      = 4         // calls served at once
	stderrTailBytes = 8 << 10   // kept to tell why a child died
)

// proc is a started scan child and the parent's ends of its pipes.
type proc struct {
	cmd       *exec.Cmd
	toChild   *os.File // the child's fd 3
	fromChild *os.File // the child's fd 4
	tail      *tailBuffer
	kill      context.CancelFunc
	exited    chan struct{} // closed once the process has been waited for
	waitErr   error
}

func (c *proc) stop() {
	c.kill()
	c.toChild.Close()
	c.fromChild.Close()
	<-c.exited
}

// alive reports whether the child has not exited (a spare may have died
// while it waited).
func (c *proc) alive() bool {
	select {
	case <-c.exited:
		return false
	default:
		return true
	}
}

// start starts a child that applies the limits, warms up and waits for its
// request. It runs until killed, whatever the caller's context.
func (p Process) start(lim Limits) (*proc, error) {
	exe := p.Exe
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return nil, fmt.Errorf("sandbox: finding warden's executable: %w", err)
		}
	}
	toChildR, toChildW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	fromChildR, fromChildW, err := os.Pipe()
	if err != nil {
		toChildR.Close()
		toChildW.Close()
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	kctx, kill := context.WithCancel(context.Background())
	cmd := exec.CommandContext(kctx, exe)
	cmd.Args = []string{"warden-scan"}
	cmd.Env = childEnv(lim)
	cmd.ExtraFiles = []*os.File{toChildR, fromChildW} // fds 3 and 4
	tail := &tailBuffer{max: stderrTailBytes}
	cmd.Stdout, cmd.Stderr = tail, tail
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	err = cmd.Start()
	toChildR.Close()
	fromChildW.Close()
	if err != nil {
		kill()
		toChildW.Close()
		fromChildR.Close()
		return nil, fmt.Errorf("sandbox: starting the scanner: %w", err)
	}
	c := &proc{cmd: cmd, toChild: toChildW, fromChild: fromChildR, tail: tail, kill: kill, exited: make(chan struct{})}
	go func() {
		c.waitErr = cmd.Wait()
		close(c.exited)
	}()
	return c, nil
}

// take returns the spare child if one is waiting and still alive, else a
// new one; then it has the next spare started.
func (p Process) take(lim Limits) (c *proc, fromSpare bool, err error) {
	if p.spare == nil {
		c, err = p.start(lim)
		return c, false, err
	}
	select {
	case c = <-p.spare.ch:
	default:
	}
	p.refill(lim)
	if c != nil && c.alive() {
		return c, true, nil
	}
	if c != nil {
		c.stop()
	}
	c, err = p.start(lim)
	return c, false, err
}

// refill starts a spare in the background, unless one is being started.
func (p Process) refill(lim Limits) {
	if p.spare.closed.Load() || !p.spare.refilling.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer p.spare.refilling.Store(false)
		next, err := p.start(lim)
		if err != nil {
			return
		}
		select {
		case p.spare.ch <- next:
			if p.spare.closed.Load() {
				p.Close()
			}
		default:
			next.stop()
		}
	}()
}

// Scan sends req to a child, serves its calls and returns its result. A
// child that dies is a *CrashError; ctx ending stops the child and returns
// ctx's error. A spare that dies is tried once more in a fresh child: it
// may have died while it waited, which says nothing about req.
func (p Process) Scan(ctx context.Context, req Request, svc Services) (*Result, error) {
	lim := p.Limits.withDefaults()
	c, fromSpare, err := p.take(lim)
	if err != nil {
		return nil, err
	}
	res, err := p.scanWith(ctx, c, lim, req, svc)
	var crash *CrashError
	if fromSpare && errors.As(err, &crash) && ctx.Err() == nil {
		zerolog.Ctx(ctx).Info().Str("cause", crash.Cause).Msg("the spare scan child died; scanning in a fresh one")
		if c, err = p.start(lim); err != nil {
			return nil, err
		}
		return p.scanWith(ctx, c, lim, req, svc)
	}
	return res, err
}

// scanWith runs one scan in child c.
func (p Process) scanWith(ctx context.Context, c *proc, lim Limits, req Request, svc Services) (*Result, error) {
	defer c.fromChild.Close()
	defer c.toChild.Close()
	// The wall clock runs from the request, not from a spare's start.
	wctx, cancel := context.WithTimeout(ctx, lim.Wall)
	defer cancel()
	stopOnDone := context.AfterFunc(wctx, c.kill)
	defer stopOnDone()

	start := time.Now()
	out, talkErr := talk(wctx, c.toChild, c.fromChild, req, svc)
	c.toChild.Close() // the child may exit now
	if talkErr != nil {
		c.kill() // a child that talks nonsense is stopped
	}
	<-c.exited
	waitErr := c.waitErr
	took := time.Since(start)
	log := zerolog.Ctx(ctx)

	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case errors.Is(wctx.Err(), context.DeadlineExceeded):
		return nil, &CrashError{Cause: fmt.Sprintf("took longer than %s and was stopped", lim.Wall)}
	case out != nil && out.CacheUnreadable:
		return nil, &CacheError{Err: out.Error}
	case out != nil && out.Error != "":
		return nil, fmt.Errorf("scan: %s", out.Error)
	case out != nil && out.Report != nil && waitErr == nil:
		log.Debug().Dur("took", took).Msg("scan child finished")
		return &Result{Report: out.Report, Diff: checks.NewDiff(out.Base, out.Head, out.Files, nil)}, nil
	}
	crash := classify(c.cmd.ProcessState, c.tail.String(), lim)
	switch {
	case errors.Is(talkErr, errTooManyCalls):
		crash = &CrashError{Cause: fmt.Sprintf("asked warden more than %d questions and was stopped", maxCalls)}
	case talkErr != nil:
		crash = &CrashError{Cause: "sent an unreadable result and was stopped"}
	}
	log.Warn().Str("cause", crash.Cause).Str("runtime", firstRuntimeLine(c.tail.String())).AnErr("pipe", talkErr).
		Dur("took", took).Msg("scan child died")
	return nil, crash
}

var errTooManyCalls = errors.New("the scanner made too many calls")

// talk sends the request, serves the child's calls and returns its
// outcome, or why none came.
func talk(ctx context.Context, w io.Writer, r io.Reader, req Request, svc Services) (*outcome, error) {
	var wmu sync.Mutex
	enc := json.NewEncoder(w)
	send := func(m toChild) error {
		wmu.Lock()
		defer wmu.Unlock()
		return enc.Encode(m)
	}
	if err := send(toChild{Request: &req}); err != nil {
		return nil, fmt.Errorf("sending the request: %w", err)
	}
	dec := json.NewDecoder(bufio.NewReader(io.LimitReader(r, maxOutcomeBytes)))
	serving := make(chan struct{}, maxServing)
	var wg sync.WaitGroup
	defer wg.Wait()
	calls := 0
	for {
		var m fromChild
		if err := dec.Decode(&m); err != nil {
			if errors.Is(err, io.EOF) {
				return nil, nil // the child ended without an outcome
			}
			return nil, fmt.Errorf("reading from the scanner: %w", err)
		}
		switch {
		case m.Outcome != nil:
			return m.Outcome, nil
		case m.Call != nil:
			calls++
			if calls > maxCalls {
				return nil, errTooManyCalls
			}
			c := *m.Call
			serving <- struct{}{}
			wg.Add(1)
			go func() {
				defer func() { <-serving; wg.Done() }()
				_ = send(toChild{Reply: serve(ctx, svc, c)})
			}()
		}
	}
}

// serve answers one call from the child.
func serve(ctx context.Context, svc Services, c call) *reply {
	rep := &reply{ID: c.ID}
	switch c.Method {
	case methodResolveRef:
		var p resolveRefParams
		if err := json.Unmarshal(c.Params, &p); err != nil {
			rep.Error = "bad parameters"
			return rep
		}
		if svc.Refs == nil {
			rep.Error = "resolving action refs is not available"
			return rep
		}
		sha, err := svc.Refs.ResolveRef(ctx, p.Owner, p.Repo, p.Ref)
		if err != nil {
			rep.Error = err.Error()
			return rep
		}
		rep.Result, _ = json.Marshal(sha)
	default:
		rep.Error = "unknown method"
	}
	return rep
}

// childEnv is the child's whole environment: its mode and limits, where
// temporary files go, and how to reach the network (proxies and CA
// certificates for the vulnerability database). Nothing else of warden's
// environment — the App's key, the webhook secret, the database URL —
// reaches the process that reads untrusted input.
func childEnv(lim Limits) []string {
	env := append([]string{envChild + "=1", "TMPDIR=" + os.TempDir()}, limits.Env(lim.Memory, lim.CPU)...)
	for _, k := range []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy", "SSL_CERT_FILE", "SSL_CERT_DIR", "GOCOVERDIR"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// classify says, for people, why a child that gave no result ended.
func classify(st *os.ProcessState, stderr string, lim Limits) *CrashError {
	if st == nil {
		return &CrashError{Cause: "could not be waited for"}
	}
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		switch sig := ws.Signal(); {
		case sig == syscall.SIGXCPU, sig == syscall.SIGKILL && st.UserTime()+st.SystemTime() >= lim.CPU:
			return &CrashError{Cause: fmt.Sprintf("used more than its %s of processor time", lim.CPU)}
		case sig == syscall.SIGKILL:
			return &CrashError{Cause: "was killed (by the system, most likely for memory)"}
		default:
			return &CrashError{Cause: "crashed (" + sig.String() + ")"}
		}
	}
	switch low := strings.ToLower(stderr); {
	case strings.Contains(low, "out of memory"), strings.Contains(low, "cannot allocate memory"):
		return &CrashError{Cause: fmt.Sprintf("ran out of memory (limit %s)", humanBytes(lim.Memory))}
	case strings.Contains(low, "stack overflow"), strings.Contains(low, "stack exceeds"):
		return &CrashError{Cause: "ran out of stack (input nested too deeply)"}
	case strings.Contains(stderr, "panic:"):
		return &CrashError{Cause: "crashed with a runtime panic"}
	case strings.Contains(stderr, "fatal error:"):
		return &CrashError{Cause: "crashed with a fatal runtime error"}
	}
	if st.ExitCode() == 0 {
		return &CrashError{Cause: "exited without a result"}
	}
	return &CrashError{Cause: fmt.Sprintf("exited with status %d", st.ExitCode())}
}

// firstRuntimeLine tells operators where a child died without quoting
// what it was reading: the Go runtime's own fatal error ("fatal error:
// runtime: out of memory"), or for a panic only the function that panicked
// (a panic's message and a stack's arguments may quote scanned content).
func firstRuntimeLine(stderr string) string {
	lines := strings.Split(stderr, "\n")
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "fatal error:") || strings.HasPrefix(l, "runtime: out of memory"):
			return clipLine(l)
		case strings.HasPrefix(l, "panic:"):
			return "panic in " + panickingFunc(lines[i:])
		}
	}
	return ""
}

// panickingFunc is the first frame of the panicking goroutine outside the
// runtime, without its arguments.
func panickingFunc(lines []string) string {
	inStack := false
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "goroutine "):
			inStack = true
		case !inStack, l == "", strings.HasPrefix(l, "\t"), strings.HasPrefix(l, "panic("), strings.HasPrefix(l, "runtime."):
		default:
			if i := strings.LastIndexByte(l, '('); i > 0 {
				l = l[:i]
			}
			return clipLine(l)
		}
	}
	return "an unknown function"
}

func clipLine(l string) string {
	if len(l) > 160 {
		return l[:160] + "…"
	}
	return l
}

func humanBytes(n int64) string {
	if n >= 1<<30 {
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	}
	return fmt.Sprintf("%d MiB", n>>20)
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append(t.b[:0], t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}
