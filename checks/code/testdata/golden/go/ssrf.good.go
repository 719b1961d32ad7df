package main

import (
	"net/http"
	"net/url"
)

func user(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	resp, err := http.Get("https://api.example.com/users/" + url.PathEscape(id))
	if err != nil {
		return
	}
	defer resp.Body.Close()
}

func search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	http.Get("https://api.example.com/search?q=" + q)
}
