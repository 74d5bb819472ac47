const crypto = require("crypto");

function digest(data) {
  // ruleid: js-weak-hash
  const weak = crypto.createHash("md5").update(data).digest("hex");
  // ok: js-weak-hash
  const strong = crypto.createHash("sha256").update(data).digest("hex");
  return weak + strong;
}

function encrypt(key, iv, data) {
  // ruleid: js-weak-cipher
  const a = crypto.createCipheriv("des-ede3-cbc", key, iv);
  // ruleid: js-weak-cipher
  const b = crypto.createCipheriv("aes-128-ecb", key, null);
  // ruleid: js-weak-cipher
  const c = crypto.createCipher("aes-256-cbc", key);
  // ok: js-weak-cipher
  const d = crypto.createCipheriv("aes-256-gcm", key, iv);
  return [a, b, c, d, data];
}

function makeSessionToken() {
  // ruleid: js-insecure-random-for-secret, js-math-random-use
  const token = Math.random().toString(36).slice(2);
  // ok: js-insecure-random-for-secret
  const sessionId = crypto.randomBytes(16).toString("hex");
  return token + sessionId;
}

function jitter() {
  // ruleid: js-math-random-use
  return 100 + Math.random() * 50;
}

// ruleid: js-hardcoded-credential
const DB_PASSWORD = "hunter2-prod-2024";
// ruleid: js-hardcoded-credential
const config = { apiKey: "9f8e7d6c5b4a39281716" };
// ok: js-hardcoded-credential
const secret = process.env.APP_SECRET;
// ok: js-hardcoded-credential
const password = "";

function uuid() {
  // ok: js-math-random-use
  return crypto.randomUUID();
}

module.exports = { digest, encrypt, makeSessionToken, jitter };
