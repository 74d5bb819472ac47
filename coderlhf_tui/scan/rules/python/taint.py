import os
import pickle
import shlex
import subprocess

import requests
import yaml
from flask import request


def find_user(db, name):
    query = "SELECT id FROM users WHERE name = '%s'" % name
    where = query + " AND active = 1"
    # ruleid: python-taint-sql-statement-built-from-data
    return db.query(where)


def find_user_fstring(self, user):
    sql = f"SELECT id FROM users WHERE name = '{user.name}'"
    # ruleid: python-taint-sql-statement-built-from-data
    return self.db.get(sql)


def find_user_safe(db, name):
    query = "SELECT id FROM users WHERE name = %s"
    # ok: python-taint-sql-statement-built-from-data
    return db.query(query, (name,))


def table_count(db, table):
    query = "SELECT count(*) FROM {} WHERE id = ?".format(table)
    # ok: python-taint-sql-statement-built-from-data
    return db.exec(query, (1,))


def map_volume(self, host_name, volume_name):
    ssh_cmd = "svctask mkvdiskhostmap -host %s %s" % (host_name, volume_name)
    # ruleid: python-taint-shell-command-built-from-data
    return self._run_ssh(ssh_cmd)


def map_volume_fixed(self, host_name, volume_name):
    ssh_cmd = ["svctask", "mkvdiskhostmap", "-host", host_name, volume_name]
    # ok: python-taint-shell-command-built-from-data
    return self._run_ssh(ssh_cmd)


def archive(folder):
    command = "tar czf out.tgz " + shlex.quote(folder)
    # ok: python-taint-shell-command-built-from-data, python-taint-shell-command-from-input
    return subprocess.check_output(command, shell=True)


def ping(host):
    # ruleid: python-taint-shell-command-from-input
    os.system(host)


def ping_checked(host):
    # ok: python-taint-shell-command-from-input
    os.system("ping -c 1 " + shlex.quote(host))


def download(base, name):
    # ruleid: python-taint-path-from-input
    path = os.path.join(base, name)
    return open(path).read()


def download_basename(base, name):
    # ok: python-taint-path-from-input
    path = os.path.join(base, os.path.basename(name))
    return open(path).read()


def download_checked(base, name):
    check_name(name)
    # ok: python-taint-path-from-input
    return open(os.path.join(base, name)).read()


def greet():
    who = request.args.get("who")
    # ruleid: python-taint-html-built-from-input
    page = "<p>Hello %s</p>" % who
    # ruleid: python-taint-html-built-from-input
    return make_response(page)


def greet_escaped():
    who = escape(request.args.get("who"))
    # ok: python-taint-html-built-from-input
    return make_response("<p>Hello %s</p>" % who)


def editor(request, doc):
    # ruleid: python-taint-json-into-html-template
    return render("editor.mako", request, {"doc_json": json.dumps(doc.data)})


def editor_safe(request, doc):
    # ok: python-taint-json-into-html-template
    return render("editor.mako", request, {"doc_json": json.dumps(doc.data, cls=JSONEncoderForHTML)})


def calculate():
    expression = request.form["expr"]
    # ruleid: python-taint-code-from-input
    return eval(expression)


def calculate_literal():
    # ok: python-taint-code-from-input
    return ast.literal_eval(request.form["expr"])


def fetch():
    url = request.args["url"]
    # ruleid: python-taint-ssrf-from-input
    return requests.get(url, timeout=5).text


def fetch_allowed():
    url = request.args["url"]
    if url in ALLOWED_URLS:
        # ok: python-taint-ssrf-from-input
        return requests.get(url, timeout=5).text
    return ""


def restore(blob):
    # ruleid: python-taint-deserialization-from-input
    return pickle.loads(blob)


def restore_config(text):
    # ok: python-taint-deserialization-from-input
    return yaml.safe_load(text)
