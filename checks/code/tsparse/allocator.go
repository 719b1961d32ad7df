package tsparse

/*
#include <stdlib.h>

// Declared by the tree-sitter runtime that go-tree-sitter links in.
void ts_set_allocator(void *(*new_malloc)(size_t), void *(*new_calloc)(size_t, size_t),
                      void *(*new_realloc)(void *, size_t), void (*new_free)(void *));

static void warden_ts_use_libc(void) { ts_set_allocator(malloc, calloc, realloc, free); }
*/
import "C"

// The Go bindings route every allocation tree-sitter makes through a Go
// callback that then calls C's malloc: two language crossings per node,
// about a fifth of parse time. The callbacks end in the C allocator
// anyway, so pointing tree-sitter at it directly is equivalent (memory
// allocated before the switch is freed by the same free) and much cheaper.
// This runs after go-tree-sitter's own init, which sets the callbacks.
func init() { C.warden_ts_use_libc() }
