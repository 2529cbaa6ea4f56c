"""Rebuild FSRS memory state from an imported review history.

Anki's own intervals were made by its scheduler (often SM-2), so they are not copied: each
card's answers are replayed in time order through cjstudy's scheduler, which gives the state
cjstudy would have had if the student had studied here all along.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from cjstudy.model import CardKey, CardState, Rating, Review


class _Reviewed(Protocol):
    key: CardKey
    reviewed_at: object
    rating: Rating
    duration_ms: int | None


class _Scheduler(Protocol):
    def review(self, state: CardState, rating: Rating, now, *, fuzz: float | None = None,
               duration_ms: int | None = None) -> CardState: ...


def replay(reviews: Iterable[_Reviewed], scheduler: _Scheduler,
           source: str = "import") -> list[tuple[CardKey, list[Review], CardState]]:
    """Per card: its reviews with before/after states, and the state after the last one."""
    by_card: dict[CardKey, list[_Reviewed]] = {}
    for review in reviews:
        by_card.setdefault(review.key, []).append(review)
    result = []
    for key in sorted(by_card):
        state = CardState()
        logged: list[Review] = []
        for item in sorted(by_card[key], key=lambda r: r.reviewed_at):
            after = scheduler.review(state, item.rating, item.reviewed_at, fuzz=0.5,
                                     duration_ms=item.duration_ms)
            logged.append(Review(key, item.reviewed_at, item.rating, item.duration_ms, state, after, source))
            state = after
        result.append((key, logged, state))
    return result
