// Package wardenbin builds the warden command for tests that run it as a
// separate process: hostile inputs under resource limits, and the scan
// children of an end-to-end `warden serve`. The binary is built once per
// test process, without the race detector — a race-enabled child is many
// times slower and its shadow memory does not fit an address-space limit —
// into a private directory that the test binary's TestMain removes (Remove)
// when its tests are done.
package wardenbin

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	once sync.Once
	path string
	err  error
)

// Path returns the built binary, building it on first use.
func Path(tb testing.TB) string {
	tb.Helper()
	once.Do(func() { path, err = build() })
	if err != nil {
		tb.Fatalf("building warden: %v", err)
	}
	return path
}

// Remove deletes the binary, if one was built.
func Remove() {
	if path != "" {
		os.RemoveAll(filepath.Dir(path))
	}
}

func build() (string, error) {
	mod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", err
	}
	root := filepath.Dir(strings.TrimSpace(string(mod)))
	dir, err := os.MkdirTemp("", "warden-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "warden")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/warden")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", errors.New("go build: " + err.Error() + "\n" + string(out))
	}
	return bin, nil
}
