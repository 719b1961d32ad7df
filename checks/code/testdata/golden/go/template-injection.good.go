package main

import (
	"html/template"
	"net/http"
)

var page = template.Must(template.New("preview").Parse(`<p>{{.}}</p>`))

// The template is constant; the caller's text is data, escaped on output.
func preview(w http.ResponseWriter, r *http.Request) {
	page.Execute(w, r.FormValue("template"))
}
