// Command crashchild stands in for a scan child that dies: it applies the
// limits its parent passed, then misbehaves the way MISBEHAVE names, so the
// parent's handling of each death can be tested with real processes and
// real limits.
package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/wardenbot/warden/bot/sandbox/limits"
)

var sink [][]byte

func main() {
	if err := limits.Apply(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	switch os.Getenv("MISBEHAVE") {
	case "oom": // grows until the address-space limit stops it
		for {
			b := make([]byte, 64<<20)
			for i := range b {
				b[i] = 1
			}
			sink = append(sink, b)
		}
	case "spin": // burns processor time
		for {
			runtime.Gosched()
		}
	case "hang":
		time.Sleep(time.Hour)
	case "panic": // a panic in a goroutine takes any process down
		go func() { panic("index 7 of a secret-looking value AKIA0000") }()
		time.Sleep(time.Minute)
	case "silent":
		os.Exit(0)
	case "garbage":
		fmt.Fprintln(os.NewFile(4, "to-parent"), "{not json")
	case "env": // reports the environment it was given as its error
		fmt.Fprintf(os.NewFile(4, "to-parent"), "{\"outcome\":{\"error\":%q}}\n", strings.Join(os.Environ(), " "))
	}
}
