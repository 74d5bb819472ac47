Here you go:

fn run(conn: &Connection, host: &str) {
    // ruleid: fallback-rust-shell-command
    Command::new("sh").arg("-c").arg(format!("ping {}", host)
    // ok: fallback-rust-shell-command
    Command::new("ping").arg(host)
    // ruleid: fallback-rust-sql-format
    conn.execute(&format!("DELETE FROM t WHERE name = '{}'", host
    // ruleid: fallback-rust-invalid-certs
    let c = reqwest::Client::builder().danger_accept_invalid_certs(true
    // ruleid: fallback-rust-weak-hash
    let mut h = Md5::new(
    // ruleid: fallback-rust-unsafe
    unsafe { libc::exit(0
