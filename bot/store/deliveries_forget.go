package store

import (
	"context"
	"fmt"
)

// ForgetDelivery removes a delivery id recorded by SeenDelivery, for a
// delivery whose work could not be queued: GitHub's redelivery of it must
// then be processed, not discarded as a duplicate.
func (s *sqlStore) ForgetDelivery(ctx context.Context, id string) error {
	if _, err := s.exec(ctx, nil, "DELETE FROM deliveries WHERE id = ?", id); err != nil {
		return fmt.Errorf("store: forget delivery: %w", err)
	}
	return nil
}
