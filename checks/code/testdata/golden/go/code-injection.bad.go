package main

import (
	"net/http"

	"github.com/dop251/goja"
	"github.com/traefik/yaegi/interp"
)

// A "rule preview" that runs the caller's JavaScript inside the server.
func preview(w http.ResponseWriter, r *http.Request) {
	vm := goja.New()
	v, err := vm.RunString(r.FormValue("rule"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Write([]byte(v.String()))
}

// Go source from the request, interpreted with the server's privileges.
func plugin(w http.ResponseWriter, r *http.Request) {
	i := interp.New(interp.Options{})
	i.Eval("package p\n" + r.FormValue("src"))
}
