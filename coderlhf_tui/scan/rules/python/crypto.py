import hashlib
import os
import random
import secrets

from Crypto.Cipher import AES, DES
from cryptography.hazmat.primitives.ciphers import modes


def digest(data: bytes) -> str:
    # ruleid: python-weak-hash
    weak = hashlib.md5(data).hexdigest()
    # ruleid: python-weak-hash
    weaker = hashlib.new("sha1", data).hexdigest()
    # ok: python-weak-hash
    checksum = hashlib.md5(data, usedforsecurity=False).hexdigest()
    # ok: python-weak-hash
    strong = hashlib.sha256(data).hexdigest()
    return weak + weaker + checksum + strong


def encrypt(key: bytes, data: bytes):
    # ruleid: python-weak-cipher
    des = DES.new(key, DES.MODE_CBC)
    # ruleid: python-weak-cipher
    ecb = AES.new(key, AES.MODE_ECB)
    # ruleid: python-weak-cipher
    mode = modes.ECB()
    # ok: python-weak-cipher
    gcm = AES.new(key, AES.MODE_GCM)
    return des, ecb, mode, gcm, data


def make_reset_token() -> str:
    # ruleid: python-insecure-random-for-secret, python-random-module-use
    token = "".join(random.choice("abcdef0123456789") for _ in range(32))
    # ok: python-insecure-random-for-secret
    session_id = secrets.token_hex(16)
    return token + session_id


def roll_dice() -> int:
    # ruleid: python-random-module-use
    return random.randint(1, 6)


def shuffle_deck(deck: list[int]) -> None:
    # ok: python-random-module-use
    secrets.SystemRandom().shuffle(deck)


# ruleid: python-hardcoded-credential
DB_PASSWORD = "hunter2-prod-2024"
# ruleid: python-hardcoded-credential
settings = {"api_key": "9f8e7d6c5b4a39281716"}
# ok: python-hardcoded-credential
API_KEY = os.environ["API_KEY"]
# ok: python-hardcoded-credential
password = ""
# ok: python-hardcoded-credential
token = "changeme"


def login_form(form: dict[str, str]) -> None:
    # ruleid: python-hardcoded-credential
    form["password"] = "myprecious-2"


def connect(client):
    # ruleid: python-hardcoded-credential
    return client.login(user="admin", password="S3cr3t!pass")
