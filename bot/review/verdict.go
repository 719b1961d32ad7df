package review

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/wardenbot/warden/bot/publish"
	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/config"
)

// A verdict is for one head, reviewed against one base commit with one
// effective configuration (the organisation's defaults and the
// repository's file, as warden's version reads them). The store keeps one
// record per attempt at a verdict; a new event for a head whose verdict is
// current changes nothing, and anything else produces a fresh one.

// maxOrphanedAttempts is how many attempts at one verdict may die with the
// process (a record left in progress) before the head is treated as one
// whose scan brings warden down.
const maxOrphanedAttempts = 2

// configDigest identifies an effective configuration, or the error that
// made it unusable.
func configDigest(cfg *config.Config, cfgErr error, version string) string {
	var b []byte
	if cfgErr != nil {
		b = []byte("error\x00" + cfgErr.Error())
	} else if j, err := json.Marshal(cfg); err == nil {
		b = j
	}
	h := sha256.Sum256(append(b, "\x00"+version...))
	return hex.EncodeToString(h[:12])
}

// verdictCurrent reports whether the head already carries a verdict for the
// pull request's current base and configuration, published on warden's own
// check run, that a new event would only repeat.
func (x *run) verdictCurrent(ctx context.Context, history []store.Scan) (bool, error) {
	last := latestFor(history, x.base, x.configDigest)
	if last == nil || !settled(*last, x.pr.GetDraft()) {
		return false, nil
	}
	cr, err := x.gh.checkRun(ctx, x.job.HeadSHA)
	if err != nil {
		return false, fmt.Errorf("listing check runs: %w", err)
	}
	if cr == nil || cr.GetStatus() != "completed" || cr.GetConclusion() != last.Conclusion {
		return false, nil
	}
	x.log.Info().Str("conclusion", last.Conclusion).Int64("scan", last.ID).Msg("the published verdict is current; nothing to do")
	return true, nil
}

// settled reports whether a recorded attempt ended in a verdict that stands
// for its head, base and configuration. A draft's "not reviewed yet" stands
// only while the pull request is a draft; a failed or superseded attempt
// never does.
func settled(sc store.Scan, draft bool) bool {
	switch sc.Status {
	case store.ScanCompleted, store.ScanCrashed:
		return true
	case store.ScanNotReviewed:
		return sc.Conclusion != publish.ConclusionActionRequired || draft
	}
	return false
}

// VerdictStands reports whether a pull request's head already carries a
// verdict for base that stands (whatever the configuration): what the
// reconcile sweep asks before queueing a head again. history is the head's
// attempts, newest first (store.ScansOfHead).
func VerdictStands(history []store.Scan, base string, draft bool) bool {
	for _, sc := range history {
		if sc.BaseSHA == base && sc.Status != store.ScanInProgress {
			return settled(sc, draft)
		}
	}
	return false
}

// latestFor is the newest attempt at the verdict for base and digest.
func latestFor(history []store.Scan, base, digest string) *store.Scan {
	for i := range history { // newest first
		if history[i].BaseSHA == base && history[i].ConfigDigest == digest {
			return &history[i]
		}
	}
	return nil
}

// crashedBefore says why this verdict must not be attempted again: an
// earlier attempt crashed the scanner, or attempts died with the process
// too often. "" when neither happened.
func crashedBefore(history []store.Scan, base, digest string) string {
	orphaned := 0
	for _, sc := range history {
		if sc.BaseSHA != base || sc.ConfigDigest != digest {
			continue
		}
		switch {
		case sc.Status == store.ScanCrashed:
			return "crashed in an earlier attempt"
		case sc.Status == store.ScanCompleted:
			return "" // a later attempt succeeded
		case sc.Status == store.ScanInProgress:
			orphaned++
		}
	}
	if orphaned >= maxOrphanedAttempts {
		return fmt.Sprintf("stopped warden %d times without finishing", orphaned)
	}
	return ""
}

// startScan records the attempt before anything is fetched or scanned: a
// record left in progress is how a later attempt learns that this one died.
func (x *run) startScan(ctx context.Context, src publish.ConfigSource) error {
	source := "defaults"
	if src.Path != "" {
		source = src.Path + "@" + src.SHA
	}
	id, err := x.r.Store.StartScan(ctx, store.Scan{
		InstallationID: x.job.InstallationID, Repo: x.repo, PR: x.job.PR,
		BaseSHA: x.base, HeadSHA: x.job.HeadSHA, JobID: x.job.JobID,
		Trigger:      store.Trigger{Event: x.job.Event, DeliveryID: x.job.DeliveryID, Actor: x.job.Actor},
		ConfigDigest: x.configDigest, ConfigSource: source,
	})
	if err != nil {
		return fmt.Errorf("recording the scan: %w", err)
	}
	x.scanID = id
	if x.cr != nil {
		if err := x.r.Store.SetCheckRun(ctx, id, x.cr.GetID()); err != nil {
			x.log.Warn().Err(err).Msg("could not record the check run")
		}
	}
	return nil
}

// recordAttempt closes this attempt's record; it is best effort, since the
// check run already carries the outcome.
func (x *run) recordAttempt(ctx context.Context, status store.ScanStatus, conclusion string) {
	x.recordResult(ctx, store.ScanResult{Status: status, Conclusion: conclusion})
}

func (x *run) recordResult(ctx context.Context, res store.ScanResult) {
	if x.scanID == 0 || x.finished {
		return
	}
	x.finished = true
	if err := x.r.Store.FinishScan(ctx, x.scanID, res); err != nil {
		x.log.Warn().Err(err).Msg("could not record the scan's result")
	}
}

// complete writes the check run's final state, then records the verdict.
func (x *run) complete(ctx context.Context, out publish.CheckRun, annotations []*github.CheckRunAnnotation, status store.ScanStatus) error {
	if x.cr == nil {
		x.recordAttempt(ctx, status, out.Conclusion)
		return nil
	}
	_, err := x.gh.updateCheckRun(ctx, x.cr.GetID(), github.UpdateCheckRunOptions{
		Status: github.String("completed"), Conclusion: github.String(out.Conclusion), CompletedAt: &github.Timestamp{Time: time.Now()},
		Output: &github.CheckRunOutput{Title: github.String(out.Title), Summary: github.String(out.Summary), Annotations: annotations},
	})
	if err != nil {
		return err
	}
	x.recordAttempt(ctx, status, out.Conclusion)
	x.log.Info().Str("conclusion", out.Conclusion).Str("title", out.Title).Msg("check run completed")
	return nil
}

// finishNotReviewed completes the run for a head warden reviewed nothing
// of; the conclusion never passes (see publish.NotReviewed).
func (x *run) finishNotReviewed(ctx context.Context, nr publish.NotReviewed, status store.ScanStatus) error {
	in := publish.Input{NotReviewed: &nr, HeadSHA: x.job.HeadSHA, Version: x.r.Version, OnUnscanned: x.onUnscanned, Config: x.src}
	return x.complete(ctx, publish.CheckRunOutput(in), nil, status)
}
