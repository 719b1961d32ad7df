package workspace

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// An unreadable cache is deleted and fetched afresh once; damage that
// comes back with the fresh fetch fails the review instead of looping.
func TestCorruptedCacheReclonedOnlyOnce(t *testing.T) {
	damaged := &corruptError{errors.New("zlib: invalid header")}
	for _, tc := range []struct {
		name      string
		cached    bool
		results   []error
		wantCalls int
		wantErr   bool
	}{
		{"damaged cache, good fetch", true, []error{damaged, nil}, 2, false},
		{"damaged every time", true, []error{damaged, damaged, damaged}, 2, true},
		{"fresh cache damaged by its own fetch", false, []error{damaged, nil}, 1, true},
		{"other errors are not retried", true, []error{errors.New("the repository has no refs/heads/gone"), nil}, 1, true},
		{"healthy cache", true, []error{nil}, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "1.git")
			if tc.cached {
				os.Mkdir(dir, 0o700)
				os.WriteFile(filepath.Join(dir, "HEAD"), []byte("ref: refs/heads/main\n"), 0o600)
			}
			calls := 0
			_, err := recovering(context.Background(), dir, func() (Fetched, error) {
				err := tc.results[calls]
				calls++
				if err != nil {
					return Fetched{}, err
				}
				return Fetched{RepoPath: dir}, nil
			})
			if calls != tc.wantCalls || (err != nil) != tc.wantErr {
				t.Errorf("%d attempts, error %v; want %d attempts, error %v", calls, err, tc.wantCalls, tc.wantErr)
			}
			if tc.wantCalls == 2 {
				if _, err := os.Stat(filepath.Join(dir, "HEAD")); err == nil {
					t.Error("the damaged cache was not deleted before fetching afresh")
				}
			}
		})
	}
}
