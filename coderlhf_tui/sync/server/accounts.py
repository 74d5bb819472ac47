"""Accounts and bearer tokens on the server.

A token is 32 random bytes shown once; the server keeps only its SHA-256. A fast hash
is the right tool here (unlike for passwords): the secret has 256 bits of entropy, so
there is nothing to brute-force, and lookups stay one indexed query per request.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Row, select

from coderlhf_tui.clock import utc_now
from coderlhf_tui.domain import Language, Role
from coderlhf_tui.sync.server import db
from coderlhf_tui.sync.server.schema import tokens, users

TOKEN_PREFIX = "clhf_"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class AccountError(ValueError):
    """A bad account request (the message says what to change)."""


@dataclass(frozen=True, slots=True)
class Account:
    """A user of the server, as the routes see them."""

    id: int
    name: str
    role: Role
    languages: tuple[str, ...]
    years: int | None

    @property
    def sees_everything(self) -> bool:
        """Leads and admins read every task and annotation; annotators only their own."""
        return self.role in (Role.LEAD, Role.ADMIN)

    def to_dict(self) -> dict[str, object]:
        """The public description of an account (never a token)."""
        return {
            "name": self.name,
            "role": self.role.value,
            "languages": list(self.languages),
            "years": self.years,
        }


def hash_token(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def parse_languages(value: str | list[str]) -> tuple[str, ...]:
    """``python,go`` (or a list) as a checked, de-duplicated tuple of language names."""
    items = value.split(",") if isinstance(value, str) else value
    names = [item.strip().lower() for item in items if item.strip()]
    known = {lang.value for lang in Language}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise AccountError(f"unknown language {unknown[0]!r} (known: {', '.join(sorted(known))})")
    return tuple(dict.fromkeys(names))


def create_user(
    engine: Engine,
    name: str,
    role: Role | str,
    languages: str | list[str] = "",
    years: int | None = None,
    *,
    expires_days: float | None = None,
) -> tuple[Account, str]:
    """Add a user and issue their first token; returns (account, token)."""
    if not _NAME.match(name):
        raise AccountError(f"name {name!r}: use 1-64 letters, digits, '.', '_' or '-'")
    try:
        role = Role(role)
    except ValueError as exc:
        raise AccountError(f"role {role!r}: one of {', '.join(Role)}") from exc
    langs = parse_languages(languages)
    if years is not None and not 0 <= years <= 80:
        raise AccountError(f"years {years}: expected 0..80")

    def work(conn: Connection) -> tuple[Account, str]:
        if conn.execute(select(users.c.id).where(users.c.name == name)).first():
            raise AccountError(f"user {name!r} already exists")
        user_id = conn.execute(
            users.insert().values(
                name=name,
                role=role.value,
                languages=",".join(langs),
                years=years,
                created_at=utc_now(),
            )
        ).inserted_primary_key
        assert user_id is not None
        account = Account(int(user_id[0]), name, role, langs, years)
        return account, _issue(conn, account.id, expires_days)

    return db.write(engine, work)


def issue_token(engine: Engine, name: str, *, expires_days: float | None = None) -> str:
    """A new token for an existing user (earlier tokens stay valid)."""

    def work(conn: Connection) -> str:
        row = conn.execute(select(users.c.id).where(users.c.name == name)).first()
        if row is None:
            raise AccountError(f"no user {name!r}")
        return _issue(conn, int(row.id), expires_days)

    return db.write(engine, work)


def revoke_tokens(engine: Engine, name: str) -> int:
    """Revoke every token of a user; returns how many were still valid.

    The account, its assignments and its work stay; ``issue_token`` gives access back.
    Servers refuse a revoked token at once, or within their token cache's lifetime
    (``ServerSettings.token_cache_s``) when they have just seen it.
    """

    def work(conn: Connection) -> int:
        row = conn.execute(select(users.c.id).where(users.c.name == name)).first()
        if row is None:
            raise AccountError(f"no user {name!r}")
        result = conn.execute(
            tokens.update()
            .where(tokens.c.user_id == int(row.id), tokens.c.revoked.is_(False))
            .values(revoked=True)
        )
        return int(result.rowcount)

    return db.write(engine, work)


def _issue(conn: Connection, user_id: int, expires_days: float | None) -> str:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = None
    if expires_days is not None:
        moment = datetime.now(UTC) + timedelta(days=expires_days)
        expires = moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    conn.execute(
        tokens.insert().values(
            user_id=user_id,
            token_hash=hash_token(token),
            created_at=utc_now(),
            expires_at=expires,
            revoked=False,
        )
    )
    return token


def lookup_token(conn: Connection, token_hash: str) -> tuple[Account, str | None] | None:
    """The account and expiry of a token hash, or None (unknown or revoked)."""
    row = conn.execute(
        select(users, tokens.c.expires_at, tokens.c.revoked)
        .join(tokens, tokens.c.user_id == users.c.id)
        .where(tokens.c.token_hash == token_hash)
    ).first()
    if row is None or row.revoked:
        return None
    return _account(row), row.expires_at


def usable_token_hashes(conn: Connection) -> set[str]:
    """The hashes of every token not revoked (expiry is checked when one is used)."""
    query = select(tokens.c.token_hash).where(tokens.c.revoked.is_(False))
    return {str(row.token_hash) for row in conn.execute(query)}


def authenticate(conn: Connection, token: str) -> Account | None:
    """The account a bearer token belongs to, or None (unknown, revoked or expired)."""
    found = lookup_token(conn, hash_token(token))
    if found is None:
        return None
    account, expires_at = found
    if expires_at is not None and expires_at <= utc_now():
        return None
    return account


def list_accounts(conn: Connection) -> list[Account]:
    """Every account, by name."""
    return [_account(row) for row in conn.execute(select(users).order_by(users.c.name))]


def find_account(conn: Connection, name: str) -> Account | None:
    """One account by name."""
    row = conn.execute(select(users).where(users.c.name == name)).first()
    return _account(row) if row is not None else None


def _account(row: Row[Any]) -> Account:
    return Account(
        id=int(row.id),
        name=str(row.name),
        role=Role(row.role),
        languages=tuple(x for x in str(row.languages or "").split(",") if x),
        years=None if row.years is None else int(row.years),
    )
