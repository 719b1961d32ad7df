package main

import "github.com/rs/cors"

var c = cors.New(cors.Options{
	AllowedOrigins:   []string{"https://app.example.com"},
	AllowCredentials: true,
})
