package main

import (
	"net/http"
	"os"
	"os/exec"
)

func run(w http.ResponseWriter, r *http.Request) {
	dir := r.URL.Query().Get("dir")
	exec.Command("sh", "-c", "ls -l "+dir).Run()
}

func tool(r *http.Request) {
	prog := r.FormValue("tool")
	exec.Command(prog, "--version").Run()
}

func main() {
	exec.Command("bash", "-c", os.Args[1]).Run()
}

// An interpreter runs code built from the request.
func calc(w http.ResponseWriter, r *http.Request) {
	out, _ := exec.Command("python3", "-c", "print("+r.FormValue("expr")+")").Output()
	w.Write(out)
}
