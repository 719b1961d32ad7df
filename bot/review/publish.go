package review

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/wardenbot/warden/bot/publish"
	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/checks"
	"github.com/wardenbot/warden/config"
)

// publish writes the check run, its annotations and the review, then
// follows up on findings this push fixed.
func (x *run) publish(ctx context.Context, cfg *config.Config, src publish.ConfigSource, diff *checks.Diff, rep *checks.Report) error {
	scanID := x.scanID
	var obs []store.Observation
	for _, f := range rep.New() {
		obs = append(obs, store.Observation{Fingerprint: f.Fingerprint, RuleID: f.RuleID, Path: f.Path, Line: f.StartLine, Severity: f.Severity.String(), Message: f.Message})
	}
	observed, err := x.r.Store.ObserveFindings(ctx, store.ScanRef{ScanID: scanID, Repo: x.repo, PR: x.job.PR, HeadSHA: x.job.HeadSHA}, obs)
	if err != nil {
		return fmt.Errorf("recording findings: %w", err)
	}
	in, err := x.input(ctx, cfg, src, diff, rep)
	if err != nil {
		return err
	}
	out := publish.CheckRunOutput(in)
	if ok, err := x.stillCurrent(ctx); err != nil || !ok {
		if err == nil {
			return x.finishSuperseded(ctx, "")
		}
		return err
	}
	if err := x.writeCheckRun(ctx, out, publish.Annotations(in)); err != nil {
		return err
	}
	if err := x.writeReview(ctx, cfg, in); err != nil {
		return err
	}
	x.followUpFixed(ctx, observed.Fixed)
	counts := store.ScanCounts{}
	for _, f := range rep.Findings {
		_, ignored := in.Ignored[f.Fingerprint]
		switch {
		case ignored:
			bump(&counts.Ignored, f.Severity)
		case f.New:
			bump(&counts.New, f.Severity)
		default:
			bump(&counts.PreExisting, f.Severity)
		}
		if x.r.Metrics != nil {
			x.r.Metrics.Finding(string(f.Category), f.Severity.String(), f.New)
		}
	}
	x.recordResult(ctx, store.ScanResult{Status: store.ScanCompleted, Conclusion: out.Conclusion, Counts: counts})
	if x.r.Metrics != nil {
		x.r.Metrics.Scan(out.Conclusion, time.Since(x.start))
	}
	x.log.Info().Str("conclusion", out.Conclusion).Int("new", len(rep.New())).Int("preexisting", rep.Preexisting()).Dur("took", time.Since(x.start)).Msg("review published")
	return nil
}

// input assembles what the publisher renders: suppressions, approvals and
// links come from the store and the configuration.
func (x *run) input(ctx context.Context, cfg *config.Config, src publish.ConfigSource, diff *checks.Diff, rep *checks.Report) (publish.Input, error) {
	in := publish.Input{
		Report: rep, Diff: diff, FailOn: cfg.FailOn, HeadSHA: x.job.HeadSHA,
		BaseBranch: x.pr.GetBase().GetRef(), Config: src, Version: x.r.Version,
		Link:    publish.BlobLinks(x.r.WebURL(), x.job.Owner, x.job.Repo, x.job.HeadSHA),
		Ignored: map[string]publish.Suppression{}, OnUnscanned: cfg.OnUnscanned,
	}
	sups, err := x.r.Store.ActiveSuppressions(ctx, x.job.RepoID, x.job.PR)
	if err != nil {
		return in, fmt.Errorf("reading suppressions: %w", err)
	}
	for _, s := range sups {
		in.Ignored[s.Fingerprint] = publish.Suppression{Reason: strings.TrimSpace(string(s.Kind) + ": " + s.Reason), By: s.By}
	}
	in.Approval, err = x.approval(ctx, cfg, diff)
	return in, err
}

// approval works out which approval rules the change falls under and
// whether each has an approval for this head. An approval counts only for
// the rule it was given under: the rule as read from this base (its paths,
// its approver, the files it covers — the digest) and the same approver, so
// a new base whose configuration changed the rule or its team needs a new
// one. Each rule is approved on its own, by its own approver.
func (x *run) approval(ctx context.Context, cfg *config.Config, diff *checks.Diff) (publish.Approval, error) {
	var a publish.Approval
	if diff == nil {
		return a, nil
	}
	rules := config.TouchedRules(cfg, diff.Files)
	if len(rules) == 0 {
		return a, nil
	}
	a.Required, a.Paths = true, config.TouchedPaths(rules)
	var missing, approvers []string
	for _, rule := range rules {
		ra := publish.RuleApproval{Name: rule.Name(), Paths: rule.Touched, By: rule.Who.String()}
		approvals, err := x.r.Store.ApprovalsFor(ctx, x.job.RepoID, x.job.PR, x.job.HeadSHA, rule.Digest)
		if err != nil {
			return a, fmt.Errorf("reading approvals: %w", err)
		}
		for _, ap := range approvals {
			if ap.Team == rule.Who.String() {
				ra.ApprovedBy = ap.By
				break
			}
		}
		if ra.ApprovedBy == "" {
			missing = append(missing, approverTitle(rule.Who))
		} else {
			approvers = append(approvers, ra.ApprovedBy)
		}
		a.Rules = append(a.Rules, ra)
	}
	if len(missing) > 0 {
		a.By = strings.Join(slices.Compact(slices.Sorted(slices.Values(missing))), ", ")
	} else {
		a.ApprovedBy = strings.Join(slices.Compact(slices.Sorted(slices.Values(approvers))), ", ")
	}
	return a, nil
}

