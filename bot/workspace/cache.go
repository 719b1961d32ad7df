package workspace

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// lastUseFile is touched in a cache each time a review uses it; its
// modification time orders the caches for eviction across restarts.
const lastUseFile = "warden-last-use"

// cacheName is a repository cache's directory name: the repository id.
var cacheName = regexp.MustCompile(`^[0-9]+\.git$`)

// cacheEntry is what the collector knows of one cache.
type cacheEntry struct {
	size    int64
	lastUse time.Time
}

// loadCaches sizes every cache under root (at start, so caches kept from
// an earlier run count against the budget).
func (w *Workspace) loadCaches() error {
	entries, err := os.ReadDir(w.root)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.IsDir() || !cacheName.MatchString(e.Name()) {
			continue
		}
		key := strings.TrimSuffix(e.Name(), ".git")
		removeTempPacks(w.dir(key)) // left by a fetch the process did not survive
		w.caches[key] = w.measure(key)
	}
	return nil
}

// measure sizes one cache and reads its last use (the directory's time
// when it was never marked).
func (w *Workspace) measure(key string) cacheEntry {
	dir := w.dir(key)
	var e cacheEntry
	if fi, err := os.Stat(filepath.Join(dir, lastUseFile)); err == nil {
		e.lastUse = fi.ModTime()
	} else if fi, err := os.Lstat(dir); err == nil {
		e.lastUse = fi.ModTime()
	}
	// WalkDir does not follow symbolic links; the caches hold none anyway.
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				e.size += fi.Size()
			}
		}
		return nil
	})
	return e
}

// removeTempPacks deletes the partial packs of fetches that did not
// finish. Call it only while no fetch into dir runs.
func removeTempPacks(dir string) {
	tmp, _ := filepath.Glob(filepath.Join(dir, "objects", "pack", "tmp_*"))
	for _, p := range tmp {
		os.Remove(p)
	}
}

// used records that key's cache served a review now, with its new size.
func (w *Workspace) used(key string) {
	dir := w.dir(key)
	now := w.now()
	if f, err := os.OpenFile(filepath.Join(dir, lastUseFile), os.O_CREATE|os.O_WRONLY, 0o600); err == nil {
		f.Close()
		os.Chtimes(filepath.Join(dir, lastUseFile), now, now)
	}
	e := w.measure(key)
	e.lastUse = now
	w.mu.Lock()
	w.caches[key] = e
	w.mu.Unlock()
}

// collect deletes the least recently used caches until the caches fit the
// disk budget. A cache used within MinIdle may still be read by a running
// review (a target reads objects from it lazily), and one being fetched is
// locked: neither is deleted, so the budget can be exceeded briefly.
func (w *Workspace) collect() {
	w.mu.Lock()
	var total int64
	keys := make([]string, 0, len(w.caches))
	for k, e := range w.caches {
		total += e.size
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return w.caches[a].lastUse.Compare(w.caches[b].lastUse) })
	entries := make([]cacheEntry, len(keys))
	for i, k := range keys {
		entries[i] = w.caches[k]
	}
	w.mu.Unlock()
	for i, key := range keys {
		if total <= w.limits.MaxCacheBytes {
			return
		}
		if w.now().Sub(entries[i].lastUse) < w.limits.MinIdle {
			continue
		}
		if w.evict(key, entries[i].lastUse) {
			total -= entries[i].size
		}
	}
}

// evict deletes key's cache unless it is being fetched or was used since
// the collector looked.
func (w *Workspace) evict(key string, seen time.Time) bool {
	l := w.repoLock(key)
	if !l.TryLock() {
		return false
	}
	defer l.Unlock()
	w.mu.Lock()
	e, ok := w.caches[key]
	w.mu.Unlock()
	if !ok || e.lastUse.After(seen) {
		return false
	}
	if err := os.RemoveAll(w.dir(key)); err != nil {
		return false
	}
	w.mu.Lock()
	delete(w.caches, key)
	w.mu.Unlock()
	return true
}
