package main

import (
	"crypto/rand"
	"encoding/hex"
	mrand "math/rand"
	"time"
)

func newSessionToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func backoff(attempt int) time.Duration {
	return time.Duration(mrand.Intn(100*attempt)) * time.Millisecond
}
