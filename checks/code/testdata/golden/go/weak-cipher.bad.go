package main

import (
	"crypto/des"
	"crypto/rc4"
)

func encrypt(key []byte) {
	block, _ := des.NewCipher(key)
	_ = block
	c, _ := rc4.NewCipher(key)
	_ = c
}
