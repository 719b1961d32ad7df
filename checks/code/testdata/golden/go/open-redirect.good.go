package main

import "net/http"

func login(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	http.Redirect(w, r, "/profile/"+id, http.StatusFound)
}

func back(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	if next != "/home" && next != "/settings" {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusFound)
}
