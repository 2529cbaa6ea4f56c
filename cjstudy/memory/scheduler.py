"""The one place that talks to `fsrs`: FSRS-6 scheduling of our `CardState`.

Everything else in cjstudy speaks `cjstudy.model.CardState`; this module converts to and from
`fsrs.Card`, keeps `reps`/`lapses` (fsrs does not count them) and applies interval fuzz itself.

Why our own fuzz: fsrs 6 draws its fuzz from the module-level `random.random`, which would make
tests depend on global state and make the rating buttons disagree with the outcome. Here fuzz is
a number in [0, 1) that the caller may pass in (the session draws one per card so the preview and
the review agree) or that is drawn from the `random.Random` the scheduler was given.

`fsrs` is imported on first use so that importing this module (and `cjstudy --help`) stays cheap.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any

from cjstudy.errors import UsageError
from cjstudy.model import CardState, Rating

STATES = ("new", "learning", "review", "relearning")
DEFAULT_RETENTION = 0.9
DEFAULT_LEARNING_STEPS = (timedelta(minutes=1), timedelta(minutes=10))
DEFAULT_RELEARNING_STEPS = (timedelta(minutes=10),)
DEFAULT_MAXIMUM_INTERVAL = 36500  # days

# Fuzz ranges (days): below 2.5 days no fuzz; the allowed spread grows more slowly with length.
_FUZZ_BANDS = ((2.5, 7.0, 0.15), (7.0, 20.0, 0.10), (20.0, math.inf, 0.05))


def _fsrs() -> Any:
    import fsrs

    return fsrs


def default_parameters() -> tuple[float, ...]:
    """The 21 FSRS-6 default weights shipped with the fsrs package (used until a fit exists)."""
    return tuple(_fsrs().scheduler.DEFAULT_PARAMETERS)


@dataclass(frozen=True)
class SchedulerConfig:
    """What a student can tune; stored as settings and rebuilt each session."""

    desired_retention: float = DEFAULT_RETENTION
    learning_steps: tuple[timedelta, ...] = DEFAULT_LEARNING_STEPS
    relearning_steps: tuple[timedelta, ...] = DEFAULT_RELEARNING_STEPS
    maximum_interval: int = DEFAULT_MAXIMUM_INTERVAL
    parameters: tuple[float, ...] | None = None  # None: fsrs defaults
    fuzz: bool = True


def _utc(moment: datetime) -> datetime:
    """fsrs insists on `tzinfo is timezone.utc`; we accept any aware datetime."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("scheduler times must be timezone-aware (UTC inside cjstudy)")
    return moment.astimezone(timezone.utc)


def fuzz_range(interval_days: int, maximum_interval: int = DEFAULT_MAXIMUM_INTERVAL) -> tuple[int, int]:
    """The inclusive range of whole days a review interval may be fuzzed into."""
    if interval_days < 2.5:
        return interval_days, interval_days
    spread = 1.0
    for start, end, factor in _FUZZ_BANDS:
        spread += factor * max(min(float(interval_days), end) - start, 0.0)
    low = max(2, round(interval_days - spread))
    high = min(round(interval_days + spread), maximum_interval)
    return min(low, high), high


def fuzzed_days(interval_days: int, fuzz: float, maximum_interval: int = DEFAULT_MAXIMUM_INTERVAL) -> int:
    """Pick a day in the fuzz range; `fuzz` in [0, 1) maps evenly onto it."""
    low, high = fuzz_range(interval_days, maximum_interval)
    if low == high:
        return low
    fuzz = min(max(fuzz, 0.0), math.nextafter(1.0, 0.0))
    return low + int(fuzz * (high - low + 1))


