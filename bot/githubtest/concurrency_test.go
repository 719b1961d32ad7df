package githubtest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
)

// Many workers of one installation share the fake safely, while a hung
// request does not block the others.
func TestConcurrentUse(t *testing.T) {
	s, w := newWorld(t, WorldSpec{})
	client, _ := installationClient(t, s, w)
	ctx := context.Background()
	if _, _, err := client.Repositories.Get(ctx, w.Repo.Owner, w.Repo.Name); err != nil {
		t.Fatal(err)
	}
	// Times 0: net/http retries an idempotent request once after a dropped
	// connection, and the retry must hang too.
	s.Inject(Fault{Method: "GET", Path: "/repos/{owner}/{repo}/pulls/{pull_number}/files", Action: Hang, Delay: time.Second})
	hung := make(chan error, 1)
	go func() {
		_, _, err := client.PullRequests.ListFiles(ctx, w.Repo.Owner, w.Repo.Name, 1, nil)
		hung <- err
	}()
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := client.Checks.CreateCheckRun(ctx, w.Repo.Owner, w.Repo.Name, github.CreateCheckRunOptions{Name: "warden", HeadSHA: w.HeadSHA})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := len(s.CheckRuns(w.Repo.FullName(), w.HeadSHA)); n != 20 {
		t.Fatalf("%d runs, want 20", n)
	}
	select {
	case err := <-hung:
		if err == nil {
			t.Fatal("the hung request got an answer")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the hung request never ended")
	}
}
