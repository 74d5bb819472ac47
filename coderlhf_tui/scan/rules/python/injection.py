import importlib
import os
import sqlite3
import subprocess


def find_user(conn: sqlite3.Connection, name: str, uid: int):
    cur = conn.cursor()
    # ruleid: python-sql-built-from-strings
    cur.execute("SELECT * FROM users WHERE name = '%s'" % name)
    # ruleid: python-sql-built-from-strings
    cur.execute("SELECT * FROM users WHERE id = " + str(uid))
    # ruleid: python-sql-built-from-strings
    cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
    # ruleid: python-sql-built-from-strings
    cur.execute("DELETE FROM users WHERE name = '{}'".format(name))
    query = "UPDATE users SET seen = 1 WHERE id = %d" % uid
    # ruleid: python-sql-built-from-strings
    cur.execute(query)
    # ok: python-sql-built-from-strings
    cur.execute("SELECT * FROM users WHERE name = ?", (name,))
    # ok: python-sql-built-from-strings
    cur.execute("SELECT count(*) FROM users")
    safe = "SELECT * FROM users WHERE id = ?"
    # ok: python-sql-built-from-strings
    cur.execute(safe, (uid,))


def run(host: str, path: str):
    # ruleid: python-os-command-non-literal
    os.system("ping -c 1 " + host)
    # ruleid: python-os-command-non-literal
    out = os.popen(f"ls {path}").read()
    # ruleid: python-os-command-non-literal
    subprocess.call("tar czf out.tgz " + path, shell=True)
    # ruleid: python-os-command-non-literal
    subprocess.run(f"grep {host} /etc/hosts", shell=True, check=False)
    # ok: python-os-command-non-literal
    subprocess.run(["ping", "-c", "1", host], check=True)
    # ok: python-os-command-non-literal
    subprocess.run(["ls", path], shell=False)
    # ruleid: python-os-command-literal-shell
    os.system("clear")
    # ok: python-os-command-literal-shell
    subprocess.run(["clear"])
    return out


def calc(expr: str, code: str, mod: str):
    # ruleid: python-eval-exec-non-literal
    value = eval(expr)
    # ruleid: python-eval-exec-non-literal
    exec(code, {})
    # ok: python-eval-exec-non-literal
    eval("1 + 2")
    # ruleid: python-dynamic-code-compile
    plugin = importlib.import_module(mod)
    # ok: python-dynamic-code-compile
    json_mod = importlib.import_module("json")
    return value, plugin, json_mod
