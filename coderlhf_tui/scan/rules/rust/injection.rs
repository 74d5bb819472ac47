use std::process::Command;

fn find_user(conn: &rusqlite::Connection, name: &str) -> rusqlite::Result<usize> {
    // ruleid: rust-sql-built-with-format
    conn.execute(&format!("DELETE FROM users WHERE name = '{}'", name), [])?;
    let sql = format!("UPDATE users SET seen = 1 WHERE name = '{}'", name);
    // ruleid: rust-sql-built-with-format
    conn.execute(&sql, [])?;
    // ok: rust-sql-built-with-format
    conn.execute("DELETE FROM users WHERE name = ?1", [name])
}

fn ping(host: &str, tool: &str) -> std::io::Result<std::process::Output> {
    // ruleid: rust-command-through-shell
    let out = Command::new("sh").arg("-c").arg(format!("ping -c 1 {}", host)).output()?;
    // ok: rust-command-through-shell
    let ok = Command::new("ping").arg("-c").arg("1").arg(host).output()?;
    // ruleid: rust-command-non-literal-program
    let chosen = Command::new(tool).arg(host).output()?;
    // ok: rust-command-non-literal-program
    let fixed = Command::new("git").arg("--version").output()?;
    println!("{:?} {:?} {:?}", ok, chosen, fixed);
    Ok(out)
}

async fn by_email(pool: &sqlx::PgPool, email: &str) -> sqlx::Result<()> {
    // ruleid: rust-sql-built-with-format
    sqlx::query(&format!("SELECT * FROM users WHERE email = '{}'", email)).execute(pool).await?;
    // ok: rust-sql-built-with-format
    sqlx::query("SELECT * FROM users WHERE email = $1").bind(email).execute(pool).await?;
    Ok(())
}
