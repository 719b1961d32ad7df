package main

import (
	"database/sql"
	"net/http"
	"strconv"
)

func handler(db *sql.DB, r *http.Request) {
	name := r.URL.Query().Get("name")
	rows, _ := db.Query("SELECT * FROM users WHERE name = ?", name)
	defer rows.Close()
}

func byID(db *sql.DB, r *http.Request) {
	id, err := strconv.Atoi(r.FormValue("id"))
	if err != nil {
		return
	}
	db.Exec("DELETE FROM users WHERE id = " + strconv.Itoa(id))
}

var columns = map[string]bool{"name": true, "email": true}

func sorted(db *sql.DB, r *http.Request) {
	col := r.FormValue("sort")
	if col != "name" && col != "email" {
		return
	}
	db.Query("SELECT * FROM users ORDER BY " + col)
}

func constant(db *sql.DB) {
	table := "users"
	db.Query("SELECT * FROM " + table)
}
