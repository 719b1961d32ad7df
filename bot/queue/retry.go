package queue

import (
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river/rivertype"
)

// backoff doubles the delay per failure (base, 2×base, 4×base…) up to cap,
// with ±10% jitter so a burst of failures does not retry in lockstep.
type backoff struct {
	base, cap time.Duration
}

func (b backoff) delay(failures int) time.Duration {
	d := b.base
	for i := 1; i < failures && d < b.cap; i++ {
		d *= 2
	}
	d = min(d, b.cap)
	return jitter(d, 0.1)
}

// NextRetry implements river.ClientRetryPolicy. River appends the current
// error after asking, so the failure count is len(Errors)+1.
func (b backoff) NextRetry(job *rivertype.JobRow) time.Time {
	return time.Now().Add(b.delay(len(job.Errors) + 1))
}

func jitter(d time.Duration, frac float64) time.Duration {
	if d <= 0 {
		return d
	}
	return d + time.Duration((rand.Float64()*2-1)*frac*float64(d))
}
