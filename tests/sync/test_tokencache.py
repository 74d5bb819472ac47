"""The token cache: entries live a random 50-100% of the TTL, never longer."""

from __future__ import annotations

from coderlhf_tui.domain import Role
from coderlhf_tui.sync.server.accounts import Account
from coderlhf_tui.sync.server.tokencache import TokenCache


def test_entries_expire_within_the_ttl_and_not_all_at_once() -> None:
    now = [0.0]
    cache = TokenCache(ttl_s=10.0, clock=lambda: now[0])
    person = Account(1, "ann1", Role.ANNOTATOR, ("python",), None)
    for i in range(200):
        cache.put(f"h{i}", person, None)

    def alive_at(moment: float) -> int:
        now[0] = moment
        return sum(cache.get(f"h{i}", "2026-01-01") is not None for i in range(200))

    assert alive_at(0.0) == 200
    assert alive_at(4.99) == 200  # nothing goes before half the TTL
    assert 0 < alive_at(7.5) < 200  # spread out, not one cliff
    assert alive_at(10.01) == 0  # everything gone by the TTL (revocation bound)
    cache.put("x", person, "2026-01-01T00:00:00Z")  # past its expiry: refused at once
    assert cache.get("x", "2026-06-01") is None
