package main

import "net/http"

func proxy(w http.ResponseWriter, r *http.Request) {
	target := r.URL.Query().Get("url")
	resp, err := http.Get(target)
	if err != nil {
		return
	}
	defer resp.Body.Close()
}

func hook(r *http.Request) {
	req, _ := http.NewRequest("POST", "https://"+r.Header.Get("X-Host")+"/hook", nil)
	http.DefaultClient.Do(req)
}
