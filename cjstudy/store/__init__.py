"""SQLite progress store: schema, ordered migrations, queries.

The CLI opens it with `open_store(store_path(os.environ), now=..., before_first_write=...)`;
everything else receives the `Store` object. Only this package runs SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from cjstudy.store.migrations import LATEST as SCHEMA_VERSION
from cjstudy.store.migrations import REQUIRED_TABLES
from cjstudy.store.repository import Store
from cjstudy.store.rows import ReviewRow, deck_fingerprint

__all__ = ["REQUIRED_TABLES", "ReviewRow", "SCHEMA_VERSION", "Store", "deck_fingerprint", "open_store"]


def open_store(path: Path | str, *, now: datetime | None = None,
               before_first_write: Callable[[], None] | None = None) -> Store:
    """Open (create, migrate) the store at `path`; raises `StoreError` naming the path on failure."""
    return Store.open(path, now=now, before_first_write=before_first_write)
