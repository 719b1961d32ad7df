package sandbox

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"

	"github.com/wardenbot/warden/bot/sandbox/limits"
	"github.com/wardenbot/warden/bot/workspace"
	"github.com/wardenbot/warden/checks/all"
	"github.com/wardenbot/warden/config"
)

// IsChild reports whether this process was started as a scan child; the
// binary's main (and a test binary's TestMain) then calls RunChild instead
// of doing anything else.
func IsChild() bool { return os.Getenv(envChild) == "1" }

// RunTests is a test binary's TestMain for packages whose tests start
// scans: the test binary is then also the child, as warden's own binary is
// in production. Use it as os.Exit(sandbox.RunTests(m)).
func RunTests(m interface{ Run() int }) int {
	if IsChild() {
		return RunChild()
	}
	return m.Run()
}

// RunChild is a child's whole life: apply the limits, read the request,
// scan, answer. It returns the process exit status.
func RunChild() int {
	if err := limits.Apply(); err != nil {
		fmt.Fprintln(os.Stderr, "sandbox: limits:", err)
		return 3
	}
	in, out := os.NewFile(3, "from-parent"), os.NewFile(4, "to-parent")
	if in == nil || out == nil {
		fmt.Fprintln(os.Stderr, "sandbox: started without its pipes")
		return 3
	}
	warmUp()
	return newChild(in, out).run()
}

// warmUp builds what every scan needs (the secrets rule sets, above all)
// before the request comes: a spare child does it while it waits.
func warmUp() {
	_, _ = all.Build(config.Default(), all.Env{Offline: true})
}

type child struct {
	dec *json.Decoder
	out io.Writer

	mu      sync.Mutex // guards writes to out and pending
	enc     *json.Encoder
	pending map[int64]chan reply
	nextID  atomic.Int64
	gone    chan struct{} // closed when the parent stops talking
}

func newChild(in io.Reader, out io.Writer) *child {
	return &child{dec: json.NewDecoder(bufio.NewReader(in)), out: out, enc: json.NewEncoder(out),
		pending: map[int64]chan reply{}, gone: make(chan struct{})}
}

func (c *child) run() int {
	var first toChild
	if err := c.dec.Decode(&first); err != nil || first.Request == nil {
		fmt.Fprintln(os.Stderr, "sandbox: no request from the parent")
		return 3
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go c.readReplies(cancel)

	res, err := scan(ctx, *first.Request, refClient{c})
	o := &outcome{}
	if err != nil {
		o.Error, o.CacheUnreadable = err.Error(), workspace.Unreadable(err)
	} else {
		o.Report, o.Base, o.Head, o.Files = res.Report, res.Diff.Base, res.Diff.Head, res.Diff.Files
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.enc.Encode(fromChild{Outcome: o}); err != nil {
		fmt.Fprintln(os.Stderr, "sandbox: writing the outcome:", err)
		return 3
	}
	return 0
}

// readReplies hands each reply to the call waiting for it. When the parent
// goes away the scan is cancelled: nobody is left to read its result.
func (c *child) readReplies(cancel context.CancelFunc) {
	defer func() {
		close(c.gone)
		cancel()
	}()
	for {
		var m toChild
		if err := c.dec.Decode(&m); err != nil {
			return
		}
		if m.Reply == nil {
			continue
		}
		c.mu.Lock()
		ch := c.pending[m.Reply.ID]
		delete(c.pending, m.Reply.ID)
		c.mu.Unlock()
		if ch != nil {
			ch <- *m.Reply
		}
	}
}

// call asks the parent and waits for its answer.
func (c *child) call(ctx context.Context, method string, params, result any) error {
	p, err := json.Marshal(params)
	if err != nil {
		return err
	}
	id := c.nextID.Add(1)
	ch := make(chan reply, 1)
	c.mu.Lock()
	c.pending[id] = ch
	err = c.enc.Encode(fromChild{Call: &call{ID: id, Method: method, Params: p}})
	c.mu.Unlock()
	if err != nil {
		return fmt.Errorf("sandbox: asking the parent: %w", err)
	}
	select {
	case r := <-ch:
		if r.Error != "" {
			return errors.New(r.Error)
		}
		return json.Unmarshal(r.Result, result)
	case <-c.gone:
		return errors.New("sandbox: the parent went away")
	case <-ctx.Done():
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
		return ctx.Err()
	}
}

// refClient is the workflows check's RefResolver in a child: the parent,
// which holds the installation's token, does the lookup.
type refClient struct{ c *child }

func (r refClient) ResolveRef(ctx context.Context, owner, repo, ref string) (string, error) {
	var sha string
	err := r.c.call(ctx, methodResolveRef, resolveRefParams{Owner: owner, Repo: repo, Ref: ref}, &sha)
	return sha, err
}
