package main

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wardenbot/warden/internal/gittest"
	"github.com/wardenbot/warden/internal/wardenbin"
)

// Hostile inputs are scanned by the real binary in a child process under the
// limits a pull request author cannot lift: 2 GiB of address space and a
// minute of wall clock. The child is the warden command built without the
// race detector, whose shadow memory does not fit in 2 GiB.

const (
	hostileAddressSpaceKiB = 2 << 20 // ulimit -v takes KiB: 2 GiB
	hostileWallClock       = 60 * time.Second
)

// constrainedResult is how a constrained scan ended.
type constrainedResult struct {
	Code           int
	Stdout, Stderr string
	Signal         string // set when the child was killed by a signal
	Took           time.Duration
}

// scanConstrained runs `warden scan ARGS…` under the address-space and
// wall-clock limits. It fails the test when the child is killed by a signal
// or runs out of time: a hostile input must end in a verdict, never a crash.
func scanConstrained(t *testing.T, args ...string) constrainedResult {
	t.Helper()
	bin := wardenbin.Path(t)
	ctx, cancel := context.WithTimeout(context.Background(), hostileWallClock)
	defer cancel()
	script := `ulimit -v ` + strconv.Itoa(hostileAddressSpaceKiB) + ` && exec "$0" "$@"`
	cmd := exec.CommandContext(ctx, "sh", append([]string{"-c", script, bin, "scan"}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	res := constrainedResult{Stdout: out.String(), Stderr: errb.String(), Took: time.Since(start)}
	if ctx.Err() != nil {
		t.Fatalf("warden scan %s ran past %s\nstderr: %s", strings.Join(args, " "), hostileWallClock, clip(res.Stderr))
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		res.Code = exit.ExitCode()
		if res.Code < 0 {
			res.Signal = exit.String()
			t.Fatalf("warden scan %s was killed (%s) after %s\nstderr: %s", strings.Join(args, " "), res.Signal, res.Took, clip(res.Stderr))
		}
	default:
		t.Fatal(err)
	}
	return res
}

func clip(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}

// TestConstrainedScanOfAnOrdinaryBranch shows the harness itself: an
// ordinary branch with a leaked token is scanned under the limits and blocks.
func TestConstrainedScanOfAnOrdinaryBranch(t *testing.T) {
	r := gittest.New(t)
	base := r.Commit("base", map[string]string{"README.md": "hello\n"})
	r.Branch("feature", base)
	r.Commit("add a token", map[string]string{"deploy.sh": "TOKEN=" + githubToken() + "\n"})
	res := scanConstrained(t, "--offline", "--base", "main", "--format", "json", r.Dir)
	if res.Code != exitFindings {
		t.Fatalf("want exit %d (the token blocks), got %d\nstdout: %s\nstderr: %s", exitFindings, res.Code, clip(res.Stdout), clip(res.Stderr))
	}
	if out := decode(t, res.Stdout); len(out.Findings) == 0 || out.Findings[0].RuleID != "secrets/github-pat" {
		t.Fatalf("want the token found, got %+v", out.Findings)
	}
}
