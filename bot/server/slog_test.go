package server

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// dialError is shaped like a database driver's error: it holds a function,
// which JSON cannot encode.
type dialError struct{ dial func() }

func (dialError) Error() string { return "failed to connect to `database=test`: connection reset" }

func TestQueueLogLinesKeepTheirReason(t *testing.T) {
	var out bytes.Buffer
	log := slog.New(zerologHandler{log: zerolog.New(&out)})
	log.Error("producer: Error fetching jobs", "err", dialError{dial: func() {}}, "wrapped", fmt.Errorf("notify: %w", errors.New("EOF")),
		"attempt", 3, "sleep", 2*time.Second, "queue", "default")
	log.Info("job completed") // below warn: per-job chatter is dropped
	got := out.String()
	for _, want := range []string{`"level":"error"`, `"err":"failed to connect to ` + "`database=test`" + `: connection reset"`,
		`"wrapped":"notify: EOF"`, `"attempt":3`, `"sleep":"2s"`, `"queue":"default"`, `"component":"queue"`, `"message":"producer: Error fetching jobs"`} {
		if !strings.Contains(got, want) {
			t.Errorf("log line lacks %s:\n%s", want, got)
		}
	}
	if strings.Contains(got, "marshaling error") || strings.Contains(got, "job completed") {
		t.Errorf("log:\n%s", got)
	}
}
