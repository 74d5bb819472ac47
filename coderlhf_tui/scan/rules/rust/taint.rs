use std::env;
use std::process::Command;

fn lookup(conn: &rusqlite::Connection) -> rusqlite::Result<usize> {
    let name = env::args().nth(1).unwrap_or_default();
    let sql = format!("DELETE FROM users WHERE name = '{}'", name);
    // ruleid: rust-taint-sql-from-input
    conn.execute(&sql, [])
}

fn lookup_safe(conn: &rusqlite::Connection) -> rusqlite::Result<usize> {
    let name = env::args().nth(1).unwrap_or_default();
    // ok: rust-taint-sql-from-input
    conn.execute("DELETE FROM users WHERE name = ?1", [name])
}

fn ping() -> std::io::Result<std::process::Output> {
    let host = env::var("TARGET").unwrap_or_default();
    // ruleid: rust-taint-command-from-input
    Command::new("sh").arg("-c").arg(format!("ping -c 1 {}", host)).output()
}

fn ping_safe() -> std::io::Result<std::process::Output> {
    let host = env::var("TARGET").unwrap_or_default();
    // ok: rust-taint-command-from-input
    Command::new("ping").arg("-c").arg("1").arg(host).output()
}
