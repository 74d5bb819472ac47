Here is the handler:

func run(db *sql.DB, host string) {
	// ruleid: fallback-go-shell-command
	exec.Command("sh", "-c", "ping "+host
	// ok: fallback-go-shell-command
	exec.Command("sh", "-c", "uptime")
	// ruleid: fallback-go-sql-sprintf
	db.Query(fmt.Sprintf("SELECT * FROM t WHERE name = '%s'", host
	// ruleid: fallback-go-insecure-tls
	cfg := &tls.Config{InsecureSkipVerify: true
	// ruleid: fallback-go-weak-hash
	h := md5.Sum(data
