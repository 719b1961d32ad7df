package config

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Server is `warden serve`'s configuration: environment variables, each
// overridden by the flag of the same name (WARDEN_APP_ID → --app-id).
type Server struct {
	AppID          int64
	PrivateKey     []byte // PEM, from WARDEN_PRIVATE_KEY or the file WARDEN_PRIVATE_KEY_FILE
	WebhookSecret  string
	Listen         string
	AdminListen    string // /metrics, /readyz and pprof; "" serves none of them
	GitHubAPIURL   string
	DatabaseURL    string
	OSVURL         string
	LogLevel       string
	Workers        int
	WorkDir        string // repository caches
	CacheMaxBytes  int64  // disk budget of the repository caches
	FetchMaxBytes  int64  // bytes one fetch may receive
	ScanMemory     int64  // address space of one scan's child process, bytes
	ScanTimeout    time.Duration
	OrgConfigRepo  string // the organisation repository holding defaults (".github")
	privateKeyFile string
}

// Server defaults.
const (
	DefaultListen      = ":8080"
	DefaultAdminListen = "127.0.0.1:9090"
	DefaultAPIURL      = "https://api.github.com/"
	DefaultDatabaseURL = "sqlite://warden.db"
	DefaultOSVURL      = "https://api.osv.dev"
	DefaultWorkers     = 4
	DefaultCacheMax    = 10 << 30
	DefaultFetchMax    = 2 << 30
)

type serverVar struct {
	env, flag, usage string
	set              func(s *Server, v string) error
}

var serverVars = []serverVar{
	{"WARDEN_APP_ID", "app-id", "GitHub App id", func(s *Server, v string) error {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return fmt.Errorf("WARDEN_APP_ID must be a positive number, got %q", v)
		}
		s.AppID = id
		return nil
	}},
	{"WARDEN_PRIVATE_KEY_FILE", "private-key-file", "path of the App's PEM private key", func(s *Server, v string) error { s.privateKeyFile = v; return nil }},
	{"WARDEN_PRIVATE_KEY", "private-key", "the App's PEM private key itself", func(s *Server, v string) error { s.PrivateKey = []byte(v); return nil }},
	{"WARDEN_WEBHOOK_SECRET", "webhook-secret", "webhook secret (required)", func(s *Server, v string) error { s.WebhookSecret = v; return nil }},
	{"WARDEN_LISTEN", "listen", "address to listen on", func(s *Server, v string) error { s.Listen = v; return nil }},
	{"WARDEN_ADMIN_LISTEN", "admin-listen", "internal address for /metrics, /readyz and pprof (off: none)", func(s *Server, v string) error {
		s.AdminListen = v
		if v == "off" {
			s.AdminListen = ""
		}
		return nil
	}},
	{"WARDEN_GITHUB_API_URL", "github-api-url", "GitHub REST API base URL", func(s *Server, v string) error { s.GitHubAPIURL = v; return nil }},
	{"WARDEN_DATABASE_URL", "database-url", "sqlite://FILE or postgres://…", func(s *Server, v string) error { s.DatabaseURL = v; return nil }},
	{"WARDEN_OSV_URL", "osv-url", "OSV API base URL", func(s *Server, v string) error { s.OSVURL = v; return nil }},
	{"WARDEN_LOG_LEVEL", "log-level", "debug, info, warn or error", func(s *Server, v string) error { s.LogLevel = v; return nil }},
	{"WARDEN_WORKERS", "workers", "concurrent scans", func(s *Server, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 256 {
			return fmt.Errorf("WARDEN_WORKERS must be between 1 and 256, got %q", v)
		}
		s.Workers = n
		return nil
	}},
	{"WARDEN_WORKDIR", "workdir", "directory for repository caches", func(s *Server, v string) error { s.WorkDir = v; return nil }},
	{"WARDEN_CACHE_MAX_BYTES", "cache-max-bytes", "disk budget of the repository caches (e.g. 10GiB)", func(s *Server, v string) error {
		n, err := parseBytes(v)
		if err != nil || n < 1<<20 {
			return fmt.Errorf("WARDEN_CACHE_MAX_BYTES must be a size of at least 1MiB, got %q", v)
		}
		s.CacheMaxBytes = n
		return nil
	}},
	{"WARDEN_FETCH_MAX_BYTES", "fetch-max-bytes", "bytes one fetch may receive (e.g. 2GiB)", func(s *Server, v string) error {
		n, err := parseBytes(v)
		if err != nil || n < 1<<20 {
			return fmt.Errorf("WARDEN_FETCH_MAX_BYTES must be a size of at least 1MiB, got %q", v)
		}
		s.FetchMaxBytes = n
		return nil
	}},
	{"WARDEN_SCAN_MEMORY", "scan-memory", "address space of one scan's child process (e.g. 4GiB)", func(s *Server, v string) error {
		n, err := parseBytes(v)
		if err != nil || n < 256<<20 {
			return fmt.Errorf("WARDEN_SCAN_MEMORY must be a size of at least 256MiB, got %q", v)
		}
		s.ScanMemory = n
		return nil
	}},
	{"WARDEN_SCAN_TIMEOUT", "scan-timeout", "wall-clock limit of one scan, e.g. 10m", func(s *Server, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < 10*time.Second || d > 14*time.Minute {
			return fmt.Errorf("WARDEN_SCAN_TIMEOUT must be a duration between 10s and 14m (a job's own limit is 15m), got %q", v)
		}
		s.ScanTimeout = d
		return nil
	}},
}