// approverTitle names who must approve in the check run's title.
func approverTitle(who config.Who) string {
	switch {
	case who.Team != "":
		return who.Team
	case who.Level == config.ByAdmin:
		return "a repository admin"
	}
	return "someone with write access"
}

// writeCheckRun completes the run in batches of at most 50 annotations.
// PATCHes append annotations, so a retried job first asks how many the run
// already has and skips those.
func (x *run) writeCheckRun(ctx context.Context, out publish.CheckRun, batches [][]publish.Annotation) error {
	have, err := x.gh.annotationsCount(ctx, x.cr.GetID())
	if err != nil {
		return fmt.Errorf("reading the check run: %w", err)
	}
	output := func(anns []publish.Annotation) *github.CheckRunOutput {
		o := &github.CheckRunOutput{Title: github.String(out.Title), Summary: github.String(out.Summary)}
		for _, a := range anns {
			ga := &github.CheckRunAnnotation{Path: github.String(a.Path), StartLine: github.Int(a.StartLine), EndLine: github.Int(a.EndLine),
				AnnotationLevel: github.String(a.Level), Message: github.String(a.Message)}
			if a.Title != "" {
				ga.Title = github.String(a.Title)
			}
			if a.RawDetails != "" {
				ga.RawDetails = github.String(a.RawDetails)
			}
			if a.StartColumn > 0 && a.StartLine == a.EndLine {
				ga.StartColumn, ga.EndColumn = github.Int(a.StartColumn), github.Int(max(a.EndColumn, a.StartColumn))
			}
			o.Annotations = append(o.Annotations, ga)
		}
		return o
	}
	var pending [][]publish.Annotation
	skipped := 0
	for _, b := range batches {
		if skipped+len(b) <= have {
			skipped += len(b)
			continue
		}
		pending = append(pending, b)
	}
	for i := 0; i < len(pending)-1; i++ {
		if _, err := x.gh.updateCheckRun(ctx, x.cr.GetID(), github.UpdateCheckRunOptions{Output: output(pending[i])}); err != nil {
			return fmt.Errorf("adding annotations: %w", err)
		}
	}
	var last []publish.Annotation
	if len(pending) > 0 {
		last = pending[len(pending)-1]
	}
	_, err = x.gh.updateCheckRun(ctx, x.cr.GetID(), github.UpdateCheckRunOptions{
		Status: github.String("completed"), Conclusion: github.String(out.Conclusion),
		CompletedAt: &github.Timestamp{Time: time.Now()}, Output: output(last),
		Actions: []*github.CheckRunAction{{Label: "Re-scan", Description: "Run warden again on this commit", Identifier: "rescan"}},
	})
	if err != nil {
		return fmt.Errorf("completing the check run: %w", err)
	}
	return nil
}

// writeReview posts one COMMENT review with the findings not commented on
// before. Markers in warden's own earlier comments — and only warden's —
// say what was posted, so a crash after GitHub committed a review cannot
// cause a duplicate.
func (x *run) writeReview(ctx context.Context, cfg *config.Config, in publish.Input) error {
	already := map[string]bool{}
	comments, err := x.gh.botComments(ctx, x.job.PR, x.bot)
	if err != nil {
		return fmt.Errorf("listing review comments: %w", err)
	}
	byFP := map[string]int64{}
	for _, c := range comments {
		for _, fp := range publish.ParseMarkers(c.GetBody()) {
			already[fp] = true
			byFP[fp] = c.GetID()
		}
	}
	listed, err := x.gh.botReviewMarkers(ctx, x.job.PR, x.bot)
	if err != nil {
		return fmt.Errorf("listing reviews: %w", err)
	}
	for fp := range listed {
		already[fp] = true
	}
	x.recordComments(ctx, byFP)
	plan := publish.ReviewPlan(in, already, cfg.Comments.MaxPerScan)
	if plan == nil {
		return nil
	}
	if ok, err := x.stillCurrent(ctx); err != nil || !ok {
		return err
	}
	rev, err := x.gh.createReview(ctx, x.job.PR, plan, plan.Comments, plan.Body)
	if status(err) == 422 && len(plan.Comments) > 0 {
		// GitHub rejects the whole review over one anchor it does not
		// accept; post every finding in the review body instead of losing
		// them all.
		x.log.Warn().Err(err).Msg("review rejected; posting findings in the review body")
		noDiff := in
		noDiff.Diff = nil
		plan = publish.ReviewPlan(noDiff, already, cfg.Comments.MaxPerScan)
		if plan == nil {
			return nil
		}
		rev, err = x.gh.createReview(ctx, x.job.PR, plan, nil, plan.Body)
	}
	if err != nil {
		return fmt.Errorf("posting the review: %w", err)
	}
	posted, err := x.gh.reviewComments(ctx, x.job.PR, rev.GetID())
	if err != nil {
		x.log.Warn().Err(err).Msg("could not list the review's comments")
		return nil
	}
	ids := map[string]int64{}
	for _, c := range posted {
		for _, fp := range publish.ParseMarkers(c.GetBody()) {
			ids[fp] = c.GetID()
		}
	}
	x.recordComments(ctx, ids)
	return nil
}

