package server

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/wardenbot/warden/bot/queue"
	"github.com/wardenbot/warden/bot/review"
)

// ReconcileEvery is how often warden looks for pull request heads it never
// reviewed. GitHub does not retry a delivery that failed (an outage answered
// 503, a network split), so this is how such a pull request still gets its
// review.
const ReconcileEvery = 30 * time.Minute

// Reconcile queues a scan for every open pull request whose head has no
// standing verdict for its current base — never reviewed, superseded,
// failed, or a draft's "not yet" on a pull request that is ready now —
// across all installations. It returns how many it queued.
// Scans are unique per head, so running it twice, or on several replicas,
// queues nothing twice.
func (a *App) Reconcile(ctx context.Context) (int, error) {
	installs, err := a.listInstallations(ctx)
	if err != nil {
		return 0, err
	}
	queued := 0
	var errs []error
	for _, inst := range installs {
		if inst.SuspendedAt != nil {
			continue
		}
		n, err := a.reconcileInstallation(ctx, inst.GetID())
		queued += n
		if err != nil {
			errs = append(errs, fmt.Errorf("installation %d: %w", inst.GetID(), err))
		}
	}
	return queued, errors.Join(errs...)
}

func (a *App) listInstallations(ctx context.Context) ([]*github.Installation, error) {
	var out []*github.Installation
	opts := &github.ListOptions{PerPage: 100}
	for page := 0; page < 50; page++ {
		is, resp, err := a.GitHub.App().Apps.ListInstallations(ctx, opts)
		if err != nil {
			return nil, fmt.Errorf("listing installations: %w", err)
		}
		out = append(out, is...)
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	return out, nil
}

// reconcileInstallation looks at the most recently updated open pull
// requests of each repository the installation can see.
func (a *App) reconcileInstallation(ctx context.Context, id int64) (int, error) {
	c := a.GitHub.Installation(id).Client
	repos, _, err := c.Apps.ListRepos(ctx, &github.ListOptions{PerPage: 100})
	if err != nil {
		return 0, fmt.Errorf("listing repositories: %w", err)
	}
	queued := 0
	for _, repo := range repos.Repositories {
		if active, err := a.Store.Active(ctx, id, repo.GetID()); err != nil || !active {
			continue
		}
		prs, _, err := c.PullRequests.List(ctx, repo.GetOwner().GetLogin(), repo.GetName(), &github.PullRequestListOptions{
			State: "open", Sort: "updated", Direction: "desc", ListOptions: github.ListOptions{PerPage: 30},
		})
		if err != nil {
			return queued, fmt.Errorf("listing pull requests of %s: %w", repo.GetFullName(), err)
		}
		for _, pr := range prs {
			head, base := pr.GetHead().GetSHA(), pr.GetBase().GetSHA()
			history, err := a.Store.ScansOfHead(ctx, repo.GetID(), pr.GetNumber(), head)
			if err != nil {
				return queued, err
			}
			if review.VerdictStands(history, base, pr.GetDraft()) {
				continue
			}
			res, err := a.Queue.EnqueueScan(ctx, queue.ScanJob{
				InstallationID: id, Owner: repo.GetOwner().GetLogin(), Repo: repo.GetName(), RepoID: repo.GetID(),
				CloneURL: repo.GetCloneURL(), PR: pr.GetNumber(), HeadSHA: head, BaseRef: pr.GetBase().GetRef(), BaseSHA: base,
				Trigger: "reconcile",
			})
			if err != nil {
				return queued, err
			}
			if !res.Duplicate {
				queued++
			}
		}
	}
	return queued, nil
}

// reconcileLoop runs Reconcile shortly after start and then periodically.
// reconcileEvery turns the option into the queue's period: 0 is the
// default, negative is never.
func reconcileEvery(d time.Duration) time.Duration {
	switch {
	case d < 0:
		return 0
	case d == 0:
		return ReconcileEvery
	}
	return d
}

// reconcileHandler runs the queue's reconcile jobs: the periodic sweep of
// every installation, or one installation.
type reconcileHandler struct{ a *App }

func (h reconcileHandler) HandleReconcile(ctx context.Context, j queue.ReconcileJob) error {
	var (
		n   int
		err error
	)
	if j.InstallationID == 0 {
		n, err = h.a.Reconcile(ctx)
	} else {
		n, err = h.a.reconcileInstallation(ctx, j.InstallationID)
	}
	ev := h.a.opts.Log.Info()
	if err != nil {
		// Not returned: a retry would repeat every installation's reads,
		// and the next period comes anyway.
		ev = h.a.opts.Log.Warn().Err(err)
	}
	ev.Int64("installation", j.InstallationID).Str("reason", j.Reason).Int("queued", n).Msg("reconciled open pull requests")
	return nil
}
