//go:build !unix

package workspace

import "os"

// owner is unknown here; the mode checks still apply.
func owner(os.FileInfo) (int, bool) { return 0, false }
