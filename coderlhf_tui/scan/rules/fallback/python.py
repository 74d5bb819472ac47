Here is the fixed function:

def run(cmd, user, db):
    # ruleid: fallback-python-shell-command
    os.system("ls " + cmd)
    # ruleid: fallback-python-eval-exec
    return eval(user
    # ok: fallback-python-eval-exec
    eval("1 + 1")
    # ruleid: fallback-python-eval-exec
    ppf = eval('distributions.%s.ppf' % dist
    # ruleid: fallback-python-eval-exec
    exec code in namespace
    # ok: fallback-python-eval-exec
    exec("a = 1", namespace
    # ruleid: fallback-python-sql-format
    db.execute("SELECT * FROM t WHERE name = '%s'" % user
    # ok: fallback-python-sql-format
    db.execute("SELECT * FROM t WHERE name = ?", (user,))
    # ruleid: fallback-python-pickle-yaml
    data = pickle.loads(blob
    # ok: fallback-python-pickle-yaml
    cfg = yaml.load(text, Loader=yaml.SafeLoader)
    # ruleid: fallback-python-weak-hash
    h = hashlib.md5(data
    # ruleid: fallback-python-random
    n = random.randint(1, 6
