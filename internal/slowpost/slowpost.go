// Package slowpost is a test client that plays a slow, unauthenticated
// uploader: it declares a large webhook body, sends part of it and stalls,
// as a flood meant to pin the server's memory would.
package slowpost

import (
	"bytes"
	"fmt"
	"io"
	"net"
)

// Upload connects to addr, declares a 20 MiB body, sends sent bytes of it
// and stalls until stop is closed. It returns the status line if the server
// answers first ("HTTP/1.1 503"), "held" if it never did, "closed" if it
// hung up, or "dial: …" when it could not connect.
func Upload(addr string, sent int, stop <-chan struct{}) string {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return "dial: " + err.Error()
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /webhook HTTP/1.1\r\nHost: x\r\nX-GitHub-Event: pull_request\r\nContent-Length: %d\r\n\r\n", 20<<20)
	conn.Write(bytes.Repeat([]byte("x"), sent))
	answered := make(chan string, 1)
	go func() {
		line := make([]byte, 12)
		if _, err := io.ReadFull(conn, line); err != nil {
			answered <- "closed"
			return
		}
		answered <- string(line)
	}()
	select {
	case s := <-answered:
		return s
	case <-stop:
		return "held"
	}
}
