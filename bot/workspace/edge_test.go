package workspace_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/workspace"
	"github.com/wardenbot/warden/internal/gittest"
)

func randomText(n int) string {
	b := make([]byte, n/2)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// The caches hold private repositories' code: their directory is created
// 0700, tightened to 0700 when it is ours, and refused when anyone else
// could have planted something in it.
func TestPrivateWorkdir(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, dir string)
		want  string // error text; "" means accepted
	}{
		{"created private", func(t *testing.T, dir string) {}, ""},
		{"group readable is tightened", func(t *testing.T, dir string) { mkdir(t, dir, 0o755) }, ""},
		{"world writable", func(t *testing.T, dir string) { mkdir(t, dir, 0o777) }, "writable by every user"},
		{"world writable with sticky bit", func(t *testing.T, dir string) {
			mkdir(t, dir, 0o777)
			os.Chmod(dir, 0o777|fs.ModeSticky)
		}, "writable by every user"},
		{"symbolic link", func(t *testing.T, dir string) {
			target := t.TempDir()
			if err := os.Symlink(target, dir); err != nil {
				t.Fatal(err)
			}
		}, "symbolic link"},
		{"a file", func(t *testing.T, dir string) { os.WriteFile(dir, nil, 0o600) }, "not a directory"},
		{"foreign owner", func(t *testing.T, dir string) {
			if os.Geteuid() != 0 {
				t.Skip("changing a directory's owner needs root")
			}
			mkdir(t, dir, 0o700)
			if err := os.Chown(dir, 4242, 4242); err != nil {
				t.Fatal(err)
			}
		}, "belongs to uid 4242"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "repos")
			tc.setup(t, dir)
			_, err := workspace.New(dir, nil, workspace.Limits{})
			if tc.want != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("got %v, want an error saying %q", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			fi, err := os.Lstat(dir)
			if err != nil {
				t.Fatal(err)
			}
			if perm := fi.Mode().Perm(); perm != 0o700 {
				t.Errorf("cache directory mode %o, want 700", perm)
			}
		})
	}
}

func mkdir(t *testing.T, dir string, mode os.FileMode) {
	t.Helper()
	if err := os.Mkdir(dir, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, mode); err != nil { // past the umask
		t.Fatal(err)
	}
}

