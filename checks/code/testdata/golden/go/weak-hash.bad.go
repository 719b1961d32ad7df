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

type account struct{ hash []byte }

func (a *account) SetPassword(h []byte) { a.hash = h }

// Nothing around the hash says what it is for; where it goes does.
func register(a *account, input string) {
	h := md5.New()
	h.Write([]byte(input))
	a.SetPassword(h.Sum(nil))
}
