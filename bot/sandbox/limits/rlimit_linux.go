package limits

import (
	"syscall"
	"time"
)

// setRlimits caps this process's address space and processor time. Past the
// soft CPU limit the kernel sends SIGXCPU (which Go ignores), and SIGKILL a
// second later. The race detector's shadow memory cannot live under an
// address-space cap, so a race-enabled build (tests only) keeps the CPU cap
// and the garbage collector's soft limit alone.
func setRlimits(mem int64, cpu time.Duration) error {
	if !raceDetector {
		if err := syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: uint64(mem), Max: uint64(mem)}); err != nil {
			return err
		}
	}
	secs := uint64(cpu / time.Second)
	return syscall.Setrlimit(syscall.RLIMIT_CPU, &syscall.Rlimit{Cur: secs, Max: secs + 1})
}
