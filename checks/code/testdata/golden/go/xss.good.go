package main

import (
	"fmt"
	"html"
	"html/template"
	"net/http"
)

var page = template.Must(template.New("p").Parse("<h1>Hello {{.}}</h1>"))

func hello(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	fmt.Fprintf(w, "<h1>Hello %s</h1>", html.EscapeString(name))
}

func tpl(w http.ResponseWriter, r *http.Request) {
	page.Execute(w, r.FormValue("name"))
}