// A cache whose files are damaged is deleted and fetched afresh, once,
// instead of failing every later review of the repository.
func TestCorruptedCacheRecloned(t *testing.T) {
	for _, tc := range []struct {
		name    string
		corrupt func(t *testing.T, cache string)
	}{
		{"pack bytes flipped", func(t *testing.T, cache string) {
			packs, _ := filepath.Glob(filepath.Join(cache, "objects", "pack", "*.pack"))
			if len(packs) == 0 {
				t.Fatal("no pack in the cache")
			}
			for _, p := range packs {
				b, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				for i := 12; i < len(b)-20; i++ {
					b[i] ^= 0x5a
				}
				os.WriteFile(p, b, 0o600)
			}
		}},
		{"pack index truncated", func(t *testing.T, cache string) {
			idx, _ := filepath.Glob(filepath.Join(cache, "objects", "pack", "*.idx"))
			for _, p := range idx {
				os.Truncate(p, 10)
			}
		}},
		{"config garbled", func(t *testing.T, cache string) {
			os.WriteFile(filepath.Join(cache, "config"), []byte("[core\n\x00garbage = = ="), 0o600)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newGitServer(t)
			r := gittest.New(t)
			base := r.Commit("base", map[string]string{"app.go": "package app\n", "data.txt": randomText(4000)})
			url := srv.publish(t, r, "o/corrupt", 1, base.Hash)
			root := t.TempDir()
			ws, err := workspace.New(root, nil, workspace.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			req := workspace.Request{RepoID: 11, CloneURL: url, Token: token(goodToken), BaseRef: "main", PR: 1, HeadSHA: base.Hash.String()}
			if _, err := ws.Prepare(context.Background(), req); err != nil {
				t.Fatal(err)
			}
			tc.corrupt(t, filepath.Join(root, "11.git"))

			r.Branch("feature", base)
			head := r.Commit("change", map[string]string{"app.go": "package app\n\nvar x = 1\n"})
			srv.publish(t, r, "o/corrupt", 1, head.Hash)
			req.HeadSHA = head.Hash.String()
			// A new process finds the damaged cache on disk.
			ws2, err := workspace.New(root, nil, workspace.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			tgt, err := ws2.Prepare(context.Background(), req)
			if err != nil {
				t.Fatalf("review of a repository with a damaged cache: %v", err)
			}
			if fc := tgt.Diff.File("app.go"); fc == nil || !fc.Added.Contains(3) {
				t.Errorf("diff after the re-clone: %+v", fc)
			}
			data, err := tgt.Head.ReadFile(context.Background(), "data.txt")
			if err != nil || len(data) != 4000 {
				t.Errorf("reading a base file after the re-clone: %d bytes, %v", len(data), err)
			}
		})
	}
}

// The caches stay under their disk budget: the least recently used are
// deleted first, a cache used again moves to the back of the line, and
// caches left by an earlier run count too.
func TestCacheCollectedUnderDiskBudget(t *testing.T) {
	srv := newGitServer(t)
	root := t.TempDir()
	type repo struct {
		id  int64
		url string
		sha string
	}
	var repos []repo
	for i := range 4 {
		r := gittest.New(t)
		c := r.Commit("base", map[string]string{"blob.txt": randomText(64 << 10)})
		repos = append(repos, repo{int64(100 + i), srv.publish(t, r, "o/gc"+itoa(i), 1, c.Hash), c.Hash.String()})
	}
	prepare := func(ws *workspace.Workspace, r repo) {
		t.Helper()
		if _, err := ws.Prepare(context.Background(), workspace.Request{RepoID: r.id, CloneURL: r.url, Token: token(goodToken), BaseRef: "main", PR: 1, HeadSHA: r.sha}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond) // distinct last-use times
	}
	cached := func() (out []int64) {
		for _, r := range repos {
			if _, err := os.Stat(filepath.Join(root, itoa(int(r.id))+".git")); err == nil {
				out = append(out, r.id)
			}
		}
		return out
	}
	// One cache is ~35 KiB on disk (64 KiB of hex compresses to half);
	// the budget holds two of them.
	limits := workspace.Limits{MaxCacheBytes: 90 << 10, MinIdle: time.Nanosecond}
	ws, err := workspace.New(root, nil, limits)
	if err != nil {
		t.Fatal(err)
	}
	prepare(ws, repos[0])
	prepare(ws, repos[1])
	prepare(ws, repos[0]) // 100 used again: 101 is now the least recent
	prepare(ws, repos[2])
	if got := cached(); !equal(got, []int64{100, 102}) {
		t.Fatalf("caches after using 100, 101, 100, 102 under a budget of two: %v, want [100 102]", got)
	}
	// A restart finds both caches and still keeps to the budget.
	ws2, err := workspace.New(root, nil, limits)
	if err != nil {
		t.Fatal(err)
	}
	prepare(ws2, repos[3])
	if got := cached(); !equal(got, []int64{102, 103}) {
		t.Fatalf("caches after a restart and a review of 103: %v, want [102 103]", got)
	}
	// Caches in use by a running review (used within MinIdle) are kept,
	// even over budget.
	ws3, _ := workspace.New(root, nil, workspace.Limits{MaxCacheBytes: 1 << 10, MinIdle: time.Hour})
	prepare(ws3, repos[0])
	if got := cached(); !equal(got, []int64{100, 102, 103}) {
		t.Errorf("recently used caches were deleted: %v", got)
	}
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A fetch that receives more than the fetch limit is aborted with a
// LimitError (the review reports it as not scanned), and whatever it had
// written of the pack does not stay on disk.
func TestOversizedPack(t *testing.T) {
	srv := newGitServer(t)
	r := gittest.New(t)
	c := r.Commit("big", map[string]string{"blob.txt": randomText(512 << 10)})
	url := srv.publish(t, r, "o/oversized", 1, c.Hash)
	root := t.TempDir()
	ws, _ := workspace.New(root, nil, workspace.Limits{MaxFetchBytes: 64 << 10})
	_, err := ws.Prepare(context.Background(), workspace.Request{RepoID: 13, CloneURL: url, Token: token(goodToken), BaseRef: "main", PR: 1, HeadSHA: c.Hash.String()})
	var lim *workspace.LimitError
	if !errors.As(err, &lim) || !strings.Contains(lim.What, "fetch limit") {
		t.Fatalf("got %v, want a fetch LimitError", err)
	}
	var onDisk int64
	filepath.WalkDir(root, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			fi, _ := d.Info()
			onDisk += fi.Size()
		}
		return nil
	})
	if onDisk > 4<<10 {
		t.Errorf("%d KiB left on disk after a fetch aborted at 64 KiB", onDisk>>10)
	}
}
