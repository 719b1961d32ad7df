package main

import (
	"math/rand"
	"strconv"
)

func newSessionToken() string {
	return strconv.Itoa(rand.Int())
}

func salt(b []byte) {
	rand.Read(b)
}
