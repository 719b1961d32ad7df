package sandbox_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/sandbox"
	"github.com/wardenbot/warden/config"
	"github.com/wardenbot/warden/internal/gittest"
)

// The test binary is also the child a Process starts.
func TestMain(m *testing.M) { os.Exit(sandbox.RunTests(m)) }

var (
	crashChildOnce sync.Once
	crashChildPath string
	crashChildErr  error
)

// misbehaving is a Process whose child dies the way how names
// (testdata/crashchild), under the limits lim.
func misbehaving(t *testing.T, how string, lim sandbox.Limits) sandbox.Process {
	t.Helper()
	crashChildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "crashchild-")
		if err != nil {
			crashChildErr = err
			return
		}
		crashChildPath = filepath.Join(dir, "crashchild")
		if out, err := exec.Command("go", "build", "-o", crashChildPath, "./testdata/crashchild").CombinedOutput(); err != nil {
			crashChildErr = fmt.Errorf("%v\n%s", err, out)
		}
	})
	if crashChildErr != nil {
		t.Fatalf("building the crashing child: %v", crashChildErr)
	}
	script := filepath.Join(t.TempDir(), "child.sh")
	body := fmt.Sprintf("#!/bin/sh\nMISBEHAVE=%s exec %q \"$@\"\n", how, crashChildPath)
	if err := os.WriteFile(script, []byte(body), 0o700); err != nil {
		t.Fatal(err)
	}
	return sandbox.Process{Exe: script, Limits: lim}
}

func leakedRepo(t *testing.T) (dir, base, head string) { return benchRepo(t) }

func benchRepo(t testing.TB) (dir, base, head string) {
	r := gittest.New(t)
	b := r.Commit("base", map[string]string{"README.md": "hello\n"})
	r.Branch("feature", b)
	h := r.Commit("token", map[string]string{"deploy.sh": "TOKEN=" + "gh" + "p_" + "R8sQ2vLx7KpZ3nW9yT4bH6cJ1mF5dG0aE2uV" + "\n"})
	return filepath.Join(r.Dir, ".git"), b.Hash.String(), h.Hash.String()
}

func request(dir, base, head string) sandbox.Request {
	return sandbox.Request{RepoPath: dir, BaseSHA: base, HeadSHA: head, Config: config.Default(), Env: sandbox.Env{Offline: true}}
}

// TestChildScanMatchesInProcess: a scan in a child finds what the same scan
// in process finds, and the diff comes back for publishing.
func TestChildScanMatchesInProcess(t *testing.T) {
	dir, base, head := leakedRepo(t)
	req := request(dir, base, head)
	child, err := sandbox.Process{}.Scan(context.Background(), req, sandbox.Services{})
	if err != nil {
		t.Fatal(err)
	}
	inproc, err := sandbox.InProcess{}.Scan(context.Background(), req, sandbox.Services{})
	if err != nil {
		t.Fatal(err)
	}
	if len(child.Report.Findings) != 1 || child.Report.Findings[0].RuleID != "secrets/github-pat" {
		t.Fatalf("child found %+v", child.Report.Findings)
	}
	if got, want := child.Report.Findings[0].Fingerprint, inproc.Report.Findings[0].Fingerprint; got != want {
		t.Errorf("fingerprint %s in a child, %s in process", got, want)
	}
	if f := child.Diff.File("deploy.sh"); f == nil || !f.Added.Contains(1) || child.Diff.Head != head {
		t.Errorf("the diff did not come back: %+v", child.Diff)
	}
	if child.Report.Rules["secrets/github-pat"].Title == "" {
		t.Error("rule documentation lost on the way back")
	}
}

// countingRefs is the parent's action-ref resolver.
type countingRefs struct{ n atomic.Int32 }

func (c *countingRefs) ResolveRef(_ context.Context, owner, repo, ref string) (string, error) {
	c.n.Add(1)
	return strings.Repeat("a", 40), nil
}

// TestChildAsksTheParentToResolveActionRefs: the child holds no token; the
// workflows check's ref lookups are served by the parent.
func TestChildAsksTheParentToResolveActionRefs(t *testing.T) {
	r := gittest.New(t)
	b := r.Commit("base", map[string]string{"README.md": "hello\n"})
	r.Branch("feature", b)
	h := r.Commit("ci", map[string]string{".github/workflows/ci.yml": "on: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: someone/tool@v1\n"})
	refs := &countingRefs{}
	res, err := sandbox.Process{}.Scan(context.Background(), request(filepath.Join(r.Dir, ".git"), b.Hash.String(), h.Hash.String()), sandbox.Services{Refs: refs})
	if err != nil {
		t.Fatal(err)
	}
	if refs.n.Load() == 0 {
		t.Fatalf("the parent's resolver was never asked; findings %+v", res.Report.Findings)
	}
}

