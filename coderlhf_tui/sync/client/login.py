"""Logging a workspace in to a server: check the token, keep it in the user's config.

The token goes into the user config file (mode 0600, ``config.save_section``), never
into the workspace database, which people copy around. A token over plain HTTP to
another machine could be read on the wire, so only loopback may use ``http://``
unless the caller insists; anything else belongs behind a TLS-terminating proxy.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

import httpx

from coderlhf_tui.config import save_section
from coderlhf_tui.store import Store
from coderlhf_tui.sync.client import state
from coderlhf_tui.sync.client.sync_client import (
    CONFIG_SECTION,
    ServerFault,
    SyncClient,
    SyncRefused,
)


class LoginError(ValueError):
    """The URL or token cannot be used; the message says why."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str, *, allow_http: bool = False) -> str:
    """The normalized server URL, or a LoginError for an unusable one."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LoginError(f"{url!r}: expected http(s)://host[:port]")
    if parts.scheme == "http" and not is_loopback(parts.hostname) and not allow_http:
        raise LoginError(
            f"{url}: plain http would send the token in clear; use https (a TLS-terminating"
            " proxy, docs/server.md) or --allow-http on a trusted network"
        )
    return url.strip().rstrip("/")


def login(url: str, token: str, store: Store, *, allow_http: bool = False) -> dict[str, Any]:
    """Check ``token`` against the server and remember both; returns the account."""
    url = check_url(url, allow_http=allow_http)
    with SyncClient(store, url, token, timeout=10) as client:
        try:
            account = client.whoami()
        except SyncRefused as exc:
            raise LoginError(f"{url} refused the token: {exc.detail}") from exc
        except (httpx.HTTPError, ServerFault, KeyError) as exc:
            raise LoginError(f"{url}: cannot reach the server ({exc})") from exc
    save_section(CONFIG_SECTION, {"server": url, "token": token, "user": account["name"]})
    store.set_meta("annotator", str(account["name"]))
    store.set_meta(state.ENABLED, "1")
    return account
