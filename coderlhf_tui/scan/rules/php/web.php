<?php

function download() {
    // ruleid: php-path-from-request
    readfile("/srv/files/" . $_GET['name']);
    // ok: php-path-from-request
    readfile("/srv/files/" . basename($_GET['name']));
}

function hello() {
    $who = $_GET['who'];
    // ruleid: php-xss-echo-request
    echo "<h1>Hello " . $who . "</h1>";
    // ok: php-xss-echo-request
    echo "<h1>Hello " . htmlspecialchars($who, ENT_QUOTES, 'UTF-8') . "</h1>";
}

function proxy() {
    $ch = curl_init();
    // ruleid: php-ssrf-request-url
    curl_setopt($ch, CURLOPT_URL, $_GET['url']);
    // ruleid: php-tls-verification-disabled
    curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);
    // ok: php-tls-verification-disabled
    curl_setopt($ch, CURLOPT_SSL_VERIFYHOST, 2);
    return curl_exec($ch);
}

function restore() {
    // ruleid: php-unsafe-unserialize
    $cart = unserialize($_COOKIE['cart']);
    // ok: php-unsafe-unserialize
    $prefs = unserialize($_COOKIE['prefs'], ['allowed_classes' => false]);
    return [$cart, $prefs];
}

function parse(string $xml) {
    // ruleid: php-xml-external-entities
    $doc = simplexml_load_string($xml, 'SimpleXMLElement', LIBXML_NOENT);
    // ok: php-xml-external-entities
    $safe = simplexml_load_string($xml);
    return [$doc, $safe];
}

function claims(string $jwt, string $key) {
    // ruleid: php-jwt-none-algorithm
    return JWT::decode($jwt, $key, ['HS256', 'none']);
}

function fixed_fetch() {
    $ch = curl_init();
    // ok: php-ssrf-request-url
    curl_setopt($ch, CURLOPT_URL, 'https://status.example.com/health');
    return curl_exec($ch);
}

function verified_claims(string $jwt, string $key) {
    // ok: php-jwt-none-algorithm
    return JWT::decode($jwt, new Key($key, 'HS256'));
}
