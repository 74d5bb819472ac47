"""The sync client: push the outbox, pull the change feed, never raise on a bad network.

``SyncClient(store, server_url, token).sync()`` returns a ``SyncReport``; when the
server cannot be reached it reports ``offline`` and leaves everything queued, so the
app may call it from a background worker whenever it likes. One sync at a time per
client (a lock); pushing is idempotent, so an interrupted sync is simply repeated.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx

from coderlhf_tui.config import section
from coderlhf_tui.store import OutboxItem, Store, utc_now
from coderlhf_tui.sync.client import CONFIG_SECTION as CONFIG_SECTION  # defined there, light
from coderlhf_tui.sync.client import state
from coderlhf_tui.sync.client.inbound import Applied, apply_page
from coderlhf_tui.sync.client.outbound import build_batch, fitting_batch


class SyncRefused(Exception):
    """The server answered but refused (bad token, forbidden, invalid): not a network fault."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"HTTP {status}: {detail}")
        self.status = status
        self.detail = detail


@dataclass(slots=True)
class SyncReport:
    """What one sync did. ``state`` is 'synced', 'N pending', 'offline' or 'error'."""

    state: str = "synced"
    ok: bool = True
    pushed: int = 0
    applied: int = 0
    duplicate: int = 0
    stale: int = 0
    conflicts: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    pulled: Applied = field(default_factory=Applied)
    pending: int = 0
    cursor: int = 0
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form with stable keys (``coderlhf sync --json``)."""
        return asdict(self)


class SyncClient:
    """Syncs one workspace store with one server account. Thread-safe."""

    def __init__(
        self,
        store: Store,
        server_url: str,
        token: str,
        *,
        timeout: float = 15.0,
        batch_items: int = 200,
        batch_bytes: int = 4 * 1024 * 1024,
        pull_limit: int = 500,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.store = store
        self.server_url = server_url.rstrip("/")
        self.batch_items = batch_items
        self.batch_bytes = batch_bytes
        self.pull_limit = pull_limit
        self._lock = threading.Lock()
        self._http = httpx.Client(
            base_url=self.server_url,
            headers={"Authorization": f"Bearer {token}", "User-Agent": "coderlhf-sync/1"},
            timeout=timeout,
            transport=transport,
        )
        self._user: str | None = None

    @classmethod
    def from_config(cls, store: Store, **options: Any) -> SyncClient | None:
        """A client for the server ``coderlhf login`` stored, or None when not logged in."""
        conf = section(CONFIG_SECTION)
        if not conf.get("server") or not conf.get("token"):
            return None
        return cls(store, str(conf["server"]), str(conf["token"]), **options)

    def close(self) -> None:
        """Close the HTTP connections."""
        self._http.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the whole round -------------------------------------------------------------------

    def sync(self) -> SyncReport:
        """Push everything queued, then pull everything new. Never raises on network faults."""
        with self._lock:
            report = SyncReport()
            try:
                self._push_all(report)
                self._pull_all(report)
            except (httpx.TransportError, ServerFault) as exc:
                return self._finish(report, online=False, error=_describe(exc))
            except SyncRefused as exc:
                return self._finish(report, online=True, error=str(exc))
            return self._finish(report, online=True, error="")

    def _finish(self, report: SyncReport, *, online: bool, error: str) -> SyncReport:
        self.store.set_meta(state.ENABLED, "1")
        self.store.set_meta(state.ONLINE, "1" if online else "0")
        self.store.set_meta(state.LAST_ERROR, error)
        report.pending = self.store.outbox_count()
        report.error = error
        report.ok = not error and not report.rejected
        if not error:
            self.store.set_meta(state.LAST_OK, utc_now())
        if not online:
            report.state = "offline"
        elif error:
            report.state = "error"
        else:
            report.state = f"{report.pending} pending" if report.pending else "synced"
        return report

    # -- requests ----------------------------------------------------------------------------

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._http.request(method, path, **kwargs)
        if response.status_code >= 500 or response.status_code in (408, 429):
            raise ServerFault(f"HTTP {response.status_code} from {path}")
        if response.status_code >= 400:
            try:
                detail = str(response.json().get("detail", response.text))
            except ValueError:
                detail = response.text[:200]
            raise SyncRefused(response.status_code, detail)
        try:
            return response.json()
        except ValueError as exc:
            raise ServerFault(f"not JSON from {path}") from exc

    def whoami(self) -> dict[str, Any]:
        """The server's account for this token (GET /v1/me); raises on any failure."""
        data: dict[str, Any] = self._call("GET", "/v1/me")
        self._user = str(data["name"])
        return data

    # -- push --------------------------------------------------------------------------------

    def _push_all(self, report: SyncReport) -> None:
        refused: set[int] = set()
        while True:
            items = [
                i
                for i in self.store.outbox_items(limit=self.batch_items + len(refused))
                if i.seq not in refused
            ][: self.batch_items]
            if not items:
                return
            self._push_items(items, report, refused)

    def _push_items(self, items: list[OutboxItem], report: SyncReport, refused: set[int]) -> None:
        batch = fitting_batch(self.store, items, self.batch_bytes)
        try:
            answer = self._call("POST", "/v1/sync/push", json=batch.body)
        except SyncRefused as exc:
            if exc.status not in _ITEM_REFUSALS:
                raise
            chosen = [i for i in items if i.seq in set(batch.seqs)]
            if len(chosen) > 1:  # find the refused entries by halving; send the rest
                half = len(chosen) // 2
                self._push_items(chosen[:half], report, refused)
                self._push_items(chosen[half:], report, refused)
                return
            bare = build_batch(self.store, chosen, with_evidence=False)
            if bare.body["evidence"] != batch.body["evidence"]:
                try:
                    answer = self._call("POST", "/v1/sync/push", json=bare.body)
                except SyncRefused:
                    answer = None
            else:
                answer = None
            if answer is None:
                refused.add(chosen[0].seq)
                report.rejected.append(f"{chosen[0].kind} {chosen[0].ref_id}: {exc.detail}")
                return
        self._record(answer, report)
        self.store.ack_outbox(batch.seqs)
        report.pushed += len(batch.seqs)

    @staticmethod
    def _record(answer: dict[str, Any], report: SyncReport) -> None:
        for result in answer["results"]:
            outcome = result["outcome"]
            if outcome == "conflict":
                report.conflicts.append(f"{result['id']}: {result.get('detail', '')}")
            elif outcome in ("applied", "duplicate", "stale"):
                setattr(report, outcome, getattr(report, outcome) + 1)

    # -- pull --------------------------------------------------------------------------------

    def _server_key(self) -> str:
        if self._user is None:
            self.whoami()
        return f"{self.server_url} {self._user}"

    def _pull_all(self, report: SyncReport) -> None:
        key = self._server_key()
        same = self.store.get_meta(state.SERVER) == key
        cursor = int(self.store.get_meta(state.CURSOR) or 0) if same else 0
        while True:
            page = self._call(
                "GET", "/v1/sync/pull", params={"cursor": cursor, "limit": self.pull_limit}
            )
            apply_page(self.store, page, key, report.pulled, user=self._user)
            cursor = int(page["cursor"])
            report.cursor = cursor
            if not page.get("more"):
                return


_ITEM_REFUSALS = (403, 404, 409, 413, 422)
"""Statuses that may concern single entries of a batch: found by halving, then skipped."""


class ServerFault(Exception):
    """The server (or a proxy in front of it) failed: treated like being offline."""


def _describe(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return f"server unreachable: {text}"