@dataclass
class Scheduler:
    """FSRS-6 over `CardState`. Pure: the time (and optionally the fuzz) are arguments."""

    config: SchedulerConfig = field(default_factory=SchedulerConfig)
    rng: random.Random | None = None

    def __post_init__(self) -> None:
        config = self.config
        if not 0.0 < config.desired_retention < 1.0:
            raise UsageError(f"desired retention must be between 0 and 1 (got {config.desired_retention})")
        if config.maximum_interval < 1:
            raise UsageError(f"maximum interval must be at least 1 day (got {config.maximum_interval})")
        for name, steps in (("learning", config.learning_steps), ("relearning", config.relearning_steps)):
            if any(step <= timedelta(0) for step in steps):
                raise UsageError(f"{name} steps must be positive durations")
        fsrs = _fsrs()
        try:
            self._fsrs = fsrs.Scheduler(
                parameters=config.parameters if config.parameters is not None else fsrs.scheduler.DEFAULT_PARAMETERS,
                desired_retention=config.desired_retention,
                learning_steps=tuple(config.learning_steps),
                relearning_steps=tuple(config.relearning_steps),
                maximum_interval=config.maximum_interval,
                enable_fuzzing=False,  # we fuzz ourselves, see module docstring
            )
        except ValueError as error:
            first = str(error).splitlines()
            raise UsageError(f"invalid FSRS parameters: {' '.join(first)}") from None
        decay = -self._fsrs.parameters[20]
        self._decay = decay
        self._factor = 0.9 ** (1 / decay) - 1

    # --- conversions -------------------------------------------------------------------

    def _to_fsrs(self, state: CardState, now: datetime) -> Any:
        fsrs = _fsrs()
        if state.is_new or state.stability is None or state.difficulty is None:  # unknown memory: start over
            return fsrs.Card(card_id=0, state=fsrs.State.Learning, step=0, due=now)
        kind = {"learning": fsrs.State.Learning, "review": fsrs.State.Review,
                "relearning": fsrs.State.Relearning}.get(state.state)
        if kind is None:
            raise ValueError(f"unknown card state {state.state!r}")
        step = state.step
        if kind != fsrs.State.Review and step is None:
            step = 0
        return fsrs.Card(
            card_id=0, state=kind, step=step if kind != fsrs.State.Review else None,
            stability=state.stability, difficulty=state.difficulty,
            due=_utc(state.due) if state.due else now,
            last_review=_utc(state.last_review) if state.last_review else None,
        )

    @staticmethod
    def _from_fsrs(card: Any, before: CardState, rating: Rating) -> CardState:
        name = {1: "learning", 2: "review", 3: "relearning"}[int(card.state)]
        lapse = before.state == "review" and rating == Rating.AGAIN
        return CardState(
            state=name, step=card.step, stability=card.stability, difficulty=card.difficulty,
            due=card.due, last_review=card.last_review,
            reps=before.reps + 1, lapses=before.lapses + (1 if lapse else 0),
        )

    # --- scheduling --------------------------------------------------------------------

    def _draw(self, fuzz: float | None) -> float:
        if fuzz is not None:
            return fuzz
        if self.rng is None:
            self.rng = random.Random()
        return self.rng.random()

    def review(self, state: CardState, rating: Rating, now: datetime, *, fuzz: float | None = None,
               duration_ms: int | None = None) -> CardState:
        """The state after answering `rating` at `now`.

        With fuzzing on, review intervals of 3+ days are spread by a few days so cards learnt
        together do not stay together; `fuzz` in [0, 1) picks the spot (drawn from `rng` if None).
        """
        now = _utc(now)
        card, _log = self._fsrs.review_card(self._to_fsrs(state, now), _fsrs().Rating(int(rating)),
                                            review_datetime=now, review_duration=duration_ms)
        after = self._from_fsrs(card, state, Rating(rating))
        if self.config.fuzz and after.state == "review" and after.due is not None:
            days = (after.due - now).days
            if days >= 3:
                chosen = fuzzed_days(days, self._draw(fuzz), self.config.maximum_interval)
                after = replace(after, due=now + timedelta(days=chosen))
        return after

    def preview(self, state: CardState, now: datetime, *, fuzz: float | None = None) -> dict[Rating, timedelta]:
        """How long until the card comes back for each rating: what the rating buttons show.

        Pass the same `fuzz` you will pass to `review` and the buttons tell the exact truth;
        without one (and fuzzing on) the unfuzzed interval is shown.
        """
        now = _utc(now)
        result: dict[Rating, timedelta] = {}
        for rating in Rating:
            if fuzz is None:
                after = self._unfuzzed(state, rating, now)
            else:
                after = self.review(state, rating, now, fuzz=fuzz)
            assert after.due is not None
            result[rating] = after.due - now
        return result

    def _unfuzzed(self, state: CardState, rating: Rating, now: datetime) -> CardState:
        card, _ = self._fsrs.review_card(self._to_fsrs(state, now), _fsrs().Rating(int(rating)),
                                         review_datetime=now)
        return self._from_fsrs(card, state, rating)

    def retrievability(self, state: CardState, at: datetime) -> float:
        """Probability of recall at `at` (FSRS forgetting curve, whole elapsed days); 0 for new cards."""
        if state.stability is None or state.last_review is None:
            return 0.0
        return self.retrievability_raw(state.stability, (_utc(at) - _utc(state.last_review)).days)

    def retrievability_raw(self, stability: float, elapsed_days: float) -> float:
        """The forgetting curve on plain numbers, for ranking thousands of cards quickly."""
        return (1 + self._factor * max(0.0, elapsed_days) / stability) ** self._decay

    @property
    def desired_retention(self) -> float:
        return self.config.desired_retention
