package main

import (
	"net/http"
	"os/exec"
)

func run(w http.ResponseWriter, r *http.Request) {
	dir := r.URL.Query().Get("dir")
	exec.Command("ls", "-l", dir).Run()
}

var tools = map[string]bool{"git": true, "go": true}

func tool(r *http.Request) {
	prog := r.FormValue("tool")
	if !tools[prog] {
		return
	}
	exec.Command("sh", "-c", "echo fixed").Run()
}

// A fixed script; the request's value is one of its arguments, not code.
func report(r *http.Request) {
	exec.Command("python3", "/opt/tools/report.py", "--id", r.FormValue("id")).Run()
}
