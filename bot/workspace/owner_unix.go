//go:build unix

package workspace

import (
	"os"
	"syscall"
)

// owner is the uid owning a file, where the platform says.
func owner(fi os.FileInfo) (int, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), true
}
