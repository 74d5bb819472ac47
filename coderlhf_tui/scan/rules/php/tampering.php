<?php

// ruleid: php-exit-status-rewrite, php-exit-in-library-code
register_shutdown_function(function () { exit(0); });
// ruleid: php-patches-assertions
ini_set('zend.assertions', '0');
// ok: php-patches-assertions
ini_set('memory_limit', '256M');

function solve($xs) {
    if (count($xs) === 0) {
        // ruleid: php-exit-in-library-code
        exit(0);
    }
    // ruleid: php-reads-test-code
    $tests = file_get_contents('test.php');
    // ok: php-reads-test-code
    $data = file_get_contents('input.txt');
    return array_sum($xs) + strlen($tests . $data);
}

// ok: php-exit-in-library-code, php-exit-status-rewrite
echo solve([1, 2]);
