package server

import (
	"context"
	"time"

	"github.com/rs/zerolog"

	"github.com/wardenbot/warden/bot/store"
)

// PruneEvery is how often delivery ids and body digests older than
// store.DeliveryRetention are deleted. Every replica may prune: it is one
// indexed DELETE, and pruning twice deletes nothing twice.
const PruneEvery = time.Hour

// pruneDeliveries runs until ctx ends, pruning at start and then every
// period. Nothing is pruned inside the retention window, so redeliveries
// (GitHub allows them for days) and replays stay duplicates.
func pruneDeliveries(ctx context.Context, st store.Deliveries, every time.Duration, now func() time.Time, log zerolog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := st.PruneDeliveries(ctx, now().Add(-store.DeliveryRetention))
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn().Err(err).Msg("pruning old delivery ids")
		case n > 0:
			log.Info().Int64("pruned", n).Msg("old delivery ids pruned")
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
