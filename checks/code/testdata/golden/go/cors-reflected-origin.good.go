package main

import "net/http"

var trusted = map[string]bool{"https://app.example.com": true}

// The request's origin is sent back only when it is on the list.
func api(w http.ResponseWriter, r *http.Request) {
	origin := r.Header.Get("Origin")
	if trusted[origin] {
		w.Header().Set("Access-Control-Allow-Origin", origin)
		w.Header().Set("Access-Control-Allow-Credentials", "true")
	}
}

func api2(w http.ResponseWriter, r *http.Request) {
	origin := r.Header.Get("Origin")
	if _, ok := trusted[origin]; !ok {
		http.Error(w, "origin not allowed", http.StatusForbidden)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", origin)
	w.Header().Set("Vary", "Origin")
	w.Header().Set("X-Seen-Origin", origin) // not a CORS header
}
