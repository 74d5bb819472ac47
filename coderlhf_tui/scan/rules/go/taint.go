package main

import (
	"database/sql"
	"fmt"
	"net/http"
	"os/exec"
)

var db *sql.DB

func find(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	query := fmt.Sprintf("SELECT id FROM users WHERE name = '%s'", name)
	// ruleid: go-taint-sql-from-input
	rows, _ := db.Query(query)
	defer rows.Close()
}

func findSafe(w http.ResponseWriter, r *http.Request) {
	// ok: go-taint-sql-from-input
	rows, _ := db.Query("SELECT id FROM users WHERE name = $1", r.URL.Query().Get("name"))
	defer rows.Close()
}

func ping(w http.ResponseWriter, r *http.Request) {
	host := r.FormValue("host")
	// ruleid: go-taint-command-from-input
	out, _ := exec.Command("sh", "-c", "ping -c 1 "+host).Output()
	w.Write(out)
}

func pingSafe(w http.ResponseWriter, r *http.Request) {
	// ok: go-taint-command-from-input
	out, _ := exec.Command("ping", "-c", "1", r.FormValue("host")).Output()
	w.Write(out)
}
