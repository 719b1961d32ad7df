// Package npmcache gives tests files from npm packages — GitHub's OpenAPI
// description, real webhook deliveries, the SARIF schema — fetched once with
// `npm pack` (which knows the configured registry) into a cache directory
// and extracted in Go. Nothing fetched is ever committed.
package npmcache

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Dir is the cache directory: $WARDEN_TEST_CACHE, else the user's cache
// directory under warden-test.
func Dir() string {
	if d := os.Getenv("WARDEN_TEST_CACHE"); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "warden-test")
	}
	return filepath.Join(os.TempDir(), "warden-test")
}

var packMu sync.Mutex // one npm pack at a time within a process

// File returns the local path of member (a path inside the package tarball,
// such as "package/sarif-2.1.0.json"), fetching and extracting it into Dir
// if absent.
func File(ctx context.Context, pkg, version, member string) (string, error) {
	return FileIn(ctx, Dir(), pkg, version, member)
}

// FileIn is File with an explicit cache directory.
func FileIn(ctx context.Context, cacheDir, pkg, version, member string) (string, error) {
	dir := filepath.Join(cacheDir, sanitize(pkg)+"@"+version)
	dest := filepath.Join(dir, filepath.FromSlash(member))
	if _, err := os.Stat(dest); err == nil {
		return dest, nil
	}
	packMu.Lock()
	defer packMu.Unlock()
	if _, err := os.Stat(dest); err == nil {
		return dest, nil
	}
	tgz, err := pack(ctx, pkg, version, dir)
	if err != nil {
		return "", err
	}
	if err := extract(tgz, member, dir); err != nil {
		return "", err
	}
	if _, err := os.Stat(dest); err != nil {
		return "", fmt.Errorf("%s@%s has no %s", pkg, version, member)
	}
	return dest, nil
}

// Tree extracts every member under prefix and returns the directory.
func Tree(ctx context.Context, pkg, version, prefix string) (string, error) {
	dir := filepath.Join(Dir(), sanitize(pkg)+"@"+version)
	marker := filepath.Join(dir, ".extracted-"+sanitize(prefix))
	root := filepath.Join(dir, filepath.FromSlash(prefix))
	if _, err := os.Stat(marker); err == nil {
		return root, nil
	}
	packMu.Lock()
	defer packMu.Unlock()
	tgz, err := pack(ctx, pkg, version, dir)
	if err != nil {
		return "", err
	}
	if err := extract(tgz, prefix, dir); err != nil {
		return "", err
	}
	return root, os.WriteFile(marker, nil, 0o644)
}

func pack(ctx context.Context, pkg, version, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "*.tgz"))
	if len(matches) > 0 {
		return matches[0], nil
	}
	if _, err := exec.LookPath("npm"); err != nil {
		return "", fmt.Errorf("npm is not installed; cannot fetch %s@%s", pkg, version)
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "pack", "--silent", pkg+"@"+version)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("npm pack %s@%s: %v: %s", pkg, version, err, strings.TrimSpace(string(out)))
	}
	matches, _ = filepath.Glob(filepath.Join(dir, "*.tgz"))
	if len(matches) == 0 {
		return "", fmt.Errorf("npm pack %s@%s produced no tarball", pkg, version)
	}
	return matches[0], nil
}

// extract writes the tarball's members under prefix into dir, refusing any
// name that would land outside it.
func extract(tgz, prefix, dir string) error {
	f, err := os.Open(tgz)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s: %w", tgz, err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", tgz, err)
		}
		if h.Typeflag != tar.TypeReg || !strings.HasPrefix(h.Name, prefix) {
			continue
		}
		clean := filepath.Clean(filepath.FromSlash(h.Name))
		if filepath.IsAbs(clean) || strings.HasPrefix(clean, "..") {
			continue
		}
		dest := filepath.Join(dir, clean)
		if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
			return err
		}
		tmp := dest + ".tmp"
		out, err := os.Create(tmp)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, io.LimitReader(tr, 512<<20)); err != nil {
			out.Close()
			return err
		}
		if err := out.Close(); err != nil {
			return err
		}
		if err := os.Rename(tmp, dest); err != nil {
			return err
		}
	}
}

func sanitize(s string) string {
	return strings.NewReplacer("/", "__", "@", "", "*", "_").Replace(s)
}

// Required reports whether tests must fail rather than skip when an asset
// cannot be fetched: always in CI.
func Required() bool { return os.Getenv("CI") != "" }
