<?php

function store_password(string $password) {
    // ruleid: php-weak-hash
    $weak = md5($password);
    // ok: php-weak-hash
    $good = password_hash($password, PASSWORD_DEFAULT);
    return [$weak, $good];
}

function seal(string $data, string $key) {
    // ruleid: php-weak-cipher
    $a = openssl_encrypt($data, "des-ede3-cbc", $key);
    // ok: php-weak-cipher
    $b = openssl_encrypt($data, "aes-256-gcm", $key, 0, random_bytes(12), $tag);
    return [$a, $b, $tag];
}

function reset_token() {
    // ruleid: php-insecure-random-for-secret, php-weak-random-use, php-weak-hash
    $token = md5(uniqid(mt_rand(), true));
    // ok: php-insecure-random-for-secret
    $csrf = bin2hex(random_bytes(32));
    return $token . $csrf;
}

function dice() {
    // ruleid: php-weak-random-use
    return mt_rand(1, 6);
}

function roll_secure() {
    // ok: php-weak-random-use
    return random_int(1, 6);
}

// ruleid: php-hardcoded-credential
$db_password = 'hunter2-prod-2024';
// ok: php-hardcoded-credential
$api_key = getenv('API_KEY');
