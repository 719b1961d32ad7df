package command

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MaxExpiry bounds `--expires`: a suppression meant to be temporary should
// come back for review within a year.
const MaxExpiry = 366 * 24 * time.Hour

// parseExpiry reads "30d", "12h" or "2w".
func parseExpiry(s string) (time.Duration, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) < 2 {
		return 0, fmt.Errorf("--expires wants a duration such as 30d, 12h or 2w")
	}
	unit := map[byte]time.Duration{'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}[s[len(s)-1]]
	n, err := strconv.Atoi(s[:len(s)-1])
	if unit == 0 || err != nil || n <= 0 || len(s) > 6 {
		return 0, fmt.Errorf("--expires wants a duration such as 30d, 12h or 2w")
	}
	d := time.Duration(n) * unit
	if d > MaxExpiry {
		return 0, fmt.Errorf("--expires is at most 366d")
	}
	return d, nil
}

// humanDuration writes d the way it was likely typed: "30 days", "12 hours".
func humanDuration(d time.Duration) string {
	plural := func(n int64, word string) string {
		if n == 1 {
			return "1 " + word
		}
		return strconv.FormatInt(n, 10) + " " + word + "s"
	}
	day := 24 * time.Hour
	switch {
	case d%(7*day) == 0:
		return plural(int64(d/(7*day)), "week")
	case d%day == 0:
		return plural(int64(d/day), "day")
	default:
		return plural(int64(d/time.Hour), "hour")
	}
}
