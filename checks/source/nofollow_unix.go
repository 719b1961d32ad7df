//go:build unix

package source

import "syscall"

// noFollow refuses a symlink at the last path element, and O_NONBLOCK
// keeps a FIFO swapped in for a file from blocking the open; it is then
// refused as not a regular file.
const noFollow = syscall.O_NOFOLLOW | syscall.O_NONBLOCK
