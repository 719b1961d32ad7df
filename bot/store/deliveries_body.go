package store

import (
	"context"
	"fmt"
)

func (s *sqlStore) SeenDeliveryBody(ctx context.Context, digest string) (bool, error) {
	if digest == "" {
		return false, fmt.Errorf("store: seen delivery body: empty digest")
	}
	res, err := s.exec(ctx, nil, "INSERT INTO delivery_bodies (digest, seen_at) VALUES (?, ?) ON CONFLICT (digest) DO NOTHING", digest, s.nowMS())
	if err != nil {
		return false, fmt.Errorf("store: seen delivery body: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: seen delivery body: %w", err)
	}
	return n == 1, nil
}

func (s *sqlStore) ForgetDeliveryBody(ctx context.Context, digest string) error {
	if _, err := s.exec(ctx, nil, "DELETE FROM delivery_bodies WHERE digest = ?", digest); err != nil {
		return fmt.Errorf("store: forget delivery body: %w", err)
	}
	return nil
}
