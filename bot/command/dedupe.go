package command

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/wardenbot/warden/bot/store"
)

// notYetRun drops the commands the audit log already records for this
// comment: a redelivered or retried comment must not act twice. The audit
// record of a command is written right after it acts, keyed by the comment
// id, so it is the dedupe record too (no table of its own). A comment may
// repeat a command line, so records are counted, not just matched.
func (s *session) notYetRun(ctx context.Context, cmds []Command) ([]Command, error) {
	if s.w.CommentID == 0 {
		return cmds, nil
	}
	ran := map[string]int{}
	subject := strconv.FormatInt(s.w.CommentID, 10)
	var buf bytes.Buffer
	if _, err := s.h.Store.Export(ctx, store.ExportFilter{RepoID: s.w.RepoID, PR: s.w.PR, Kinds: []string{store.KindCommand}}, &buf); err != nil {
		return nil, fmt.Errorf("reading the audit log: %w", err)
	}
	dec := json.NewDecoder(&buf)
	for dec.More() {
		var rec struct {
			Subject string `json:"subject"`
			Data    struct {
				Command string `json:"command"`
			} `json:"data"`
		}
		if err := dec.Decode(&rec); err != nil {
			return nil, fmt.Errorf("reading the audit log: %w", err)
		}
		if rec.Subject == subject {
			ran[rec.Data.Command]++
		}
	}
	var todo []Command
	for _, c := range cmds {
		if ran[c.Text] > 0 {
			ran[c.Text]--
			continue
		}
		todo = append(todo, c)
	}
	return todo, nil
}
