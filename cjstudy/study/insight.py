"""The numbers behind `cjstudy stats`' charts: retention, reviews per day, forecast, weak cards, streak.

Pure functions over review rows and card states. Days are whole study days given as day
numbers (the CLI maps times to the local study day, rollover 04:00, with `day_of`), so the
same review counts for the same day in every figure and tests need no clock or time zone.

"True retention" is Anki's term: the share of reviews of cards in the review state (not
learning steps) that were not answered Again. It is the figure to compare with the desired
retention (0.9 by default) the scheduler aims for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from cjstudy.model import CardKey, CardState

DayOf = Callable[[datetime], int]


class ReviewLike(Protocol):
    """What the figures need from a review row (the store's `ReviewRow` has it)."""

    key: CardKey
    reviewed_at: datetime
    rating: int
    state_before: str


@dataclass(frozen=True)
class Retention:
    passed: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.passed / self.total if self.total else None

    def to_dict(self) -> dict[str, Any]:
        rate = self.rate
        return {"rate": None if rate is None else round(rate, 4), "passed": self.passed, "reviews": self.total}


@dataclass(frozen=True)
class WeakCard:
    key: CardKey
    lapses: int
    stability: float
    reps: int

    def to_dict(self) -> dict[str, Any]:
        return {"card": self.key.address, "lapses": self.lapses, "stability_days": round(self.stability, 2),
                "reps": self.reps}


@dataclass(frozen=True)
class Streak:
    current: int  # consecutive study days up to today (or yesterday, if today is not done yet)
    longest: int
    studied_today: bool


@dataclass(frozen=True)
class Insight:
    """Everything the extended `stats` shows; `to_dict` is its `--json` part."""

    retention_7: Retention
    retention_30: Retention
    reviews_per_day: list[int] = field(default_factory=list)  # oldest first, the last is today
    due_forecast: list[int] = field(default_factory=list)  # today first (overdue cards count today)
    weakest: list[WeakCard] = field(default_factory=list)
    streak: Streak = Streak(0, 0, False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "true_retention": {"last_7_days": self.retention_7.to_dict(), "last_30_days": self.retention_30.to_dict()},
            "reviews_per_day": self.reviews_per_day,
            "due_forecast": self.due_forecast,
            "weakest_cards": [w.to_dict() for w in self.weakest],
            "streak": {"current": self.streak.current, "longest": self.streak.longest,
                       "studied_today": self.streak.studied_today},
        }


def true_retention(reviews: Iterable[ReviewLike], today: int, days: int, day_of: DayOf) -> Retention:
    """Passed / all reviews of review-state cards on the last `days` study days (today included)."""
    first = today - days + 1
    passed = total = 0
    for review in reviews:
        if review.state_before != "review" or not first <= day_of(review.reviewed_at) <= today:
            continue
        total += 1
        passed += int(review.rating) > 1
    return Retention(passed, total)


def reviews_per_day(reviews: Iterable[ReviewLike], today: int, days: int, day_of: DayOf) -> list[int]:
    """Answers per study day over the last `days` days, oldest first."""
    counts = Counter(day_of(r.reviewed_at) for r in reviews)
    return [counts.get(day, 0) for day in range(today - days + 1, today + 1)]


def due_forecast(states: Iterable[CardState], today: int, days: int, day_of: DayOf) -> list[int]:
    """Started cards falling due on each of the next `days` study days; overdue ones count today."""
    counts = [0] * days
    for state in states:
        if state.is_new or state.due is None:
            continue
        offset = max(day_of(state.due) - today, 0)
        if offset < days:
            counts[offset] += 1
    return counts


def weakest_cards(states: Mapping[CardKey, CardState], count: int = 5) -> list[WeakCard]:
    """Most lapses first, then lowest stability: the cards worth a closer look (or a rewrite)."""
    weak = [WeakCard(key, s.lapses, s.stability, s.reps) for key, s in states.items()
            if not s.is_new and s.stability is not None]
    weak.sort(key=lambda w: (-w.lapses, w.stability, w.key))
    return weak[:count]


def streak(study_days: Iterable[int], today: int) -> Streak:
    """Consecutive days with at least one review; a streak survives until today is over."""
    days = set(study_days)
    longest = run = 0
    previous = None
    for day in sorted(days):
        run = run + 1 if previous is not None and day == previous + 1 else 1
        longest = max(longest, run)
        previous = day
    end = today if today in days else today - 1
    current = 0
    while end - current in days:
        current += 1
    return Streak(current, longest, today in days)


def collect(reviews: Iterable[ReviewLike], states: Mapping[CardKey, CardState], today: int, day_of: DayOf,
            days: int = 30, weakest: int = 5) -> Insight:
    """All figures; `reviews` may be a lazy iterator (it is read once)."""
    rows = list(reviews)
    return Insight(
        retention_7=true_retention(rows, today, 7, day_of),
        retention_30=true_retention(rows, today, 30, day_of),
        reviews_per_day=reviews_per_day(rows, today, days, day_of),
        due_forecast=due_forecast(states.values(), today, days, day_of),
        weakest=weakest_cards(states, weakest),
        streak=streak((day_of(r.reviewed_at) for r in rows), today),
    )
