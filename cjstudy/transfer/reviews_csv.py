"""The review history as CSV in the column format of py-fsrs' sample logs.

Columns: card_id, review_rating (1-4), review_time (ISO 8601 UTC), review_duration (ms).
`card_id` is a stable integer per card key (deck, card, variant): the same card gets the same
number in every export, so the file can be fed to an FSRS optimiser or compared over time.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime, timezone

from cjstudy.model import CardKey, Rating
from cjstudy.transfer.ids import stable_int

HEADER = ("card_id", "review_rating", "review_time", "review_duration")


def csv_card_id(key: CardKey) -> int:
    return stable_int("review-card", key.deck, key.card, key.variant)


def format_time(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def reviews_to_csv(rows: Iterable[tuple[CardKey, datetime, Rating, int | None]]) -> str:
    """CSV text, one line per review, in the order given (oldest first is what optimisers expect)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for key, at, rating, duration in rows:
        writer.writerow((csv_card_id(key), int(rating), format_time(at), "" if duration is None else duration))
    return out.getvalue()
