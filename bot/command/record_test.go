package command_test

import (
	"encoding/json"
	"testing"

	"github.com/wardenbot/warden/bot/store"
)

// commandData is the detail of a command's audit record.
type commandData struct {
	Command    string `json:"command"`
	Permission string `json:"permission"`
	Outcome    string `json:"outcome"`
	CommentID  int64  `json:"comment_id"`
}

func decodeRecord(t *testing.T, line string) store.Record {
	t.Helper()
	var r store.Record
	if err := json.Unmarshal([]byte(line), &r); err != nil {
		t.Fatalf("audit line %q: %v", line, err)
	}
	return r
}

func dataOf(t *testing.T, r store.Record) commandData {
	t.Helper()
	var d commandData
	if err := json.Unmarshal(r.Data, &d); err != nil {
		t.Fatal(err)
	}
	return d
}
