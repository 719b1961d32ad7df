package server_test

import (
	"flag"
	"os"
	"runtime"
	"strconv"
	"testing"

	"github.com/wardenbot/warden/bot/sandbox"
	"github.com/wardenbot/warden/internal/wardenbin"
)

// Reviews scan in child processes: the warden binary, built without the
// race detector (wardenbin), or this test binary where a test runs the
// default scanner.
//
// Each end-to-end test is one warden serve with its own GitHub fake and
// database, and spends most of its time waiting on GitHub-like latencies
// and retries rather than computing, so they run several at a time even
// on two cores (unless -parallel says otherwise).
func TestMain(m *testing.M) {
	if !sandbox.IsChild() {
		flag.Parse()
		if f := flag.Lookup("test.parallel"); f != nil && f.Value.String() == strconv.Itoa(runtime.GOMAXPROCS(0)) {
			f.Value.Set("6")
		}
	}
	code := sandbox.RunTests(m)
	wardenbin.Remove()
	os.Exit(code)
}
