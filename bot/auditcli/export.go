package auditcli

import (
	"context"
	"io"

	"github.com/wardenbot/warden/bot/store"
)

// export writes the selected records as JSON lines, exactly as the store
// encodes them, oldest first.
func export(ctx context.Context, st store.Store, o options, w io.Writer) (int, error) {
	err := each(ctx, st, o, func(raw []byte, _ store.Record) error {
		_, err := w.Write(raw)
		return err
	})
	return exitOK, err
}
