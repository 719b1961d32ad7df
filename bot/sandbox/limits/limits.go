// Package limits applies a scan child's resource limits to the current
// process. It is its own small package so a test can build a child that
// misbehaves under the same limits without building all of warden.
package limits

import (
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"time"
)

// Environment variables that carry the limits to a child.
const (
	EnvMemory = "WARDEN_SANDBOX_MEMORY" // address-space limit in bytes
	EnvCPU    = "WARDEN_SANDBOX_CPU"    // CPU limit in seconds
)

// Env renders the limits as the child's environment entries.
func Env(memory int64, cpu time.Duration) []string {
	return []string{
		EnvMemory + "=" + strconv.FormatInt(memory, 10),
		EnvCPU + "=" + strconv.FormatInt(int64(cpu/time.Second), 10),
	}
}

// Apply bounds this process with the limits in its environment. A child
// calls it before it reads anything of the repository.
func Apply() error {
	mem, err := strconv.ParseInt(os.Getenv(EnvMemory), 10, 64)
	if err != nil || mem <= 0 {
		return fmt.Errorf("bad %s", EnvMemory)
	}
	cpu, err := strconv.ParseInt(os.Getenv(EnvCPU), 10, 64)
	if err != nil || cpu <= 0 {
		return fmt.Errorf("bad %s", EnvCPU)
	}
	// The garbage collector works harder as the heap nears the hard limit,
	// so a scan that could fit does not die of garbage.
	debug.SetMemoryLimit(mem / 4 * 3)
	return setRlimits(mem, time.Duration(cpu)*time.Second)
}
