"""Light row types the store hands out, and the deck fingerprint."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cjstudy.model import CardKey, Rating


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


def deck_fingerprint(keys: Sequence[CardKey]) -> str:
    """A hash of a deck's card keys in order: unchanged deck, no re-sync."""
    text = "\x1e".join([key.card + "\x1f" + key.variant for key in keys])
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
