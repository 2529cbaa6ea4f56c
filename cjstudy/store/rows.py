"""Light row types the store hands out, and the deck fingerprint."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cjstudy.model import CardKey, Rating, deck_fingerprint  # noqa: F401  (re-exported)


@dataclass(frozen=True)
class ReviewRow:
    """A review without its state snapshots: cheap enough to read a million for stats."""

    id: int
    key: CardKey
    reviewed_at: datetime
    rating: Rating
    duration_ms: int | None
    source: str
    state_before: str
    undone: bool


