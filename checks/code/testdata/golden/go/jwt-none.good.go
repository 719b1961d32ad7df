package main

import "github.com/golang-jwt/jwt/v5"

func parse(s string, key []byte) (*jwt.Token, error) {
	return jwt.Parse(s, func(t *jwt.Token) (interface{}, error) { return key, nil }, jwt.WithValidMethods([]string{"HS256"}))
}
