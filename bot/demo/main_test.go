package demo

import (
	"os"
	"testing"

	"github.com/wardenbot/warden/bot/sandbox"
)

// Reviews scan in child processes: this test binary is the child.
func TestMain(m *testing.M) { os.Exit(sandbox.RunTests(m)) }
