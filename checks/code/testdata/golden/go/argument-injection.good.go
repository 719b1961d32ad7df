package main

import (
	"net/http"
	"os"
	"os/exec"
	"strings"
)

// "--" ends git's options: whatever follows is a path.
func history(w http.ResponseWriter, r *http.Request) {
	exec.Command("git", "log", "--oneline", "--", r.FormValue("path")).Run()
}

// A fixed prefix means the value can never begin with "-".
func fetchBranch(w http.ResponseWriter, r *http.Request) {
	exec.Command("git", "fetch", "origin", "refs/heads/"+r.FormValue("branch")).Run()
}

// The value of -m is a message, not an option.
func commit(w http.ResponseWriter, r *http.Request) {
	exec.Command("git", "commit", "-m", r.FormValue("message")).Run()
}

// Values that begin with "-" are refused.
func probe(w http.ResponseWriter, r *http.Request) {
	host := r.FormValue("host")
	if strings.HasPrefix(host, "-") {
		http.Error(w, "bad host", http.StatusBadRequest)
		return
	}
	exec.Command("ssh", host, "uptime").Run()
}

// A command-line tool passing its own argument on is working as intended.
func main() {
	exec.Command("git", "checkout", os.Args[1]).Run()
}

// Programs without dangerous options are not this rule's business.
func count(w http.ResponseWriter, r *http.Request) {
	exec.Command("wc", "-l", r.FormValue("file")).Run()
}
