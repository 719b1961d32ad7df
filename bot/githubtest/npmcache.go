package githubtest

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Pinned npm packages holding GitHub's published descriptions.
const (
	OpenAPIPackage         = "@octokit/openapi@23.0.2"
	openAPIMember          = "package/generated/api.github.com.json"
	WebhookExamplesPackage = "@octokit/webhooks-examples@7.6.1"
	webhookExamplesMember  = "package/api.github.com/index.json"
)

// CacheDir is where npm tarballs and extracted files are kept: env
// WARDEN_TEST_CACHE, else <module root>/.cache (gitignored), else the user
// cache directory.
func CacheDir() string {
	if d := os.Getenv("WARDEN_TEST_CACHE"); d != "" {
		return d
	}
	if wd, err := os.Getwd(); err == nil {
		for dir := wd; ; dir = filepath.Dir(dir) {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				return filepath.Join(dir, ".cache")
			}
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "warden")
	}
	return filepath.Join(os.TempDir(), "warden-cache")
}

// FetchOpenAPISpec returns GitHub's api.github.com.json from the pinned
// @octokit/openapi package.
func FetchOpenAPISpec(ctx context.Context, cacheDir string) ([]byte, error) {
	return FetchNPMFile(ctx, cacheDir, OpenAPIPackage, openAPIMember)
}

// FetchWebhookExamples returns the real example deliveries of the pinned
// @octokit/webhooks-examples package.
func FetchWebhookExamples(ctx context.Context, cacheDir string) ([]byte, error) {
	return FetchNPMFile(ctx, cacheDir, WebhookExamplesPackage, webhookExamplesMember)
}

// FetchNPMFile returns one file of an npm package tarball, using `npm pack`
// (which knows its registry) on a cache miss. Files land atomically, so
// concurrent test processes may share the cache.
func FetchNPMFile(ctx context.Context, cacheDir, pkg, member string) ([]byte, error) {
	if cacheDir == "" {
		cacheDir = CacheDir()
	}
	slug := strings.NewReplacer("@", "-", "/", "-").Replace(strings.TrimPrefix(pkg, "@"))
	extracted := filepath.Join(cacheDir, "npm", slug, filepath.Base(member))
	if data, err := os.ReadFile(extracted); err == nil {
		return data, nil
	}
	tarball := filepath.Join(cacheDir, "npm", slug+".tgz")
	if _, err := os.Stat(tarball); err != nil {
		if err := npmPack(ctx, pkg, tarball); err != nil {
			return nil, err
		}
	}
	data, err := readTarballMember(tarball, member)
	if err != nil {
		return nil, err
	}
	if err := writeAtomic(extracted, data); err != nil {
		return nil, err
	}
	return data, nil
}

func npmPack(ctx context.Context, pkg, dest string) error {
	if _, err := exec.LookPath("npm"); err != nil {
		return fmt.Errorf("githubtest: npm not found, cannot fetch %s: %w", pkg, err)
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return fmt.Errorf("githubtest: cache dir: %w", err)
	}
	work, err := os.MkdirTemp(filepath.Dir(dest), "pack-")
	if err != nil {
		return fmt.Errorf("githubtest: pack dir: %w", err)
	}
	defer os.RemoveAll(work)
	cmd := exec.CommandContext(ctx, "npm", "pack", pkg, "--json", "--silent")
	cmd.Dir = work
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("githubtest: npm pack %s: %w: %s", pkg, err, strings.TrimSpace(stderr.String()))
	}
	var packed []struct {
		Filename string `json:"filename"`
	}
	if err := json.Unmarshal(out, &packed); err != nil || len(packed) != 1 {
		return fmt.Errorf("githubtest: npm pack %s: unexpected output: %v", pkg, err)
	}
	if err := os.Rename(filepath.Join(work, filepath.Base(packed[0].Filename)), dest); err != nil {
		return fmt.Errorf("githubtest: store %s: %w", pkg, err)
	}
	return nil
}

func readTarballMember(tarball, member string) ([]byte, error) {
	f, err := os.Open(tarball)
	if err != nil {
		return nil, fmt.Errorf("githubtest: open %s: %w", tarball, err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("githubtest: gunzip %s: %w", tarball, err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("githubtest: %s has no %s", tarball, member)
		}
		if err != nil {
			return nil, fmt.Errorf("githubtest: read %s: %w", tarball, err)
		}
		if h.Name == member {
			data, err := io.ReadAll(io.LimitReader(tr, 256<<20))
			if err != nil {
				return nil, fmt.Errorf("githubtest: read %s: %w", member, err)
			}
			return data, nil
		}
	}
}

func writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("githubtest: cache dir: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-")
	if err != nil {
		return fmt.Errorf("githubtest: cache file: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("githubtest: cache file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("githubtest: cache file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("githubtest: cache file: %w", err)
	}
	return nil
}
