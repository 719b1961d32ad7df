package auditcli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/wardenbot/warden/bot/store"
)

// lineSink is an io.Writer for Export: it hands each complete JSON line,
// raw and decoded, to fn.
type lineSink struct {
	buf []byte
	fn  func(raw []byte, rec store.Record) error
}

func (s *lineSink) Write(p []byte) (int, error) {
	s.buf = append(s.buf, p...)
	for {
		i := bytes.IndexByte(s.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := s.buf[:i+1]
		var rec store.Record
		if err := json.Unmarshal(line, &rec); err != nil {
			return 0, fmt.Errorf("decoding an audit record: %w", err)
		}
		if err := s.fn(line, rec); err != nil {
			return 0, err
		}
		s.buf = s.buf[i+1:]
	}
}

// repoFilter is --repo resolved to repository ids (ids are stable across
// renames; names are as written into each record).
type repoFilter struct {
	ids   map[int64]bool
	names map[int64]string
}

// resolveRepo finds the ids of --repo: a number is an id; owner/name
// matches every repository that had that name in some record.
func resolveRepo(ctx context.Context, st store.Audit, repo string) (*repoFilter, error) {
	if repo == "" {
		return nil, nil
	}
	f := &repoFilter{ids: map[int64]bool{}, names: map[int64]string{}}
	if id, err := strconv.ParseInt(repo, 10, 64); err == nil {
		f.ids[id] = true
		f.names[id] = repo
		return f, nil
	}
	if o, n, ok := strings.Cut(repo, "/"); !ok || o == "" || n == "" || strings.Contains(n, "/") {
		return nil, usageError{fmt.Sprintf("--repo %q is not owner/name or a repository id", repo)}
	}
	sink := &lineSink{fn: func(_ []byte, r store.Record) error {
		if strings.EqualFold(r.Repo, repo) {
			f.ids[r.RepoID] = true
			f.names[r.RepoID] = r.Repo
		}
		return nil
	}}
	if _, err := st.Export(ctx, store.ExportFilter{}, sink); err != nil {
		return nil, err
	}
	return f, nil
}

// each streams the records the options select, oldest first.
func each(ctx context.Context, st store.Audit, o options, fn func(raw []byte, rec store.Record) error) error {
	repos, err := resolveRepo(ctx, st, o.repo)
	if err != nil {
		return err
	}
	filter := store.ExportFilter{PR: o.pr, Kinds: o.kinds, Since: o.since, Until: o.until}
	if repos != nil {
		switch len(repos.ids) {
		case 0:
			return nil // no record ever named this repository
		case 1:
			for id := range repos.ids {
				filter.RepoID = id
			}
		}
	}
	_, err = st.Export(ctx, filter, &lineSink{fn: func(raw []byte, r store.Record) error {
		if repos != nil && !repos.ids[r.RepoID] {
			return nil
		}
		return fn(raw, r)
	}})
	return err
}

var _ io.Writer = (*lineSink)(nil)
