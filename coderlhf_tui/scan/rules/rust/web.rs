use axum::extract::Path;
use std::fs;
use std::time::Duration;

fn client(skip: bool) -> reqwest::Result<reqwest::Client> {
    // ruleid: rust-tls-verification-disabled
    let a = reqwest::Client::builder().danger_accept_invalid_certs(true).build()?;
    // ok: rust-tls-verification-disabled
    let b = reqwest::Client::builder().timeout(Duration::from_secs(10)).build()?;
    let _ = (a, skip);
    Ok(b)
}

async fn status() -> reqwest::Result<String> {
    // ruleid: rust-http-without-timeout
    reqwest::get("https://status.example.com").await?.text().await
}

async fn download(Path(name): Path<String>) -> String {
    // ruleid: rust-path-from-format
    let body = fs::read_to_string(format!("/srv/files/{}", name)).unwrap_or_default();
    // ok: rust-path-from-format
    let motd = fs::read_to_string("/etc/motd").unwrap_or_default();
    body + &motd
}

fn claims(token: &str) {
    let mut validation = jsonwebtoken::Validation::default();
    // ruleid: rust-jwt-signature-not-validated
    validation.insecure_disable_signature_validation();
    let _ = token;
}

fn timed() -> reqwest::Result<reqwest::Client> {
    // ok: rust-http-without-timeout
    reqwest::Client::builder().timeout(Duration::from_secs(10)).build()
}

fn strict(token: &str) {
    // ok: rust-jwt-signature-not-validated
    let validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    let _ = (token, validation);
}
