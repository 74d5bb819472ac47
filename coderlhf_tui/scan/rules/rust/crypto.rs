use md5::Md5;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use sha2::{Digest, Sha256};

fn digest(data: &[u8]) -> Vec<u8> {
    // ruleid: rust-weak-hash
    let mut weak = Md5::new();
    weak.update(data);
    // ok: rust-weak-hash
    let mut strong = Sha256::new();
    strong.update(data);
    strong.finalize().to_vec()
}

fn token() -> u64 {
    // ruleid: rust-seeded-rng-for-secret
    let mut rng = SmallRng::seed_from_u64(42);
    // ok: rust-seeded-rng-for-secret
    let mut good = rand::thread_rng();
    rng.gen::<u64>() ^ good.gen::<u64>()
}

// ruleid: rust-hardcoded-credential
const DB_PASSWORD: &str = "hunter2-prod-2024";

fn api_key() -> String {
    // ok: rust-hardcoded-credential
    let api_key = std::env::var("API_KEY").unwrap_or_default();
    api_key + DB_PASSWORD
}

fn cipher(legacy: bool) -> openssl::symm::Cipher {
    // ruleid: rust-weak-cipher
    let old = Cipher::des_ede3_cbc();
    // ok: rust-weak-cipher
    let good = Cipher::aes_256_gcm();
    if legacy { old } else { good }
}