// LoadServer reads the environment (getenv) and then args as flags.
func LoadServer(args []string, getenv func(string) string) (*Server, error) {
	s := &Server{Listen: DefaultListen, AdminListen: DefaultAdminListen, CacheMaxBytes: DefaultCacheMax, FetchMaxBytes: DefaultFetchMax, GitHubAPIURL: DefaultAPIURL, DatabaseURL: DefaultDatabaseURL, OSVURL: DefaultOSVURL, LogLevel: "info", Workers: DefaultWorkers, OrgConfigRepo: ".github"}
	for _, v := range serverVars {
		if val := getenv(v.env); val != "" {
			if err := v.set(s, val); err != nil {
				return nil, err
			}
		}
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(discard{})
	for _, v := range serverVars {
		v := v
		fs.Func(v.flag, v.usage+" ("+v.env+")", func(val string) error { return v.set(s, val) })
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if s.privateKeyFile != "" && len(s.PrivateKey) == 0 {
		b, err := os.ReadFile(s.privateKeyFile)
		if err != nil {
			return nil, fmt.Errorf("reading WARDEN_PRIVATE_KEY_FILE: %w", pathError(err))
		}
		s.PrivateKey = b
	}
	return s, s.validate()
}

func (s *Server) validate() error {
	var missing []string
	if s.AppID == 0 {
		missing = append(missing, "WARDEN_APP_ID")
	}
	if len(s.PrivateKey) == 0 {
		missing = append(missing, "WARDEN_PRIVATE_KEY_FILE or WARDEN_PRIVATE_KEY")
	}
	if s.WebhookSecret == "" {
		missing = append(missing, "WARDEN_WEBHOOK_SECRET")
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing configuration: %s", strings.Join(missing, ", "))
	}
	u, err := url.Parse(s.GitHubAPIURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("WARDEN_GITHUB_API_URL %q is not an http(s) URL", s.GitHubAPIURL)
	}
	if !strings.HasPrefix(s.DatabaseURL, "sqlite://") && !strings.HasPrefix(s.DatabaseURL, "postgres://") && !strings.HasPrefix(s.DatabaseURL, "postgresql://") {
		return errors.New("WARDEN_DATABASE_URL must start with sqlite:// or postgres://")
	}
	switch s.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("WARDEN_LOG_LEVEL must be debug, info, warn or error, got %q", s.LogLevel)
	}
	return nil
}

// parseBytes reads a size: a number of bytes, optionally followed by KiB,
// MiB, GiB or TiB (K, M, G, T mean the same).
func parseBytes(v string) (int64, error) {
	v = strings.TrimSpace(v)
	num := strings.TrimRightFunc(v, func(r rune) bool { return r < '0' || r > '9' })
	unit := strings.TrimSuffix(strings.TrimSpace(v[len(num):]), "iB")
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil {
		return 0, err
	}
	shift := map[string]uint{"": 0, "B": 0, "K": 10, "M": 20, "G": 30, "T": 40}
	sh, ok := shift[unit]
	if !ok || n > (1<<62)>>sh {
		return 0, fmt.Errorf("size %q", v)
	}
	return n << sh, nil
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func pathError(err error) error {
	var pe interface{ Unwrap() error }
	if errors.As(err, &pe) {
		if inner := pe.Unwrap(); inner != nil {
			return inner
		}
	}
	return err
}
