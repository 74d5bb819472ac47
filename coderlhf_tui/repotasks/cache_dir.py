"""Where repository tasks keep what is expensive to make again.

One folder holds the snapshots' checkouts, the sdists and wheels pip downloaded on the
host (each checked by hash on use) and the graded runs keyed by their content hash; the
user's cache folder by default, since everything in it can be made again.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs


def default_cache() -> Path:
    """The user's cache folder for repository tasks."""
    return Path(platformdirs.user_cache_dir("coderlhf")) / "repotasks"
