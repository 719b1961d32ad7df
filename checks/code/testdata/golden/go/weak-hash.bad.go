package main

import (
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
)

func hashPassword(password string) string {
	sum := md5.Sum([]byte(password))
	return hex.EncodeToString(sum[:])
}

func signature(payload []byte) []byte {
	h := sha1.New()
	h.Write(payload)
	return h.Sum(nil)
}
