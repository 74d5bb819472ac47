package main

import (
	"database/sql"
	"fmt"
	"os/exec"
)

func findUser(db *sql.DB, name string, id int) error {
	// ruleid: go-sql-built-from-strings
	rows, err := db.Query(fmt.Sprintf("SELECT * FROM users WHERE name = '%s'", name))
	if err != nil {
		return err
	}
	defer rows.Close()
	q := "DELETE FROM users WHERE id = " + fmt.Sprint(id)
	// ruleid: go-sql-built-from-strings
	if _, err := db.Exec(q); err != nil {
		return err
	}
	// ok: go-sql-built-from-strings
	_, err = db.Exec("UPDATE users SET seen = 1 WHERE name = ?", name)
	return err
}

func ping(host string, tool string) ([]byte, error) {
	// ruleid: go-os-command-shell
	out, err := exec.Command("sh", "-c", "ping -c 1 "+host).Output()
	if err != nil {
		return nil, err
	}
	// ok: go-os-command-shell
	_, _ = exec.Command("ping", "-c", "1", host).Output()
	// ok: go-os-command-shell
	_, _ = exec.Command("sh", "-c", "uptime").Output()
	// ruleid: go-os-command-non-literal-program
	_, _ = exec.Command(tool, host).Output()
	return out, nil
}

func version() ([]byte, error) {
	// ok: go-os-command-non-literal-program
	return exec.Command("git", "--version").Output()
}
