package inventory

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"path"
	"time"

	"github.com/wardenbot/warden/checks"
)

// treeFS presents one file of a checks.Tree (and, when siblings is set, the
// rest of the tree on demand) as the fs.FS scalibr extractors read. Reads go
// through Tree.ReadFile, so symlinks are never followed and nothing touches
// the disk beyond what the tree allows.
type treeFS struct {
	ctx      context.Context
	tree     checks.Tree
	root     string
	content  []byte
	siblings bool
	maxSize  int64
}

func (t *treeFS) read(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if name == t.root {
		return t.content, nil
	}
	if !t.siblings || t.tree == nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	data, err := t.tree.ReadFile(t.ctx, name)
	switch {
	case errors.Is(err, checks.ErrNotFound):
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	case err != nil:
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	case t.maxSize > 0 && int64(len(data)) > t.maxSize:
		return nil, &fs.PathError{Op: "open", Path: name, Err: checks.ErrTooLarge}
	}
	return data, nil
}

func (t *treeFS) Open(name string) (fs.File, error) {
	data, err := t.read(name)
	if err != nil {
		return nil, err
	}
	return &memFile{Reader: bytes.NewReader(data), info: fileInfo{name: path.Base(name), size: int64(len(data))}}, nil
}

func (t *treeFS) Stat(name string) (fs.FileInfo, error) {
	data, err := t.read(name)
	if err != nil {
		return nil, err
	}
	return fileInfo{name: path.Base(name), size: int64(len(data))}, nil
}

// ReadDir is not offered: no extractor warden uses lists directories.
func (t *treeFS) ReadDir(name string) ([]fs.DirEntry, error) {
	return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
}

type memFile struct {
	*bytes.Reader
	info fileInfo
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Close() error               { return nil }

var _ io.ReaderAt = (*memFile)(nil)

type fileInfo struct {
	name string
	size int64
}

func (i fileInfo) Name() string       { return i.name }
func (i fileInfo) Size() int64        { return i.size }
func (i fileInfo) Mode() fs.FileMode  { return 0o444 }
func (i fileInfo) ModTime() time.Time { return time.Time{} }
func (i fileInfo) IsDir() bool        { return false }
func (i fileInfo) Sys() any           { return nil }

// fileAPI answers an extractor's FileRequired question.
type fileAPI struct {
	path string
	info fileInfo
}

func (a fileAPI) Path() string               { return a.path }
func (a fileAPI) Stat() (fs.FileInfo, error) { return a.info, nil }
