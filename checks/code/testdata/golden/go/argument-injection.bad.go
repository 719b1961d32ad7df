package main

import (
	"net/http"
	"os/exec"
)

// A branch name like "--upload-pack=touch /tmp/pwned" becomes an option.
func fetchBranch(w http.ResponseWriter, r *http.Request) {
	branch := r.URL.Query().Get("branch")
	exec.Command("git", "fetch", "origin", branch).Run()
}

// "-oProxyCommand=…" runs a command before ssh connects.
func probe(w http.ResponseWriter, r *http.Request) {
	host := r.FormValue("host")
	exec.CommandContext(r.Context(), "/usr/bin/ssh", host, "uptime").Run()
}

// "-o/etc/cron.d/job" makes curl write where the caller says.
func mirror(w http.ResponseWriter, r *http.Request) {
	target := r.FormValue("url")
	exec.Command("curl", target+"?raw=1").Run()
}
