package code

import "time"

// Options configure the code check. The zero value is ready to use.
type Options struct {
	// Languages limits the languages analysed ("go", "python",
	// "javascript", "typescript"); empty means all.
	Languages []string
	// MaxFileSize skips larger source files with a note; 0 means 1 MiB
	// (generated or minified files beyond that are rarely hand-written).
	MaxFileSize int64
	// FileTimeout bounds parsing and analysing one file; 0 means 5 s.
	FileTimeout time.Duration
	// MaxSteps bounds the taint analysis work per file; 0 scales with the
	// file's size.
	MaxSteps int
	// Audit adds lower-confidence findings for code review of risky
	// spots rather than proven flaws: values of unknown origin reaching any
	// sink, local input and environment variables reaching file paths,
	// URLs and commands, math/rand anywhere, listeners on ":port", file
	// creation modes above 0600/0750, findings in test files. Off by
	// default to keep pull-request comments few.
	Audit bool
	// Workers is the number of files analysed at once; 0 means GOMAXPROCS.
	Workers int
}

const (
	defaultMaxFileSize = 1 << 20
	defaultFileTimeout = 5 * time.Second
)
