package command

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/go-github/v60/github"
	"github.com/rs/zerolog"

	"github.com/wardenbot/warden/bot/publish"
	"github.com/wardenbot/warden/bot/store"
	"github.com/wardenbot/warden/bot/webhook"
	"github.com/wardenbot/warden/config"
)

// session is one comment's commands, with what they share loaded once:
// the pull request, the base configuration, the sender's permission and
// the pull request's authors.
type session struct {
	h    *Handler
	w    webhook.Work
	gh   *gh
	repo store.Repo

	pr      *github.PullRequest
	cfg     *config.Config
	perm    *permission
	access  *decision
	teams   map[string]bool
	authors *authorSet
}

func newSession(h *Handler, w webhook.Work) *session {
	return &session{
		h: h, w: w,
		gh:    &gh{c: h.GitHub(w.InstallationID, w.RepoID), owner: w.Owner, repo: w.Repo},
		repo:  store.Repo{ID: w.RepoID, Owner: w.Owner, Name: w.Repo},
		teams: map[string]bool{},
	}
}

// outcome is what one command did.
type outcome struct {
	reply string // a Markdown paragraph of the reply
	audit string // "done", "refused: …", "rejected: …", "failed: …", "rate-limited: …"
	perm  string // the permission seen, for the audit log
	// acted: the sender was allowed to run the command and warden did
	// what was asked (or found nothing to do); only then does warden react.
	acted bool
	// trusted: the sender passed a privileged command's check (ignore,
	// unignore, approve), so is always answered, like a collaborator.
	trusted bool
	rescan  bool // the head must be re-evaluated
	rerun   bool // the person asked for a fresh run
}

// configError marks a configuration that cannot be read: the person is
// told, and retrying would not help.
type configError struct{ err error }

func (e *configError) Error() string { return e.err.Error() }
func (e *configError) Unwrap() error { return e.err }

func (s *session) pull(ctx context.Context) (*github.PullRequest, error) {
	if s.pr == nil {
		pr, err := s.gh.pull(ctx, s.w.PR)
		if err != nil {
			return nil, err
		}
		s.pr = pr
	}
	return s.pr, nil
}

// config is the repository's configuration at the pull request's base.
func (s *session) config(ctx context.Context) (*config.Config, error) {
	if s.cfg != nil {
		return s.cfg, nil
	}
	pr, err := s.pull(ctx)
	if err != nil {
		return nil, err
	}
	cfg, err := s.h.Config.Load(ctx, s.w.InstallationID, s.w.Owner, s.w.Repo, pr.GetBase().GetSHA())
	if err != nil {
		return nil, &configError{err}
	}
	if cfg == nil {
		cfg = config.Default()
	}
	s.cfg = cfg
	return cfg, nil
}

// runAll runs the commands in order, audits each as soon as it has acted,
// asks once for the head to be re-evaluated and posts one reply. On an
// error it still replies for the commands that ran, so a retry (which
// skips them) loses nothing. Whether anything is written back at all is
// mayAnswer's decision; every command is audited either way.
func (s *session) runAll(ctx context.Context, cmds []Command, dropped int) error {
	var parts []string
	var acted, trusted, rescan, rerun bool
	var runErr error
	for _, c := range cmds {
		o, err := s.run(ctx, c)
		if err != nil {
			runErr = fmt.Errorf("/warden %s: %w", c.Verb, err)
			break
		}
		if _, err := s.h.Store.AuditCommand(ctx, store.CommandAudit{
			Repo: s.repo, PR: s.w.PR, Actor: s.w.Sender, Command: c.Text,
			Permission: o.perm, Outcome: o.audit, CommentID: s.w.CommentID,
		}); err != nil {
			runErr = err
			break
		}
		parts = append(parts, o.reply)
		acted, trusted, rescan, rerun = acted || o.acted, trusted || o.trusted, rescan || o.rescan, rerun || o.rerun
	}
	if dropped > 0 {
		parts = append(parts, fmt.Sprintf("Only the first %d commands of a comment run; %d more were not.", MaxCommands, dropped))
	}
	if rescan {
		parts = append(parts, s.reevaluate(ctx, rerun))
	}
	if len(parts) == 0 {
		return runErr
	}
	answer, err := s.mayAnswer(ctx, trusted)
	if err != nil || !answer {
		if err == nil {
			zerolog.Ctx(ctx).Info().Msg("no reply: the sender has no read access and had their reply this hour")
		}
		return errors.Join(runErr, err)
	}
	if acted {
		if err := s.gh.react(ctx, s.w.CommentKind, s.w.CommentID); err != nil {
			zerolog.Ctx(ctx).Warn().Err(err).Msg("could not react to the comment")
		}
	}
	if err := s.reply(ctx, strings.Join(parts, "\n\n")); err != nil {
		return errors.Join(runErr, err)
	}
	return runErr
}

