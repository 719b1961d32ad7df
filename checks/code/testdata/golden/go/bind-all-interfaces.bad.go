package main

import (
	"net"
	"net/http"
)

func adminServer(mux *http.ServeMux) {
	http.ListenAndServe("0.0.0.0:9090", mux)
}

func debugListener() (net.Listener, error) {
	return net.Listen("tcp", "0.0.0.0:6060")
}
