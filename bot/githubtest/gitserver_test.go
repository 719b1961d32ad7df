package githubtest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
)

func cloneBare(ctx context.Context, t *testing.T, url, tok string) (*git.Repository, error) {
	t.Helper()
	return git.PlainCloneContext(ctx, t.TempDir(), true, &git.CloneOptions{
		URL: url, Auth: &githttp.BasicAuth{Username: "x-access-token", Password: tok},
	})
}

func TestGitCloneAuth(t *testing.T) {
	s, w := newWorld(t, WorldSpec{Private: true})
	ctx := context.Background()
	tok := mintToken(t, s, w)

	repo, err := cloneBare(ctx, t, w.CloneURL, tok)
	if err != nil {
		t.Fatalf("clone with a valid token: %v", err)
	}
	err = repo.FetchContext(ctx, &git.FetchOptions{
		RefSpecs: []config.RefSpec{"+refs/pull/1/head:refs/remotes/pr/1"},
		Auth:     &githttp.BasicAuth{Username: "x-access-token", Password: tok},
	})
	if err != nil {
		t.Fatalf("fetch refs/pull/1/head: %v", err)
	}
	ref, err := repo.Reference("refs/remotes/pr/1", true)
	if err != nil || ref.Hash().String() != w.HeadSHA {
		t.Fatalf("refs/pull/1/head = %v %v, want %s", ref, err, w.HeadSHA)
	}

	if _, err := cloneBare(ctx, t, w.CloneURL, "ghs_not_a_token"); err == nil {
		t.Fatal("clone with an invalid token succeeded")
	}
	other, err := s.CreateRepository(RepoSpec{Owner: w.Repo.Owner, Name: "other"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Commit(other.FullName(), CommitSpec{Branch: "main", Files: map[string]string{"x": "y"}}); err != nil {
		t.Fatal(err)
	}
	narrowTok := narrowToken(t, s, w, other.ID)
	if _, err := cloneBare(ctx, t, w.CloneURL, narrowTok); err == nil {
		t.Fatal("clone with a token scoped to another repository succeeded")
	}
	if _, err := cloneBare(ctx, t, s.URL()+"/"+other.FullName()+".git", narrowTok); err != nil {
		t.Fatalf("clone of the token's own repository: %v", err)
	}
	s.SetClockOffset(2 * time.Hour)
	if _, err := cloneBare(ctx, t, w.CloneURL, tok); err == nil {
		t.Fatal("clone with an expired token succeeded")
	}
}

func narrowToken(t *testing.T, s *Server, w *World, repoID int64) string {
	t.Helper()
	status, body := appCallBody(t, s, "POST", "/app/installations/"+itoa(int(w.Installation.ID))+"/access_tokens", map[string]any{"repository_ids": []int64{repoID}})
	if status != 201 {
		t.Fatalf("narrow token: %d %v", status, body)
	}
	return body["token"].(string)
}

func TestForkPullRequestRef(t *testing.T) {
	s, w := newWorld(t, WorldSpec{Fork: true, Author: "mallory"})
	if w.HeadRepo.FullName() != "mallory/app" {
		t.Fatalf("head repo %s", w.HeadRepo.FullName())
	}
	repo, err := cloneBare(context.Background(), t, w.CloneURL, mintToken(t, s, w))
	if err != nil {
		t.Fatal(err)
	}
	err = repo.Fetch(&git.FetchOptions{
		RefSpecs: []config.RefSpec{"+refs/pull/1/head:refs/pr"},
		Auth:     &githttp.BasicAuth{Username: "x-access-token", Password: mintToken(t, s, w)},
	})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		t.Fatal(err)
	}
	ref, err := repo.Reference("refs/pr", true)
	if err != nil || ref.Hash().String() != w.HeadSHA {
		t.Fatalf("fork head via refs/pull/1/head: %v %v", ref, err)
	}
	// A push to the fork moves the PR and its ref.
	sha, err := s.PushToPullRequest(w.Repo.FullName(), 1, CommitSpec{Files: map[string]string{"more.txt": "x\n"}})
	if err != nil {
		t.Fatal(err)
	}
	if pr, _ := s.PullRequest(w.Repo.FullName(), 1); pr.HeadSHA != sha {
		t.Fatalf("PR head %s, want %s", pr.HeadSHA, sha)
	}
	r, _ := s.openRepo(w.Repo.FullName())
	if got, err := r.Reference(plumbing.ReferenceName("refs/pull/1/head"), true); err != nil || got.Hash().String() != sha {
		t.Fatalf("refs/pull/1/head after push: %v %v", got, err)
	}
}

func TestGitFaults(t *testing.T) {
	s, w := newWorld(t, WorldSpec{})
	tok := mintToken(t, s, w)
	t.Run("drop mid-pack", func(t *testing.T) {
		s.Git().Inject(GitFault{Phase: "pack", Times: 1, DropAfterBytes: 40})
		if _, err := cloneBare(context.Background(), t, w.CloneURL, tok); err == nil {
			t.Fatal("clone survived a dropped pack")
		}
	})
	t.Run("stall until the client gives up", func(t *testing.T) {
		s.Git().Inject(GitFault{Phase: "pack", Times: 1, Hang: true})
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		defer cancel()
		if _, err := cloneBare(ctx, t, w.CloneURL, tok); err == nil {
			t.Fatal("clone survived a stalled server")
		}
	})
	t.Run("slow trickle still completes", func(t *testing.T) {
		s.Git().Inject(GitFault{Phase: "refs", Times: 1, BytesPerSecond: 2000})
		start := time.Now()
		if _, err := cloneBare(context.Background(), t, w.CloneURL, tok); err != nil {
			t.Fatalf("trickled clone: %v", err)
		}
		if time.Since(start) < 100*time.Millisecond {
			t.Fatal("the trickle did not slow the clone down")
		}
	})
	t.Run("5xx", func(t *testing.T) {
		s.Git().Inject(GitFault{Phase: "refs", Times: 1, Status: 503})
		if _, err := cloneBare(context.Background(), t, w.CloneURL, tok); err == nil {
			t.Fatal("clone survived a 503")
		}
	})
}
