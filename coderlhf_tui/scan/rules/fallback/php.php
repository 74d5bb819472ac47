Here is the rest of the controller:

    function run($db) {
        // ruleid: fallback-php-eval
        eval($_POST['code']
        // ok: fallback-php-eval
        eval('return 1;')
        // ruleid: fallback-php-shell
        shell_exec("ping " . $host
        // ruleid: fallback-php-sql-concat
        mysqli_query($db, "SELECT * FROM t WHERE id = " . $id
        // ruleid: fallback-php-include-request
        include $_GET['page'] . '.php'
        // ruleid: fallback-php-weak-hash
        $h = md5($password
        // ruleid: fallback-php-unserialize
        $cart = unserialize($_COOKIE['cart']
