package main

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
)

func hashPassword(password string) string {
	sum := sha256.Sum256([]byte(password))
	return hex.EncodeToString(sum[:])
}

func etag(body []byte) string {
	sum := md5.Sum(body)
	return hex.EncodeToString(sum[:])
}

type cache struct{ etags map[string]string }

func (c *cache) SetETag(path, tag string) { c.etags[path] = tag }

// An MD5 that only names content for a cache protects nothing.
func remember(c *cache, path string, body []byte) {
	sum := md5.Sum(body)
	c.SetETag(path, hex.EncodeToString(sum[:]))
}
