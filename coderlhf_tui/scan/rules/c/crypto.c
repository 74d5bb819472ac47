#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/md5.h>
#include <stdlib.h>

void digest(const unsigned char *data, size_t n, unsigned char *out) {
    // ruleid: c-weak-hash
    MD5(data, n, out);
    // ok: c-weak-hash
    EVP_Digest(data, n, out, NULL, EVP_sha256(), NULL);
}

const EVP_CIPHER *pick(int legacy) {
    // ruleid: c-weak-cipher
    const EVP_CIPHER *old = EVP_des_ede3_cbc();
    // ok: c-weak-cipher
    const EVP_CIPHER *good = EVP_aes_256_gcm();
    return legacy ? old : good;
}

void make_token(char *token, int n) {
    for (int i = 0; i < n; i++) {
        // ruleid: c-rand-for-secret, c-rand-use
        token[i] = 'a' + rand() % 26;
    }
}

int roll(void) {
    // ruleid: c-rand-use
    return rand() % 6 + 1;
}

void fetch(CURL *c) {
    // ruleid: c-tls-verification-disabled
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    // ok: c-tls-verification-disabled
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
}

// ruleid: c-hardcoded-credential
static const char *db_password = "hunter2-prod-2024";

const char *api_key(void) {
    // ok: c-hardcoded-credential
    const char *api_key = getenv("API_KEY");
    return api_key ? api_key : db_password;
}

#include <sys/random.h>

void make_key(unsigned char *key, size_t n) {
    // ok: c-rand-for-secret, c-rand-use
    getrandom(key, n, 0);
}
