package server_test

import (
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/githubtest"
	"github.com/wardenbot/warden/bot/store/storetest"
)

// §8 row 38: the database goes away while a job is in flight. While warden
// cannot record what it is doing it writes nothing to GitHub; once the
// database is back the job finishes, with one completed run and one review.
// The outage is a TCP proxy in front of PostgreSQL that drops every
// connection and refuses new ones, as a failover or a network cut does.
func TestRow38DatabaseDownMidJob(t *testing.T) {
	base, err := url.Parse(storetest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	proxy := startOutageProxy(t, base.Host)
	viaProxy := *base
	viaProxy.Host = proxy.addr
	h := startWarden(t, plantedPR(), harnessOpts{dbURL: viaProxy.String()})

	// Hold the job in its first GitHub call, take the database away under
	// it, and let the call return into the outage.
	h.gh.Inject(githubtest.Fault{Method: "GET", Path: "/repos/{owner}/{repo}/pulls/{pull_number}", Times: 1, Delay: 3 * time.Second})
	if res := h.openPR(); res.Status != 202 {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	time.Sleep(time.Second)
	proxy.setDown(true)
	writes := func() int {
		n := 0
		for _, r := range h.gh.Requests() {
			if r.Method != "GET" {
				n++
			}
		}
		return n
	}
	before := writes()
	time.Sleep(6 * time.Second)
	if after := writes(); after != before {
		t.Errorf("%d GitHub writes while the database was down", after-before)
	}
	proxy.setDown(false)

	run := h.completedRun(h.world.HeadSHA, 120*time.Second)
	if run.Conclusion != "failure" {
		t.Errorf("conclusion %q, want failure for the planted key", run.Conclusion)
	}
	h.reviews(1, 20*time.Second)
	h.waitIdle(2*time.Second, 30*time.Second)
	if n := len(h.gh.CheckRuns(h.world.Repo.FullName(), h.world.HeadSHA)); n != 1 {
		t.Errorf("%d check runs after the outage, want 1", n)
	}
	if n := len(h.gh.Reviews(h.world.Repo.FullName(), h.world.PR.Number)); n != 1 {
		t.Errorf("%d reviews after the outage, want 1", n)
	}
	githubtest.AssertNoViolations(t, h.gh)
}

// outageProxy forwards TCP connections to a target until it is set down:
// then it closes every open connection and refuses new ones.
type outageProxy struct {
	addr   string
	target string

	mu    sync.Mutex
	down  bool
	conns map[net.Conn]bool
}

func startOutageProxy(t *testing.T, target string) *outageProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &outageProxy{addr: ln.Addr().String(), target: target, conns: map[net.Conn]bool{}}
	t.Cleanup(func() {
		ln.Close()
		p.setDown(true)
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.serve(c)
		}
	}()
	return p
}

func (p *outageProxy) serve(client net.Conn) {
	p.mu.Lock()
	if p.down {
		p.mu.Unlock()
		client.Close()
		return
	}
	p.mu.Unlock()
	server, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil {
		client.Close()
		return
	}
	p.mu.Lock()
	if p.down { // went down while dialling
		p.mu.Unlock()
		client.Close()
		server.Close()
		return
	}
	p.conns[client], p.conns[server] = true, true
	p.mu.Unlock()
	var wg sync.WaitGroup
	pipe := func(dst, src net.Conn) {
		defer wg.Done()
		_, _ = io.Copy(dst, src)
		dst.Close()
		src.Close()
	}
	wg.Add(2)
	go pipe(server, client)
	go pipe(client, server)
	wg.Wait()
	p.mu.Lock()
	delete(p.conns, client)
	delete(p.conns, server)
	p.mu.Unlock()
}

func (p *outageProxy) setDown(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
	if down {
		for c := range p.conns {
			c.Close()
		}
	}
}
