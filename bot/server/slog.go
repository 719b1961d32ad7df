package server

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/rs/zerolog"
)

// zerologHandler sends the queue library's slog records to warden's zerolog
// logger, at warn and above: its info lines are per-job chatter.
type zerologHandler struct {
	log   zerolog.Logger
	attrs []slog.Attr
}

func (h zerologHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }

func (h zerologHandler) Handle(_ context.Context, r slog.Record) error {
	ev := h.log.Warn()
	if r.Level >= slog.LevelError {
		ev = h.log.Error()
	}
	for _, a := range h.attrs {
		ev = field(ev, a)
	}
	r.Attrs(func(a slog.Attr) bool {
		ev = field(ev, a)
		return true
	})
	ev.Str("component", "queue").Msg(r.Message)
	return nil
}

// field adds one attribute. Errors go in as their message: as JSON most
// are {} and some (a database driver's, holding functions) cannot be
// encoded at all, which would lose the line's reason.
func field(ev *zerolog.Event, a slog.Attr) *zerolog.Event {
	switch x := a.Value.Resolve().Any().(type) {
	case error:
		return ev.Str(a.Key, x.Error())
	case time.Time:
		return ev.Time(a.Key, x)
	case fmt.Stringer: // durations read "2s", not nanoseconds
		return ev.Str(a.Key, x.String())
	default:
		return ev.Interface(a.Key, x)
	}
}

func (h zerologHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return zerologHandler{log: h.log, attrs: append(append([]slog.Attr{}, h.attrs...), attrs...)}
}

func (h zerologHandler) WithGroup(string) slog.Handler { return h }
