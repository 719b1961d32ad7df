package main

import "net/http"

func adminServer(mux *http.ServeMux) {
	http.ListenAndServe("127.0.0.1:9090", mux)
}
