package main

import (
	"net/http"

	"github.com/dop251/goja"
)

// The script is fixed; the request's value is handed to it as data.
func preview(w http.ResponseWriter, r *http.Request) {
	vm := goja.New()
	vm.Set("input", r.FormValue("rule"))
	v, err := vm.RunString(`input.trim().toLowerCase()`)
	if err != nil {
		http.Error(w, "script failed", http.StatusInternalServerError)
		return
	}
	w.Write([]byte(v.String()))
}
