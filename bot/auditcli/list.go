package auditcli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/wardenbot/warden/bot/store"
)

// list prints the most recent records, oldest of them first, one line each.
func list(ctx context.Context, st store.Store, o options, w io.Writer) (int, error) {
	ring := make([]store.Record, 0, o.limit)
	err := each(ctx, st, o, func(_ []byte, r store.Record) error {
		if len(ring) == o.limit {
			ring = ring[1:]
		}
		ring = append(ring, r)
		return nil
	})
	if err != nil {
		return 0, err
	}
	if len(ring) == 0 {
		fmt.Fprintln(w, "no audit records")
		return exitOK, nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTIME (UTC)\tWHERE\tKIND\tWHO\tWHAT")
	for _, r := range ring {
		where := r.Repo
		if where == "" {
			where = "-"
		}
		if r.PR != 0 {
			where += fmt.Sprintf("#%d", r.PR)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.At.UTC().Format(time.DateTime), clean(where), clean(r.Kind), clean(r.Actor), clean(describe(r)))
	}
	return exitOK, tw.Flush()
}

// describe is the one-line gist of a record.
func describe(r store.Record) string {
	var d map[string]any
	_ = json.Unmarshal(r.Data, &d)
	str := func(k string) string { s, _ := d[k].(string); return s }
	switch r.Kind {
	case store.KindCommand:
		s := str("command") + " → " + str("outcome")
		if p := str("permission"); p != "" {
			s += " (" + p + ")"
		}
		return s
	case store.KindSuppressionCreated:
		return shortFP(r.Subject) + " " + str("kind") + ": " + str("reason")
	case store.KindApproval:
		return "head " + shortFP(r.Subject)
	}
	if r.Subject != "" {
		return shortFP(r.Subject)
	}
	return ""
}

func shortFP(s string) string {
	if len(s) == 64 {
		return "W-" + s[:8]
	}
	return s
}

// clean keeps a terminal line one line and free of control sequences:
// records hold text people typed.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 120 {
		s = string(r[:119]) + "…"
	}
	return s
}
