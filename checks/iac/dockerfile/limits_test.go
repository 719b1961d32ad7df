package dockerfile

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func continuedRun(n int, format string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf(format, i)
	}
	return "RUN " + strings.Join(parts, " \\\n && ") + "\n"
}

// Files far larger than anyone writes by hand, of the shapes that made a
// rule search the whole file once per finding, scan in linear time and
// still report what they hold.
func TestLongFilesScanInLinearTime(t *testing.T) {
	var chain strings.Builder
	chain.WriteString("FROM debian:12 AS s0\n")
	for i := 1; i < 20_000; i++ {
		fmt.Fprintf(&chain, "FROM s%d AS s%d\n", i-1, i)
	}
	cases := []struct {
		name, src string
		rule      string
		count     int
	}{
		{"5000 unpinned installs in one RUN", "FROM debian:12\n" + continuedRun(5_000, "apt-get install -y pkg%d") + "USER 1000\n", RulePackagePinning, 5_000},
		{"5000 cache-free installs in one RUN (trap)", "FROM alpine:3.20\n" + continuedRun(5_000, "apk add --no-cache pkg%d=1.0") + "USER 1000\n", RulePackageCache, 0},
		{"5000 installs and one cache clean-up", "FROM debian:12\n" + continuedRun(5_000, "apt-get install -y pkg%d=1") + "RUN rm -rf /var/lib/apt/lists/*\nUSER 1000\n", RulePackageCache, 1},
		{"a chain of 20000 stages", chain.String(), RuleRootUser, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			fs, err := Scan(context.Background(), "Dockerfile", []byte(c.src), Options{Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if took := time.Since(start); took > 20*time.Second {
				t.Errorf("took %s", took)
			}
			n := 0
			for _, f := range fs {
				if f.RuleID == c.rule {
					n++
				}
			}
			if n != c.count {
				t.Errorf("%d %s findings, want %d", n, c.rule, c.count)
			}
		})
	}
}

// A cancelled scan stops between instructions.
func TestScanHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Scan(ctx, "Dockerfile", []byte("FROM debian:12\nRUN sudo apt-get install -y x\n"), Options{Now: now}); err == nil {
		t.Fatal("a cancelled scan went on")
	}
}
