package secrets

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wardenbot/warden/checks"
	"github.com/zricethezav/gitleaks/v8/detect"
)

var (
	benchOnce  sync.Once
	benchFiles memTree
	benchBytes int64
)

func benchCorpus() (memTree, int64) {
	benchOnce.Do(func() {
		benchFiles = newCorpus(1).generate(8 << 20)
		for _, c := range benchFiles {
			benchBytes += int64(len(c))
		}
	})
	return benchFiles, benchBytes
}

// BenchmarkFullTree measures full-tree throughput (MB/s) on the corpus.
func BenchmarkFullTree(b *testing.B) {
	files, size := benchCorpus()
	c := newCheck(b, Options{})
	b.SetBytes(size)
	b.ResetTimer()
	start := cpuTime()
	for b.Loop() {
		tg := &checks.Target{Head: files, Paths: files.Paths(), MaxFileSize: checks.DefaultMaxFileSize}
		if _, err := c.Run(context.Background(), tg); err != nil {
			b.Fatal(err)
		}
	}
	reportCPUThroughput(b, start, size)
}

// BenchmarkGitleaksDetector is the baseline: gitleaks' detector over the
// same files with the same concurrency.
func BenchmarkGitleaksDetector(b *testing.B) {
	files, size := benchCorpus()
	d, err := detect.NewDetectorDefaultConfig()
	if err != nil {
		b.Fatal(err)
	}
	d.MaxDecodeDepth = maxDecodeDepth
	paths := files.Paths()
	b.SetBytes(size)
	b.ResetTimer()
	start := cpuTime()
	for b.Loop() {
		var wg sync.WaitGroup
		ch := make(chan string)
		for w := 0; w < 2; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for p := range ch {
					d.DetectContext(context.Background(), detect.Fragment{Raw: files[p], FilePath: p})
				}
			}()
		}
		for _, p := range paths {
			ch <- p
		}
		close(ch)
		wg.Wait()
	}
	reportCPUThroughput(b, start, size)
}

// BenchmarkDiff measures a PR-sized diff scan: 20 changed files with three
// commits' added lines, in a tree of thousands of files.
func BenchmarkDiff(b *testing.B) {
	files, _ := benchCorpus()
	paths := files.Paths()
	var changed []string
	var fcs []checks.FileChange
	var added []checks.AddedLines
	for i := 0; i < 20; i++ {
		p := paths[i*len(paths)/20]
		changed = append(changed, p)
		fcs = append(fcs, checks.FileChange{Path: p, Status: checks.StatusModified, Added: checks.Lines{{Start: 10, End: 40}}})
		var lines []string
		tx := newText(files[p])
		for n := 10; n <= 40 && n <= tx.lines(); n++ {
			lines = append(lines, tx.lineText(n-1))
		}
		added = append(added, checks.AddedLines{Path: p, Runs: []checks.AddedRun{{Start: 10, Text: strings.Join(lines, "\n")}}})
	}
	commits := []checks.Commit{{SHA: "1111111aaaaaaa", Files: added[:10]}, {SHA: "2222222bbbbbbb", Files: added[10:]}, {SHA: "3333333ccccccc", Files: added[5:15]}}
	c := newCheck(b, Options{})
	b.ResetTimer()
	for b.Loop() {
		tg := &checks.Target{Head: files, Paths: changed, MaxFileSize: checks.DefaultMaxFileSize,
			Diff: checks.NewDiff("base", "head", append([]checks.FileChange(nil), fcs...), commits)}
		if _, err := c.Run(context.Background(), tg); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(changed)), "files/op")
	_ = fmt.Sprint()
}

// cpuTime is the process's user+system CPU time. On a shared machine wall
// time says more about the neighbours than about the code; bytes per CPU
// second compares two engines fairly.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPUThroughput(b *testing.B, start time.Duration, size int64) {
	used := cpuTime() - start
	if used > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/used.Seconds()/1e6, "MB/cpu-s")
	}
}
