<?php

function find_user($conn) {
    $name = $_GET['name'];
    $sql = "SELECT * FROM users WHERE name = '" . $name . "'";
    // ruleid: php-taint-sql-from-request
    return mysqli_query($conn, $sql);
}

function find_user_safe($conn) {
    $name = mysqli_real_escape_string($conn, $_GET['name']);
    // ok: php-taint-sql-from-request
    return mysqli_query($conn, "SELECT * FROM users WHERE name = '" . $name . "'");
}

function ping() {
    $host = $_POST['host'];
    // ruleid: php-taint-command-from-request
    return shell_exec("ping -c 1 " . $host);
}

function ping_safe() {
    // ok: php-taint-command-from-request
    return shell_exec("ping -c 1 " . escapeshellarg($_POST['host']));
}

function calc() {
    $expr = $_REQUEST['expr'];
    // ruleid: php-taint-code-from-request
    return eval('return ' . $expr . ';');
}

function calc_safe() {
    // ok: php-taint-code-from-request
    return eval('return ' . intval($_REQUEST['expr']) . ';');
}

function restore() {
    $raw = base64_decode($_COOKIE['cart']);
    // ruleid: php-taint-unserialize-from-request
    return unserialize($raw);
}

function restore_safe() {
    // ok: php-taint-unserialize-from-request
    return json_decode($_COOKIE['cart'], true);
}