func (s *session) run(ctx context.Context, c Command) (outcome, error) {
	if c.Verb == Unknown {
		return unknownCommand(c), nil
	}
	if c.Problem != "" {
		return outcome{reply: "`/warden " + string(c.Verb) + "`: " + c.Problem + " `/warden help` lists the commands.",
			audit: "rejected: " + c.Problem}, nil
	}
	var (
		o   outcome
		err error
	)
	switch c.Verb {
	case Help:
		o, err = s.help(ctx)
	case Rescan:
		o, err = s.rescan(ctx)
	case Explain:
		o, err = s.explain(ctx, c)
	case Ignore:
		o, err = s.ignore(ctx, c)
	case Unignore:
		o, err = s.unignore(ctx, c)
	case Approve:
		o, err = s.approve(ctx, c)
	}
	var cfgErr *configError
	if errors.As(err, &cfgErr) {
		return outcome{audit: "failed: configuration unreadable", perm: o.perm,
			reply: "warden could not read `" + config.Path + "` at the base of this pull request, so it cannot check who may do this: " +
				publish.Escape(publish.Clip(cfgErr.Error(), 300))}, nil
	}
	return o, err
}

func unknownCommand(c Command) outcome {
	text := "Unknown command " + publish.Code("/warden "+c.Typed) + "."
	if c.Suggestion != "" {
		text += " Did you mean `/warden " + c.Suggestion + "`?"
	}
	return outcome{reply: text + " `/warden help` lists the commands.", audit: "rejected: unknown command"}
}

// reevaluate asks for the current head to be scanned again and says so. A
// rescan of that head that is still waiting to start covers this request
// too (it reads suppressions and approvals when it runs), so none is added.
func (s *session) reevaluate(ctx context.Context, rerun bool) string {
	pr, err := s.pull(ctx)
	if err == nil && pr.GetState() != "open" {
		return "This pull request is closed, so the check is not re-run."
	}
	var head string
	if err == nil {
		head = pr.GetHead().GetSHA()
		var merged bool
		if merged, err = s.waitingRescan(ctx, head); err == nil && merged {
			return "A re-run of the `warden` check on " + shortSHA(head) + " is already queued; it covers this too."
		}
	}
	if err == nil {
		var job int64
		job, err = s.h.Scans.EnqueueScan(ctx, ScanRequest{
			InstallationID: s.w.InstallationID, RepoID: s.w.RepoID, Owner: s.w.Owner, Repo: s.w.Repo,
			CloneURL: s.w.CloneURL, PR: s.w.PR, HeadSHA: head, DeliveryID: s.w.DeliveryID,
			Event: reevaluateEvent(rerun), Actor: s.w.Sender, Rerun: rerun,
		})
		if err == nil {
			err = s.h.Store.SetPendingRescan(ctx, s.w.RepoID, s.w.PR, head, job)
		}
	}
	if err != nil {
		zerolog.Ctx(ctx).Error().Err(err).Msg("could not queue the re-run")
		return "The `warden` check could not be re-run just now; `/warden rescan` tries again."
	}
	return "Re-running the `warden` check on " + shortSHA(head) + "."
}

// waitingRescan reports a queued rescan of head that has not started.
func (s *session) waitingRescan(ctx context.Context, head string) (bool, error) {
	if s.h.Jobs == nil {
		return false, nil
	}
	pending, job, err := s.h.Store.PendingRescan(ctx, s.w.RepoID, s.w.PR)
	if err != nil || pending != head || job == 0 {
		return false, err
	}
	return s.h.Jobs.Waiting(ctx, job)
}

// reply answers where the comment was written: in its review thread
// (GitHub takes the thread's top-level id), else in the conversation.
func (s *session) reply(ctx context.Context, body string) error {
	body = publish.TruncateBytes(publish.Clip(body, publish.MaxCommentRunes), publish.MaxCommentBytes)
	if s.w.CommentKind == kindReviewComment {
		root := s.w.InReplyTo
		if root == 0 {
			root = s.w.CommentID
		}
		return s.gh.replyInThread(ctx, s.w.PR, root, body)
	}
	return s.gh.comment(ctx, s.w.PR, body)
}

// reevaluateEvent names the trigger of a command's scan for the scan record.
func reevaluateEvent(rerun bool) string {
	if rerun {
		return "command.rescan"
	}
	return "command.reevaluate"
}
