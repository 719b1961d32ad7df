package main

import (
	"html/template"
	"net/http"
)

// A "preview" endpoint that compiles the caller's text as a template: the
// caller can call any method of the data passed to Execute.
func preview(w http.ResponseWriter, r *http.Request) {
	t, err := template.New("preview").Parse(r.FormValue("template"))
	if err != nil {
		http.Error(w, "bad template", http.StatusBadRequest)
		return
	}
	t.Execute(w, r)
}
