"""The server's knobs, in one place, with the defaults the docs describe."""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024
DEFAULT_POOL = 20  # database connections per process: 4 processes fit max_connections=100
POOL_ENV = "CODERLHF_SERVER_DB_POOL"
ROUTES_ENV = "CODERLHF_SERVER_ROUTES"  # "fastapi": every request through FastAPI's routing


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """How one server process runs.

    ``db_url``: SQLAlchemy URL (``sqlite:///file``, ``postgresql://...``) or a file path.
    ``max_body_bytes`` caps every request body except the admin import, which gets
    ``max_import_bytes``. ``auth_failures`` failed tokens within ``auth_window_s`` from
    one address earn that address's failures 429s until the window clears (a valid token
    from it still gets in); ``auth_token_failures`` (default: ``auth_failures``) failures
    of one token earn that token 429s without a lookup. A token lookup is
    cached for ``token_cache_s`` seconds (0 turns the cache off). ``pool_size``: the
    most database connections the process opens (all kept open; on PostgreSQL two of
    them hand out sequence numbers), so N processes need N x ``pool_size`` connections.
    ``tune_gc``: freeze the start-up heap and space out garbage collections
    (``gc_tune``); for a process that only serves (``coderlhf server``), not for one
    that embeds the server (tests). ``fast_routes``: answer ordinary pushes and pulls
    in front of FastAPI's routing (``fast_routes``; off: FastAPI answers every request,
    the load benchmark's peer).
    """

    db_url: str
    max_body_bytes: int = 8 * MIB
    max_import_bytes: int = 256 * MIB
    auth_failures: int = 20
    auth_window_s: float = 60.0
    auth_token_failures: int | None = None
    pool_size: int = DEFAULT_POOL
    token_cache_s: float = 10.0
    tune_gc: bool = False
    fast_routes: bool = True