// TestChildDeathsAreCrashesThatNameTheCause: whatever way the child dies,
// the parent survives and says why, without quoting what the child read.
func TestChildDeathsAreCrashesThatNameTheCause(t *testing.T) {
	dir, base, head := leakedRepo(t)
	for _, tc := range []struct {
		how   string
		lim   sandbox.Limits
		cause string
	}{
		{"oom", sandbox.Limits{Memory: 512 << 20}, "ran out of memory (limit 512 MiB)"},
		{"spin", sandbox.Limits{CPU: time.Second}, "processor time"},
		{"hang", sandbox.Limits{Wall: 2 * time.Second}, "took longer than 2s"},
		{"panic", sandbox.Limits{}, "runtime panic"},
		{"silent", sandbox.Limits{}, "exited without a result"},
		{"garbage", sandbox.Limits{}, "unreadable result"},
	} {
		t.Run(tc.how, func(t *testing.T) {
			start := time.Now()
			_, err := misbehaving(t, tc.how, tc.lim).Scan(context.Background(), request(dir, base, head), sandbox.Services{})
			var crash *sandbox.CrashError
			if !errors.As(err, &crash) {
				t.Fatalf("want a crash, got %v", err)
			}
			if !strings.Contains(crash.Cause, tc.cause) {
				t.Errorf("cause %q, want it to say %q", crash.Cause, tc.cause)
			}
			if strings.Contains(crash.Error(), "AKIA") {
				t.Errorf("the crash quotes what the child held: %q", crash.Error())
			}
			if took := time.Since(start); took > 30*time.Second {
				t.Errorf("took %s to notice", took)
			}
		})
	}
}

// TestChildEnvironmentHoldsNoSecrets: the process that reads untrusted
// input never sees the App's key, the webhook secret or the database URL.
func TestChildEnvironmentHoldsNoSecrets(t *testing.T) {
	t.Setenv("WARDEN_PRIVATE_KEY", "-----BEGIN RSA PRIVATE KEY-----")
	t.Setenv("WARDEN_WEBHOOK_SECRET", "hook-secret")
	t.Setenv("WARDEN_DATABASE_URL", "postgres://warden:pw@db/warden")
	dir, base, head := leakedRepo(t)
	_, err := misbehaving(t, "env", sandbox.Limits{}).Scan(context.Background(), request(dir, base, head), sandbox.Services{})
	if err == nil {
		t.Fatal("want the child's environment reported as its error")
	}
	for _, leaked := range []string{"PRIVATE KEY", "hook-secret", "postgres://", "WARDEN_APP", "HOME="} {
		if strings.Contains(err.Error(), leaked) {
			t.Errorf("the child's environment holds %q: %s", leaked, err)
		}
	}
	if !strings.Contains(err.Error(), "WARDEN_SANDBOX_MEMORY=") {
		t.Errorf("the child did not get its limits: %s", err)
	}
}

// TestCancelStopsTheChild: a superseded job's context ends; the child is
// stopped at once and the parent gets the context's error, not a crash.
func TestCancelStopsTheChild(t *testing.T) {
	dir, base, head := leakedRepo(t)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(500*time.Millisecond, cancel)
	start := time.Now()
	_, err := misbehaving(t, "hang", sandbox.Limits{}).Scan(ctx, request(dir, base, head), sandbox.Services{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("stopping the child took %s", took)
	}
}

// BenchmarkScan compares a scan in a child process with the same scan in
// process, on a small change and on a 3,000-file one: the difference is
// what isolation costs per review (a process start, and the checks'
// one-time set-up, which a long-lived process pays once, and a warm spare
// child pays before the review comes).
func BenchmarkScan(b *testing.B) {
	for _, size := range []int{3, 3000} {
		dir, base, head := changeOf(b, size)
		req := request(dir, base, head)
		for _, bc := range []struct {
			name string
			s    sandbox.Scanner
		}{{"child", sandbox.Process{}}, {"warm-child", sandbox.NewProcess("", sandbox.Limits{})}, {"in-process", sandbox.InProcess{}}} {
			b.Run(fmt.Sprintf("files=%d/%s", size, bc.name), func(b *testing.B) {
				for b.Loop() {
					if _, err := bc.s.Scan(context.Background(), req, sandbox.Services{}); err != nil {
						b.Fatal(err)
					}
					// Reviews come apart, not back to back: give the
					// spare the time to warm up that it has in service.
					b.StopTimer()
					time.Sleep(300 * time.Millisecond)
					b.StartTimer()
				}
			})
		}
	}
}

// changeOf is a branch that adds n source files of 40 lines each.
func changeOf(b *testing.B, n int) (dir, base, head string) {
	r := gittest.New(b)
	bc := r.Commit("base", map[string]string{"README.md": "hello\n"})
	r.Branch("feature", bc)
	files := map[string]string{}
	for i := range n {
		var body strings.Builder
		fmt.Fprintf(&body, "package p%d\n\n", i%50)
		for l := range 38 {
			fmt.Fprintf(&body, "func f%d_%d(x int) int { return x * %d }\n", i, l, l)
		}
		files[fmt.Sprintf("pkg/p%d/f%d.go", i%50, i)] = body.String()
	}
	h := r.Commit("change", files)
	return filepath.Join(r.Dir, ".git"), bc.Hash.String(), h.Hash.String()
}
