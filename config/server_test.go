package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wardenbot/warden/config"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestServerConfigFromEnvironmentAndFlags(t *testing.T) {
	key := filepath.Join(t.TempDir(), "app.pem")
	os.WriteFile(key, []byte("-----BEGIN RSA PRIVATE KEY-----\n"), 0o600)
	s, err := config.LoadServer([]string{"--workers", "9", "--listen", "127.0.0.1:9000"}, env(map[string]string{
		"WARDEN_APP_ID": "42", "WARDEN_PRIVATE_KEY_FILE": key, "WARDEN_WEBHOOK_SECRET": "s3cret",
		"WARDEN_WORKERS": "2", "WARDEN_DATABASE_URL": "postgres://u@127.0.0.1/test",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if s.AppID != 42 || s.Workers != 9 || s.Listen != "127.0.0.1:9000" || !strings.HasPrefix(string(s.PrivateKey), "-----BEGIN") || s.DatabaseURL != "postgres://u@127.0.0.1/test" {
		t.Errorf("got %+v", s)
	}
	if s.GitHubAPIURL != config.DefaultAPIURL || s.OSVURL != config.DefaultOSVURL || s.LogLevel != "info" {
		t.Errorf("defaults: %+v", s)
	}
	// Metrics, readiness and pprof stay on loopback unless asked.
	if s.AdminListen != "127.0.0.1:9090" || s.CacheMaxBytes != 10<<30 || s.FetchMaxBytes != 2<<30 {
		t.Errorf("defaults: admin %q, cache %d, fetch %d", s.AdminListen, s.CacheMaxBytes, s.FetchMaxBytes)
	}
}

func TestServerAdminListenAndSizes(t *testing.T) {
	base := map[string]string{"WARDEN_APP_ID": "1", "WARDEN_PRIVATE_KEY": "pem", "WARDEN_WEBHOOK_SECRET": "x"}
	for _, tc := range []struct {
		env          map[string]string
		admin        string
		cache, fetch int64
	}{
		{map[string]string{"WARDEN_ADMIN_LISTEN": "10.0.0.5:9100"}, "10.0.0.5:9100", 10 << 30, 2 << 30},
		{map[string]string{"WARDEN_ADMIN_LISTEN": "off"}, "", 10 << 30, 2 << 30},
		{map[string]string{"WARDEN_CACHE_MAX_BYTES": "500MiB", "WARDEN_FETCH_MAX_BYTES": "3G"}, "127.0.0.1:9090", 500 << 20, 3 << 30},
		{map[string]string{"WARDEN_CACHE_MAX_BYTES": "2097152"}, "127.0.0.1:9090", 2 << 20, 2 << 30},
	} {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for k, v := range tc.env {
			m[k] = v
		}
		s, err := config.LoadServer(nil, env(m))
		if err != nil {
			t.Errorf("%v: %v", tc.env, err)
			continue
		}
		if s.AdminListen != tc.admin || s.CacheMaxBytes != tc.cache || s.FetchMaxBytes != tc.fetch {
			t.Errorf("%v: admin %q cache %d fetch %d", tc.env, s.AdminListen, s.CacheMaxBytes, s.FetchMaxBytes)
		}
	}
	for _, bad := range []string{"1.5GiB", "10PB", "GiB", "-1", "100", "99999999999999999999"} {
		m := map[string]string{"WARDEN_CACHE_MAX_BYTES": bad}
		for k, v := range base {
			m[k] = v
		}
		if _, err := config.LoadServer(nil, env(m)); err == nil || !strings.Contains(err.Error(), "WARDEN_CACHE_MAX_BYTES") {
			t.Errorf("WARDEN_CACHE_MAX_BYTES=%q: %v", bad, err)
		}
	}
}

func TestServerConfigErrors(t *testing.T) {
	base := map[string]string{"WARDEN_APP_ID": "1", "WARDEN_PRIVATE_KEY": "pem", "WARDEN_WEBHOOK_SECRET": "x"}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range base {
			m[a] = b
		}
		if v == "" {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	for name, tc := range map[string]struct {
		env  map[string]string
		args []string
		want string
	}{
		"no secret":     {with("WARDEN_WEBHOOK_SECRET", ""), nil, "WARDEN_WEBHOOK_SECRET"},
		"no app id":     {with("WARDEN_APP_ID", ""), nil, "WARDEN_APP_ID"},
		"bad app id":    {with("WARDEN_APP_ID", "abc"), nil, "positive number"},
		"no key":        {with("WARDEN_PRIVATE_KEY", ""), nil, "WARDEN_PRIVATE_KEY_FILE or WARDEN_PRIVATE_KEY"},
		"key file gone": {with("WARDEN_PRIVATE_KEY_FILE", "/nonexistent/key.pem"), nil, "no such file"},
		"bad db":        {with("WARDEN_DATABASE_URL", "mysql://x"), nil, "sqlite:// or postgres://"},
		"bad api":       {with("WARDEN_GITHUB_API_URL", "ftp://x"), nil, "not an http(s) URL"},
		"bad level":     {with("WARDEN_LOG_LEVEL", "loud"), nil, "WARDEN_LOG_LEVEL"},
		"bad workers":   {base, []string{"--workers", "0"}, "between 1 and 256"},
		"unknown flag":  {base, []string{"--nope"}, "flag provided but not defined"},
	} {
		t.Run(name, func(t *testing.T) {
			if name == "key file gone" {
				delete(tc.env, "WARDEN_PRIVATE_KEY")
			}
			_, err := config.LoadServer(tc.args, env(tc.env))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), "pem") {
				t.Errorf("error echoes the key: %v", err)
			}
		})
	}
}
