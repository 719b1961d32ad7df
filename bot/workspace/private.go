package workspace

import (
	"fmt"
	"os"
)

// privateDir makes root a directory only this process's user can enter:
// the caches hold private repositories' code. A missing directory is
// created 0700; an existing one must be a real directory (not a symbolic
// link) owned by this user and not writable by others, and loses any group
// or other permission it had. Anything else is refused rather than used:
// on a shared temporary directory another user could have made it first.
func privateDir(root string) error {
	if err := os.MkdirAll(root, 0o700); err != nil {
		return err
	}
	fi, err := os.Lstat(root)
	if err != nil {
		return err
	}
	switch {
	case fi.Mode()&os.ModeSymlink != 0:
		return fmt.Errorf("%s is a symbolic link; the cache directory must be a directory of its own", root)
	case !fi.IsDir():
		return fmt.Errorf("%s is not a directory", root)
	}
	if uid, ok := owner(fi); ok && uid != os.Geteuid() {
		return fmt.Errorf("%s belongs to uid %d, not to this process (uid %d); refusing to keep repositories in it", root, uid, os.Geteuid())
	}
	if fi.Mode().Perm()&0o002 != 0 {
		return fmt.Errorf("%s is writable by every user; refusing to keep repositories in it", root)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(root, 0o700); err != nil {
			return fmt.Errorf("making %s private: %w", root, err)
		}
	}
	return nil
}
