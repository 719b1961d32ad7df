package server

import (
	"context"
	"fmt"
	"log/slog"

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

// field adds one attribute by its kind. Errors go in as their message:
// as JSON most are {} and some (a database driver's, holding functions)
// cannot be encoded at all, which would lose the line's reason.
func field(ev *zerolog.Event, a slog.Attr) *zerolog.Event {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return ev.Str(a.Key, v.String())
	case slog.KindInt64:
		return ev.Int64(a.Key, v.Int64())
	case slog.KindUint64:
		return ev.Uint64(a.Key, v.Uint64())
	case slog.KindFloat64:
		return ev.Float64(a.Key, v.Float64())
	case slog.KindBool:
		return ev.Bool(a.Key, v.Bool())
	case slog.KindDuration:
		return ev.Dur(a.Key, v.Duration())
	case slog.KindTime:
		return ev.Time(a.Key, v.Time())
	}
	switch x := v.Any().(type) {
	case error:
		return ev.Str(a.Key, x.Error())
	case fmt.Stringer:
		return ev.Str(a.Key, x.String())
	}
	return ev.Interface(a.Key, v.Any())
}

func (h zerologHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return zerologHandler{log: h.log, attrs: append(append([]slog.Attr{}, h.attrs...), attrs...)}
}

func (h zerologHandler) WithGroup(string) slog.Handler { return h }
