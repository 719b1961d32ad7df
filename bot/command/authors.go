package command

import (
	"context"
	"strings"
)

// authorSet is everyone who wrote or brought in a pull request's code: its
// opener, every commit's author and committer (as GitHub links them to
// accounts), and everyone who pushed to it (the senders of the pull
// request's opened and synchronize events, which warden records). Git
// metadata alone is not enough: a co-pusher can commit under someone
// else's name, but cannot hide from the push event.
type authorSet struct {
	why map[string]string // lower-case login -> how they took part
	// incomplete: GitHub lists only the first 250 commits, so the rest's
	// authors are unknown.
	incomplete bool
}

// role says how login took part, or "" when they did not.
func (a *authorSet) role(login string) string { return a.why[strings.ToLower(login)] }

func (a *authorSet) add(login, why string) {
	if login == "" {
		return
	}
	if _, ok := a.why[strings.ToLower(login)]; !ok {
		a.why[strings.ToLower(login)] = why
	}
}

// prAuthors collects the authors once per comment.
func (s *session) prAuthors(ctx context.Context) (*authorSet, error) {
	if s.authors != nil {
		return s.authors, nil
	}
	pr, err := s.pull(ctx)
	if err != nil {
		return nil, err
	}
	a := &authorSet{why: map[string]string{}}
	a.add(pr.GetUser().GetLogin(), "you opened this pull request")
	pushes, err := s.h.Store.Pushes(ctx, s.w.RepoID, s.w.PR)
	if err != nil {
		return nil, err
	}
	for _, p := range pushes {
		if p.Event == "opened" || p.Event == "synchronize" {
			a.add(p.Pusher, "you pushed "+shortSHA(p.HeadSHA)+" to this pull request")
		}
	}
	commits, err := s.gh.commits(ctx, s.w.PR)
	if err != nil {
		return nil, err
	}
	for _, c := range commits {
		a.add(c.GetAuthor().GetLogin(), "you wrote "+shortSHA(c.GetSHA())+" of this pull request")
		a.add(c.GetCommitter().GetLogin(), "you committed "+shortSHA(c.GetSHA())+" of this pull request")
	}
	a.incomplete = len(commits) < pr.GetCommits()
	s.authors = a
	return a, nil
}
