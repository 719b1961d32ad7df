package main

import (
	"os"
	"testing"

	"github.com/wardenbot/warden/bot/sandbox"
	"github.com/wardenbot/warden/internal/wardenbin"
)

// The demo scans in child processes (this test binary); the hostile-input
// tests run the warden binary (wardenbin).
func TestMain(m *testing.M) {
	code := sandbox.RunTests(m)
	wardenbin.Remove()
	os.Exit(code)
}
