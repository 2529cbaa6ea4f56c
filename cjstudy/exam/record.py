"""Saving exam answers as reviews (`cjstudy exam --record`), each the moment it is given.

Only the first pass is recorded: a retest of the misses is practice, minutes after the answer
was shown, and would only add a second review of the same card.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from cjstudy.exam.score import Outcome, rating_for
from cjstudy.memory.scheduler import Scheduler
from cjstudy.model import CardKey, CardState, Review


class ReviewStore(Protocol):
    """The one store call recording needs: read a card's state and append a review, atomically."""

    def review_with(self, key: CardKey, make_review: Callable[[CardState], Review]) -> object: ...


class ExamRecorder:
    """Each save is one store transaction that reads the card's state, runs it through the
    scheduler with the rating the outcome maps to and appends a review with source "exam".
    Questions never shown (input ended, time up) are not saved."""

    def __init__(self, store: ReviewStore, scheduler: Scheduler, clock: Callable[[], datetime]) -> None:
        self._store = store
        self._scheduler = scheduler
        self._clock = clock
        self.count = 0

    def record(self, outcome: Outcome) -> None:
        rating = rating_for(outcome)
        if rating is None:
            return
        key, at, duration = outcome.question.key, self._clock(), outcome.duration_ms

        def review(before: CardState) -> Review:
            after = self._scheduler.review(before, rating, at, duration_ms=duration)
            return Review(key, at, rating, duration, before, after, source="exam")

        self._store.review_with(key, review)
        self.count += 1
