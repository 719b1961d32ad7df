package queue_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/queue"
	"github.com/wardenbot/warden/bot/store/storetest"
)

const crashURLEnv = "WARDEN_QUEUE_CRASH_HELPER_URL"

// TestCrashHelperProcess is not a test: TestJobSurvivesProcessCrash runs
// the test binary with it as a stand-in `warden serve` that takes the job
// and hangs inside it until killed.
func TestCrashHelperProcess(t *testing.T) {
	url := os.Getenv(crashURLEnv)
	if url == "" {
		t.Skip("helper process only")
	}
	cfg := fastConfig()
	cfg.Workers = 1
	cfg.JobTimeout = -1 // never cancel: the process must die mid-job
	cfg.RescueStuckJobsAfter = time.Hour
	newQueue(t, openStore(t, url), handlers{scan: func(context.Context, queue.ScanJob) error {
		fmt.Println("WARDEN-HELPER-STARTED")
		select {} // hang, ignoring cancellation, until SIGKILL
	}}, cfg)
	select {}
}

func TestJobSurvivesProcessCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for River's leader lease to expire (~20 s)")
	}
	storetest.Each(t, func(t *testing.T, url string) {
		st := openStore(t, url)
		ingress := newQueue(t, st, handlers{}, queue.Config{})
		job, err := ingress.EnqueueScan(ctx, scan(1, 1, "crash"))
		if err != nil {
			t.Fatal(err)
		}

		helper := exec.Command(os.Args[0], "-test.run=^TestCrashHelperProcess$", "-test.v")
		helper.Env = append(os.Environ(), crashURLEnv+"="+url)
		out, err := helper.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		helper.Stderr = os.Stderr
		if err := helper.Start(); err != nil {
			t.Fatal(err)
		}
		started := make(chan struct{})
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				if strings.Contains(sc.Text(), "WARDEN-HELPER-STARTED") {
					close(started)
				}
			}
		}()
		select {
		case <-started:
		case <-time.After(30 * time.Second):
			_ = helper.Process.Kill()
			t.Fatal("helper process never started the job")
		}
		if err := helper.Process.Kill(); err != nil { // kill -9 mid-job
			t.Fatal(err)
		}
		_ = helper.Wait()
		if s := jobState(t, ingress, job.JobID).State; s != "running" {
			t.Fatalf("after the crash the job is %s, want running (orphaned)", s)
		}

		cfg := fastConfig()
		cfg.JobTimeout = time.Second
		cfg.RescueStuckJobsAfter = 2 * time.Second
		resumed := make(chan string, 1)
		newQueue(t, st, handlers{scan: func(_ context.Context, j queue.ScanJob) error {
			resumed <- j.HeadSHA
			return nil
		}}, cfg)
		select {
		case sha := <-resumed:
			if sha != "crash" {
				t.Fatalf("resumed %s, want the crashed job", sha)
			}
		case <-time.After(90 * time.Second):
			t.Fatal("the crashed job was never worked again")
		}
		info := waitState(t, ingress, job.JobID, "completed")
		if info.Attempt != 2 {
			t.Errorf("job completed on attempt %d, want 2 (the crashed attempt counts)", info.Attempt)
		}
	})
}
