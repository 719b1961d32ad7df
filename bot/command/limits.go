package command

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wardenbot/warden/bot/store"
)

// Quotas on what comments can make warden do. They are kept in the store,
// so every replica counts the same uses; a comment's author controls how
// many comments they write, warden controls how much it does about them.
const (
	// MaxCommentsPerHour: beyond this many comments with commands by one
	// person in one repository, warden drops them unread (no GitHub call,
	// no reaction, no reply), auditing each.
	MaxCommentsPerHour = 30
	// MaxRescansPerHour by one person in one repository.
	MaxRescansPerHour = 10
	// RescanEvery: one rescan per pull request in this time.
	RescanEvery = time.Minute
	// MaxOutsiderReplies: someone without read access gets at most this
	// many replies per pull request per hour, then silence.
	MaxOutsiderReplies = 1
)

func login(s string) string { return strings.ToLower(s) }

func (s *session) quotaKey(kind string, parts ...any) string {
	k := fmt.Sprintf("%s:%d", kind, s.w.RepoID)
	for _, p := range parts {
		k += fmt.Sprintf(":%v", p)
	}
	return k
}

// underFloodLimit takes one of the sender's comment uses in the repository.
func (s *session) underFloodLimit(ctx context.Context) (bool, error) {
	ok, _, err := s.h.Store.TakeQuota(ctx, s.quotaKey("comments", login(s.w.Sender)), MaxCommentsPerHour, time.Hour)
	return ok, err
}

// auditDropped records commands dropped by the flood limit: dropped, but
// not without a trace.
func (s *session) auditDropped(ctx context.Context, cmds []Command) error {
	for _, c := range cmds {
		if _, err := s.h.Store.AuditCommand(ctx, store.CommandAudit{
			Repo: s.repo, PR: s.w.PR, Actor: s.w.Sender, Command: c.Text, Permission: "not checked",
			Outcome: fmt.Sprintf("dropped: more than %d comments with commands an hour", MaxCommentsPerHour), CommentID: s.w.CommentID,
		}); err != nil {
			return err
		}
	}
	return nil
}

// mayAnswer decides whether warden writes anything back. People with read
// access, members of the security team (who may have no role on the
// repository) and people a privileged command accepted always get an
// answer; anyone else gets MaxOutsiderReplies per pull request per hour,
// so a stranger's flood of comments on a public repository cannot make
// warden write a flood of replies.
func (s *session) mayAnswer(ctx context.Context, trusted bool) (bool, error) {
	if trusted {
		return true, nil
	}
	d, err := s.readAccess(ctx)
	if err != nil || d.ok {
		return d.ok, err
	}
	var cfgErr *configError
	switch cfg, err := s.config(ctx); {
	case errors.As(err, &cfgErr):
	case err != nil:
		return false, err
	default:
		if in, err := s.inTeam(ctx, cfg.SecurityTeam); err != nil || in {
			return in, err
		}
	}
	ok, _, err := s.h.Store.TakeQuota(ctx, s.quotaKey("replies", s.w.PR, login(s.w.Sender)), MaxOutsiderReplies, time.Hour)
	return ok, err
}

// takeRescan uses one of the sender's rescans and the pull request's
// rescan of the minute. limited is the reply when either is used up.
func (s *session) takeRescan(ctx context.Context) (limited string, err error) {
	ok, reset, err := s.h.Store.TakeQuota(ctx, s.quotaKey("rescans", login(s.w.Sender)), MaxRescansPerHour, time.Hour)
	if err != nil {
		return "", err
	}
	if !ok {
		return fmt.Sprintf("%s, you asked for %d rescans in this repository within the hour; the next one can be asked at %s.",
			mention(s.w.Sender), MaxRescansPerHour, clock(reset)), nil
	}
	ok, reset, err = s.h.Store.TakeQuota(ctx, s.quotaKey("pr-rescan", s.w.PR), 1, RescanEvery)
	if err != nil {
		return "", err
	}
	if !ok {
		return "This pull request was rescanned less than a minute ago; the next rescan can be asked at " + clock(reset) + ".", nil
	}
	return "", nil
}

func clock(t time.Time) string { return t.UTC().Format("15:04:05 UTC") }