func (x *run) recordComments(ctx context.Context, ids map[string]int64) {
	for fp, id := range ids {
		if _, err := x.r.Store.MarkCommented(ctx, x.repo, x.job.PR, fp, id, ""); err != nil && !errors.Is(err, store.ErrNotFound) {
			x.log.Warn().Err(err).Str("fingerprint", fp[:8]).Msg("could not record a review comment")
		}
	}
}

// followUpFixed replies in the thread of each finding this push fixed and
// resolves it. Failures are logged: the review itself is already complete.
func (x *run) followUpFixed(ctx context.Context, fixed []string) {
	if len(fixed) == 0 {
		return
	}
	var threads map[int64]threadInfo
	for _, fp := range fixed {
		f, err := x.r.Store.Finding(ctx, x.job.RepoID, x.job.PR, fp)
		if err != nil || f.CommentID == 0 {
			continue
		}
		if threads == nil {
			if threads, err = x.gh.threadIDs(ctx, x.job.PR); err != nil {
				x.log.Warn().Err(err).Msg("could not list review threads")
				threads = map[int64]threadInfo{}
			}
		}
		th, ok := threads[f.CommentID]
		if ok && th.resolved {
			continue
		}
		if err := x.gh.reply(ctx, x.job.PR, f.CommentID, publish.FixedReply(x.job.HeadSHA)); err != nil {
			x.log.Warn().Err(err).Msg("could not reply to a fixed finding")
			continue
		}
		if ok {
			if err := x.gh.resolveThread(ctx, th.id); err != nil {
				x.log.Warn().Err(err).Msg("could not resolve a thread")
			}
		}
	}
}

// finishWithConfigError fails the run and annotates the bad configuration
// file at the line of each problem.
func (x *run) finishWithConfigError(ctx context.Context, cfgErr error, src publish.ConfigSource) error {
	in := publish.Input{ConfigError: cfgErr.Error(), Config: src, HeadSHA: x.job.HeadSHA, Version: x.r.Version}
	var anns []*github.CheckRunAnnotation
	var errs config.Errors
	if errors.As(cfgErr, &errs) {
		for i, e := range errs {
			if i == 50 || e.Line == 0 || e.File != config.Path {
				continue
			}
			anns = append(anns, &github.CheckRunAnnotation{Path: github.String(e.File), StartLine: github.Int(e.Line), EndLine: github.Int(e.Line),
				AnnotationLevel: github.String("failure"), Title: github.String("Invalid warden configuration"), Message: github.String(publish.TruncateBytes(e.Message, 4000))})
		}
	}
	x.log.Warn().Err(cfgErr).Msg("invalid configuration")
	return x.complete(ctx, publish.CheckRunOutput(in), anns, store.ScanCompleted)
}

// finishSuperseded cancels the run of a head the pull request moved on
// from. Cancelled does not pass, and the head gets a real verdict if it
// becomes the head again.
func (x *run) finishSuperseded(ctx context.Context, newer string) error {
	out := publish.CheckRunOutput(publish.Input{SupersededBy: orUnknown(newer), HeadSHA: x.job.HeadSHA, Version: x.r.Version, Config: x.src})
	return x.complete(ctx, out, nil, store.ScanSuperseded)
}

func orUnknown(s string) string {
	if s == "" {
		return "a newer commit"
	}
	return s
}

// noteFailure tells the reader the scan failed for now, so the run never
// sits in_progress while the job waits for its retry.
func (x *run) noteFailure(ctx context.Context, cause error) {
	if x.cr == nil {
		return
	}
	msg := "warden could not finish this scan and will try again: " + publish.Escape(publish.Clip(cause.Error(), 300))
	if _, err := x.gh.updateCheckRun(ctx, x.cr.GetID(), github.UpdateCheckRunOptions{
		Output: &github.CheckRunOutput{Title: github.String("Scan interrupted; retrying"), Summary: github.String(msg)},
	}); err != nil {
		x.log.Warn().Err(err).Msg("could not report the failure on the check run")
	}
}

func bump(c *store.SeverityCounts, s checks.Severity) {
	switch s {
	case checks.SeverityCritical:
		c.Critical++
	case checks.SeverityHigh:
		c.High++
	case checks.SeverityMedium:
		c.Medium++
	case checks.SeverityLow:
		c.Low++
	default:
		c.Info++
	}
}
