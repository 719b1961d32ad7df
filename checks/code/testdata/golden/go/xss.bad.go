package main

import (
	"fmt"
	"html/template"
	"io"
	"net/http"
)

func hello(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	fmt.Fprintf(w, "<h1>Hello %s</h1>", name)
}

func raw(w http.ResponseWriter, r *http.Request) {
	io.WriteString(w, r.FormValue("msg"))
	w.Write([]byte("<p>" + r.FormValue("note") + "</p>"))
}

func trusted(r *http.Request) template.HTML {
	return template.HTML(r.FormValue("bio"))
}
