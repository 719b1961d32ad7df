package webhook

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"
)

// Body gate defaults: 64 MiB of request bodies in memory at once, and a
// request that finds no room within a second is answered 503.
const (
	DefaultBodyBudget = 64 << 20
	DefaultBodyWait   = time.Second
	bodyChunk         = 256 << 10
)

// errBusy means the gate had no room for a body within its wait.
var errBusy = errors.New("too many webhook bodies in flight")

// BodyGate bounds the bytes of request bodies held at once, before their
// signature can be checked. Room is reserved as bytes arrive (the
// reservation doubles as a body grows), so a slow client holds only what it
// has sent, and ten thousand of them share one budget instead of holding
// 25 MB each. A body that cannot get room within the wait is refused; the
// wait also breaks the standoff of bodies that each hold part of the budget
// and wait for more.
type BodyGate struct {
	budget int64
	wait   time.Duration

	mu    sync.Mutex
	used  int64
	freed chan struct{} // closed and replaced whenever room is released
}

// NewBodyGate makes a gate for budget bytes; a reservation waits at most
// wait for room.
func NewBodyGate(budget int64, wait time.Duration) *BodyGate {
	return &BodyGate{budget: budget, wait: wait, freed: make(chan struct{})}
}

// read reads r to its end, at most limit bytes (r enforces the limit: the
// gate only needs room for one byte more to see it). release returns the
// room; call it once the body is no longer used.
func (g *BodyGate) read(ctx context.Context, r io.Reader, limit int64) (body []byte, release func(), err error) {
	var held int64
	release = func() {
		g.release(held)
		held = 0
	}
	var buf []byte
	for {
		if int64(len(buf)) == held {
			more := min(max(bodyChunk, held), limit+1-held)
			if err := g.acquire(ctx, more); err != nil {
				release()
				return nil, func() {}, err
			}
			held += more
			grown := make([]byte, len(buf), held)
			copy(grown, buf)
			buf = grown
		}
		n, err := r.Read(buf[len(buf):held])
		buf = buf[:len(buf)+n]
		switch {
		case errors.Is(err, io.EOF):
			return buf, release, nil
		case err != nil:
			release()
			return nil, func() {}, err
		}
	}
}

// acquire reserves n bytes, waiting at most g.wait. Waiters are not
// queued in order: whichever fits when room is freed goes first, so one
// large body does not hold up small ones.
func (g *BodyGate) acquire(ctx context.Context, n int64) error {
	timer := time.NewTimer(g.wait)
	defer timer.Stop()
	for {
		g.mu.Lock()
		if g.used+n <= g.budget {
			g.used += n
			g.mu.Unlock()
			return nil
		}
		freed := g.freed
		g.mu.Unlock()
		select {
		case <-freed:
		case <-timer.C:
			return errBusy
		case <-ctx.Done():
			return errBusy
		}
	}
}

func (g *BodyGate) release(n int64) {
	if n == 0 {
		return
	}
	g.mu.Lock()
	g.used -= n
	close(g.freed)
	g.freed = make(chan struct{})
	g.mu.Unlock()
}
