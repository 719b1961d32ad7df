package demo

import (
	"bytes"
	"encoding/json"
	"io"
	"sync"
	"time"

	"github.com/rs/zerolog"
)

// logEvent is one of warden's own log lines, as the demo follows it.
type logEvent struct {
	At         time.Time
	Level      string `json:"level"`
	Message    string `json:"message"`
	Delivery   string `json:"delivery"`
	Outcome    string `json:"outcome"`
	Status     int    `json:"status"`
	SHA        string `json:"sha"`
	Conclusion string `json:"conclusion"`
	New        int    `json:"new"`
	Error      string `json:"error"`
}

// logSink is the io.Writer behind warden's logger: it keeps the lines the
// narration follows and, with --verbose, shows every line on out.
type logSink struct {
	out io.Writer // nil: warden's logs are not shown

	mu     sync.Mutex
	events []logEvent
}

func newLogSink(verbose io.Writer, color bool) *logSink {
	s := &logSink{}
	if verbose != nil {
		s.out = zerolog.ConsoleWriter{Out: verbose, NoColor: !color, TimeFormat: "15:04:05"}
	}
	return s
}

// Write receives one JSON log line per call (zerolog's contract).
func (s *logSink) Write(p []byte) (int, error) {
	ev := logEvent{At: time.Now()}
	if err := json.Unmarshal(bytes.TrimSpace(p), &ev); err == nil {
		s.mu.Lock()
		s.events = append(s.events, ev)
		s.mu.Unlock()
	}
	if s.out != nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, err := s.out.Write(p); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// find returns the first event since from that match accepts.
func (s *logSink) find(from time.Time, match func(logEvent) bool) (logEvent, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ev := range s.events {
		if !ev.At.Before(from) && match(ev) {
			return ev, true
		}
	}
	return logEvent{}, false
}

// logger is warden's logger for the demo: info and above feed the
// narration; --verbose shows debug lines too.
func (s *logSink) logger(verbose bool) zerolog.Logger {
	lvl := zerolog.InfoLevel
	if verbose {
		lvl = zerolog.DebugLevel
	}
	return zerolog.New(s).Level(lvl).With().Timestamp().Str("service", "warden").Logger()
}

// warnings returns warden's warnings and errors since from that are past
// the first *seen of them, and advances *seen: trouble shows even when
// warden's logs are quiet.
func (s *logSink) warnings(from time.Time, seen *int) []logEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	var all []logEvent
	for _, ev := range s.events {
		if !ev.At.Before(from) && (ev.Level == "warn" || ev.Level == "error") {
			all = append(all, ev)
		}
	}
	if *seen >= len(all) {
		return nil
	}
	out := all[*seen:]
	*seen = len(all)
	return out
}
