package store

import (
	"context"
	"fmt"
	"time"
)

// DeliveryRetention is how long delivery ids are kept for dedupe. GitHub
// redelivers (same X-GitHub-Delivery) for up to 3 days, 30 in older docs.
const DeliveryRetention = 30 * 24 * time.Hour

// Deliveries dedupes webhook deliveries on X-GitHub-Delivery and on the
// digest of their bodies.
type Deliveries interface {
	// SeenDelivery records id and reports whether this is its first arrival.
	// Concurrent calls with one id: exactly one gets first == true.
	SeenDelivery(ctx context.Context, id string) (first bool, err error)
	// ForgetDelivery drops one id, for a delivery whose job could not be
	// queued (503): GitHub's redelivery must then be processed.
	ForgetDelivery(ctx context.Context, id string) error
	// SeenDeliveryBody records the digest of a delivery's body and reports
	// whether it is new; a body replayed under a fresh id is not.
	// Concurrent calls with one digest: exactly one gets first == true.
	SeenDeliveryBody(ctx context.Context, digest string) (first bool, err error)
	// ForgetDeliveryBody drops one digest, like ForgetDelivery.
	ForgetDeliveryBody(ctx context.Context, digest string) error
	// PruneDeliveries forgets ids and digests first seen before olderThan.
	PruneDeliveries(ctx context.Context, olderThan time.Time) (int64, error)
}

func (s *sqlStore) SeenDelivery(ctx context.Context, id string) (bool, error) {
	if id == "" {
		return false, fmt.Errorf("store: seen delivery: empty delivery id")
	}
	res, err := s.exec(ctx, nil, "INSERT INTO deliveries (id, seen_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING", id, s.nowMS())
	if err != nil {
		return false, fmt.Errorf("store: seen delivery: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: seen delivery: %w", err)
	}
	return n == 1, nil
}

// PruneDeliveries reports the number of delivery ids pruned (digests go
// with them).
func (s *sqlStore) PruneDeliveries(ctx context.Context, olderThan time.Time) (int64, error) {
	res, err := s.exec(ctx, nil, "DELETE FROM deliveries WHERE seen_at < ?", olderThan.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("store: prune deliveries: %w", err)
	}
	if _, err := s.exec(ctx, nil, "DELETE FROM delivery_bodies WHERE seen_at < ?", olderThan.UnixMilli()); err != nil {
		return 0, fmt.Errorf("store: prune delivery bodies: %w", err)
	}
	return res.RowsAffected()
}
