<?php

function find_user(mysqli $db, PDO $pdo, string $name, int $id) {
    // ruleid: php-sql-built-from-strings
    mysqli_query($db, "SELECT * FROM users WHERE name = '" . $name . "'");
    // ruleid: php-sql-built-from-strings
    $pdo->query("SELECT * FROM users WHERE id = $id");
    $sql = "DELETE FROM users WHERE name = '" . $_GET['name'] . "'";
    // ruleid: php-sql-built-from-strings
    $pdo->exec($sql);
    $stmt = $pdo->prepare("SELECT * FROM users WHERE name = ?");
    // ok: php-sql-built-from-strings
    $stmt->execute([$name]);
    // ok: php-sql-built-from-strings
    return $pdo->query("SELECT count(*) FROM users");
}

function ping(string $host) {
    // ruleid: php-command-non-literal
    $out = shell_exec("ping -c 1 " . $host);
    // ok: php-command-non-literal
    $ok = shell_exec("ping -c 1 " . escapeshellarg($host));
    // ok: php-command-non-literal
    $up = shell_exec("uptime");
    return $out . $ok . $up;
}

function calc(string $expr) {
    // ruleid: php-eval-non-literal
    return eval("return " . $expr . ";");
}

function constant_expr() {
    // ok: php-eval-non-literal
    return eval('return 1 + 2;');
}

function page() {
    // ruleid: php-file-inclusion
    include $_GET['page'] . ".php";
    // ok: php-file-inclusion
    require_once __DIR__ . "/config.php";
}
