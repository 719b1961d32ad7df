//go:build !linux

package limits

import "time"

// setRlimits is a no-op off Linux: the child still runs apart from the
// server, under the parent's wall clock and the garbage collector's soft
// limit, but without hard memory or CPU caps.
func setRlimits(int64, time.Duration) error { return nil }
