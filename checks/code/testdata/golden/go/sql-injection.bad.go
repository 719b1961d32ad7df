package main

import (
	"database/sql"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
)

func handler(db *sql.DB, w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	rows, _ := db.Query("SELECT * FROM users WHERE name = '" + name + "'")
	defer rows.Close()
}

func byID(db *sql.DB, r *http.Request) {
	id := r.FormValue("id")
	q := fmt.Sprintf("DELETE FROM users WHERE id = %s", id)
	db.Exec(q)
}

func lookup(db *sql.DB, table string) {
	db.QueryRow("SELECT count(*) FROM " + table)
}

func viaHelper(db *sql.DB, r *http.Request) {
	lookup(db, r.Header.Get("X-Table"))
}

func ginHandler(db *sql.DB) gin.HandlerFunc {
	return func(c *gin.Context) {
		user := c.Query("user")
		db.Query(fmt.Sprintf("SELECT * FROM t WHERE u = '%s'", user))
	}
}

func param(r *http.Request, k string) string { return r.URL.Query().Get(k) }

func viaGetter(db *sql.DB, r *http.Request) {
	db.Query("SELECT * FROM t WHERE k = '" + param(r, "k") + "'")
}
