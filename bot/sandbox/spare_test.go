package sandbox

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/wardenbot/warden/config"
	"github.com/wardenbot/warden/internal/gittest"
)

// TestSpareChildServesTheNextScan: a Process that keeps a spare child
// scans with it and starts another; a spare that died while it waited is
// replaced rather than taken for a crash of the scan.
func TestSpareChildServesTheNextScan(t *testing.T) {
	r := gittest.New(t)
	b := r.Commit("base", map[string]string{"README.md": "hello\n"})
	r.Branch("feature", b)
	h := r.Commit("token", map[string]string{"deploy.sh": "TOKEN=" + "gh" + "p_" + "R8sQ2vLx7KpZ3nW9yT4bH6cJ1mF5dG0aE2uV" + "\n"})
	req := Request{RepoPath: filepath.Join(r.Dir, ".git"), BaseSHA: b.Hash.String(), HeadSHA: h.Hash.String(), Config: config.Default(), Env: Env{Offline: true}}

	p := NewProcess("", Limits{})
	defer p.Close()
	for i := range 3 {
		res, err := p.Scan(context.Background(), req, Services{})
		if err != nil || len(res.Report.Findings) != 1 {
			t.Fatalf("scan %d: %v", i, err)
		}
	}
	// The spare dies while it waits, as the kernel may kill an idle one.
	deadline := time.Now().Add(30 * time.Second)
	var spare *proc
	for spare == nil && time.Now().Before(deadline) {
		select {
		case spare = <-p.spare.ch:
		default:
			time.Sleep(20 * time.Millisecond)
		}
	}
	if spare == nil {
		t.Fatal("no spare child was started")
	}
	syscall.Kill(spare.cmd.Process.Pid, syscall.SIGKILL)
	p.spare.ch <- spare
	if _, err := p.Scan(context.Background(), req, Services{}); err != nil {
		t.Fatalf("after the spare died: %v", err)
	}
}
