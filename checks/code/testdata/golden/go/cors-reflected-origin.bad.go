package main

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// Whatever site the visitor comes from is allowed, with the visitor's cookies.
func api(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
	w.Header().Set("Access-Control-Allow-Credentials", "true")
}

func ginAPI(c *gin.Context) {
	origin := c.GetHeader("Origin")
	c.Header("Access-Control-Allow-Origin", origin)
}
