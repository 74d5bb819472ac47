import html
import os
import ssl

import jinja2
import jwt
import requests
from flask import Flask, Markup, render_template_string, request, send_file
from werkzeug.utils import secure_filename

app = Flask(__name__)
BASE = "/srv/files"


@app.route("/download")
def download():
    name = request.args.get("name")
    # ruleid: python-path-from-request
    return send_file(os.path.join(BASE, name))


@app.route("/read")
def read():
    # ruleid: python-path-from-request
    with open("/srv/data/" + request.args["file"]) as fh:
        return fh.read()


@app.route("/safe")
def safe_download():
    name = request.args.get("name")
    # ok: python-path-from-request
    return send_file(os.path.join(BASE, secure_filename(name)))


def read_config():
    # ok: python-path-from-request
    with open("/etc/app.conf") as fh:
        return fh.read()


@app.route("/hello")
def hello():
    who = request.args.get("who", "")
    # ruleid: python-xss-request-data-in-html
    return f"<h1>Hello {who}</h1>"


@app.route("/page")
def page():
    # ruleid: python-xss-unescaped-markup
    return render_template_string(request.args["tpl"])


def banner(text: str) -> Markup:
    # ruleid: python-xss-unescaped-markup
    return Markup("<b>" + text + "</b>")


@app.route("/greet")
def greet():
    who = request.args.get("who", "")
    # ok: python-xss-request-data-in-html
    return "<p>" + html.escape(who) + "</p>"


def banner_ok(text: str) -> str:
    # ok: python-xss-unescaped-markup
    return render_template_string("<b>{{ t }}</b>", t=text)


def env():
    # ruleid: python-xss-unescaped-markup
    return jinja2.Environment(loader=None, autoescape=False)


@app.route("/fetch")
def fetch():
    url = request.args["url"]
    # ruleid: python-ssrf-request-url
    body = requests.get(url, timeout=5).text
    # ok: python-ssrf-request-url
    health = requests.get("https://status.internal.example/health", timeout=5).text
    return body + health


def insecure(url: str):
    # ruleid: python-tls-verification-disabled
    requests.get(url, verify=False, timeout=3)
    # ruleid: python-tls-verification-disabled
    ctx = ssl._create_unverified_context()
    # ok: python-tls-verification-disabled
    requests.get(url, verify="/etc/ssl/ca.pem", timeout=3)
    return ctx


def claims(token: str, key: str):
    # ruleid: python-jwt-signature-not-verified
    a = jwt.decode(token, options={"verify_signature": False})
    # ruleid: python-jwt-signature-not-verified
    b = jwt.decode(token, key, verify=False)
    # ok: python-jwt-signature-not-verified
    c = jwt.decode(token, key, algorithms=["HS256"])
    return a, b, c


def poll(url: str):
    # ruleid: python-request-without-timeout
    r = requests.get(url)
    # ok: python-request-without-timeout
    s = requests.post(url, json={}, timeout=10)
    return r, s, html
