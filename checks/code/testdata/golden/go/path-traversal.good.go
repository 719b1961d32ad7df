package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

const base = "/srv/files"

func download(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("file")
	p := filepath.Clean(filepath.Join(base, name))
	if !strings.HasPrefix(p, base+string(filepath.Separator)) {
		http.Error(w, "bad path", http.StatusBadRequest)
		return
	}
	data, _ := os.ReadFile(p)
	_ = data
}

func avatar(w http.ResponseWriter, r *http.Request) {
	f, _ := os.Open(filepath.Join(base, filepath.Base(r.FormValue("name"))))
	defer f.Close()
}
