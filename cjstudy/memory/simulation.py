"""One simulated learner studying towards an exam under three schedulers, on the same luck.

The learner's memory follows FSRS-6 (`MemoryModel`, default or fitted weights): whether a
card is recalled is drawn from its predicted retrievability, ratings and answer times from
typical figures (or the student's own history). Only the scheduler differs between runs:

- `sm2`: Anki's SM-2 (steps 1m 10m, graduating 1 day, easy 4 days, ease 2.5, hard 1.2x,
  easy bonus 1.3, lapse -> relearn 10m then 1 day, ease -0.20 / -0.15 / +0.15);
- `fsrs`: FSRS-6 at desired retention 0.9;
- `exam`: FSRS plus `cjstudy.memory.planning`'s exam rules (new-card pacing, weak cards brought
  forward so their last review falls shortly before the exam).

Common random numbers: every card owns a random stream seeded from the run's seed, and its
k-th study event uses the k-th pair of numbers in every strategy, so differences come from
the schedules and not from luck. Days are whole: day 0 is the first study day, the exam is
the morning of day `exam_in`, and recall there is counted over all cards (0 for a card never
introduced). Same-day learning steps after the first answer are answered Good.
Pure: seeded `random.Random`, no clock, no I/O. See docs/simulation.md.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from cjstudy.memory.model import AGAIN, EASY, GOOD, HARD, Memory, MemoryModel
from cjstudy.memory.planning import DEFAULT_TARGET, FINISH_NEW_DAYS_BEFORE, new_card_quota, review_day

STRATEGIES = ("sm2", "fsrs", "exam")


@dataclass(frozen=True)
class LearnerProfile:
    """How the simulated student answers: rating odds and seconds per answer.

    Defaults are the typical figures of the FSRS reference simulator (fsrs-rs
    `default_simulator_config`): first-answer odds, Hard/Good/Easy odds when recalled, and
    seconds per answer for (learning, review, relearning) x (Again, Hard, Good, Easy).
    """

    first_rating: tuple[float, float, float, float] = (0.24, 0.094, 0.495, 0.171)
    recall_rating: tuple[float, float, float] = (0.224, 0.631, 0.145)
    learn_seconds: tuple[float, float, float, float] = (19.58, 18.79, 13.78, 10.71)
    review_seconds: tuple[float, float, float, float] = (19.38, 17.59, 12.38, 8.94)
    relearn_seconds: tuple[float, float, float, float] = (16.44, 15.25, 12.32, 8.03)
    source: str = "typical"


@dataclass(frozen=True)
class SimulationConfig:
    cards: int = 200
    new_per_day: int = 20
    exam_in: int = 21  # days from the first study day to the exam
    desired_retention: float = 0.9
    exam_target: float = DEFAULT_TARGET
    finish_new_days_before: int = FINISH_NEW_DAYS_BEFORE
    seed: int = 0


@dataclass(frozen=True)
class StartCard:
    """A card that already has a history (for planning from the student's real progress).

    Days are relative to the first simulated day (negative: in the past).
    """

    memory: Memory | None = None
    last_day: int | None = None
    due_day: int | None = None


@dataclass(frozen=True)
class DayRecord:
    day: int
    new: int
    reviews: int  # every answer, learning steps included
    seconds: float


@dataclass(frozen=True)
class StrategyResult:
    name: str
    recall_at_exam: float
    review_minutes: float
    reviews: int
    days: tuple[DayRecord, ...] = ()

    def to_dict(self, days: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "recall_at_exam": round(self.recall_at_exam, 4),
                                "review_minutes": round(self.review_minutes, 1), "reviews": self.reviews}
        if days:
            data["days"] = [{"day": d.day, "new": d.new, "reviews": d.reviews, "minutes": round(d.seconds / 60, 1)}
                            for d in self.days]
        return data


@dataclass
class _Card:
    stream: random.Random
    memory: Memory | None = None
    last_day: int | None = None
    due_day: int | None = None
    ease: float = 2.5  # SM-2 only
    interval: float = 0.0  # SM-2 only: the last scheduled interval in days


@dataclass
class _Day:
    new: int = 0
    reviews: int = 0
    seconds: float = 0.0


@dataclass
class _Run:
    name: str
    model: MemoryModel
    profile: LearnerProfile
    config: SimulationConfig
    cards: list[_Card]
    log: list[_Day] = field(default_factory=list)

    # --- one answer ----------------------------------------------------------------------

    def introduce(self, card: _Card, day: int, today: _Day) -> None:
        u, _ = card.stream.random(), card.stream.random()
        first = _pick(u, self.profile.first_rating) + 1
        memory = self.model.initial(first)
        today.reviews += 1
        today.seconds += self.profile.learn_seconds[first - 1]
        steps = {AGAIN: 2, HARD: 2, GOOD: 1, EASY: 0}[first]  # learning steps 1m, 10m, answered Good
        for _ in range(steps):
            memory = self.model.review(memory, GOOD, 0)
            today.reviews += 1
            today.seconds += self.profile.learn_seconds[GOOD - 1]
        card.memory, card.last_day = memory, day
        card.interval = 4.0 if first == EASY else 1.0
        card.due_day = self.next_due(card, day, first, graduated=True)

    def review(self, card: _Card, day: int, today: _Day) -> None:
        assert card.memory is not None and card.last_day is not None
        u, v = card.stream.random(), card.stream.random()
        elapsed = day - card.last_day
        recalled = u < self.model.retrievability(card.memory.stability, elapsed)
        rating = _pick(v, self.profile.recall_rating) + 2 if recalled else AGAIN
        memory = self.model.review(card.memory, rating, elapsed)
        today.reviews += 1
        today.seconds += self.profile.review_seconds[rating - 1]
        if rating == AGAIN:  # one relearning step (10m), answered Good
            memory = self.model.review(memory, GOOD, 0)
            today.reviews += 1
            today.seconds += self.profile.relearn_seconds[GOOD - 1]
        scheduled = card.due_day if card.due_day is not None else day
        card.memory, card.last_day = memory, day
        card.due_day = self.next_due(card, day, rating, graduated=False, late=max(0, day - scheduled))

    # --- schedulers ------------------------------------------------------------------------

    def next_due(self, card: _Card, day: int, rating: int, graduated: bool, late: int = 0) -> int:
        assert card.memory is not None
        if self.name == "sm2":
            if not graduated:
                card.interval, card.ease = _sm2(card.interval, card.ease, rating, late)
            return day + max(1, round(card.interval))
        due = day + self.model.scheduled_days(card.memory.stability, self.config.desired_retention)
        if self.name == "exam":
            due = review_day(self.model, card.memory, day, due, self.config.exam_in, self.config.exam_target)
        return due

    def new_today(self, day: int, remaining: int) -> int:
        if self.name != "exam":
            return min(self.config.new_per_day, remaining)
        return new_card_quota(remaining, self.config.exam_in - day, self.config.new_per_day,
                              self.config.finish_new_days_before)

    # --- the whole run ---------------------------------------------------------------------

    def run(self, tick: Callable[[int], object] | None = None) -> StrategyResult:
        exam = self.config.exam_in
        fresh = [card for card in self.cards if card.memory is None]
        fresh.reverse()  # pop() from the end introduces cards in their original order
        agenda: dict[int, list[_Card]] = {}  # day -> cards due that day (each card listed once)
        for card in self.cards:
            if card.memory is not None and card.last_day is not None and card.due_day is not None:
                if self.name == "exam":
                    card.due_day = review_day(self.model, card.memory, card.last_day, card.due_day, exam,
                                              self.config.exam_target)
                agenda.setdefault(max(card.due_day, 0), []).append(card)
        for day in range(exam):
            today = _Day()
            for card in agenda.pop(day, []):
                self.review(card, day, today)
                agenda.setdefault(card.due_day, []).append(card)
            for _ in range(self.new_today(day, len(fresh))):
                card = fresh.pop()
                self.introduce(card, day, today)
                agenda.setdefault(card.due_day, []).append(card)
                today.new += 1
            self.log.append(today)
            if tick is not None:
                tick(day)
        recall = [self.model.retrievability(c.memory.stability, exam - c.last_day)
                  if c.memory is not None and c.last_day is not None else 0.0 for c in self.cards]
        return StrategyResult(
            name=self.name,
            recall_at_exam=sum(recall) / len(recall) if recall else 0.0,
            review_minutes=sum(d.seconds for d in self.log) / 60,
            reviews=sum(d.reviews for d in self.log),
            days=tuple(DayRecord(i, d.new, d.reviews, d.seconds) for i, d in enumerate(self.log)),
        )


def _pick(u: float, odds: Sequence[float]) -> int:
    """Index chosen by `u` in [0, 1) from (not necessarily normalised) odds."""
    total = sum(odds)
    edge = 0.0
    for index, weight in enumerate(odds):
        edge += weight / total
        if u < edge:
            return index
    return len(odds) - 1


def _sm2(interval: float, ease: float, rating: int, late: int) -> tuple[float, float]:
    """Anki's SM-2 review step (default options): the next interval in days and the new ease."""
    if rating == AGAIN:
        return 1.0, max(1.3, ease - 0.2)
    hard = max(interval + 1, interval * 1.2)
    if rating == HARD:
        return hard, max(1.3, ease - 0.15)
    good = max(hard + 1, (interval + late / 2) * ease)
    if rating == GOOD:
        return good, ease
    return max(good + 1, (interval + late) * ease * 1.3), ease + 0.15


def card_streams(seed: int, count: int) -> list[int]:
    """One seed per card, drawn from the run's seed: the shared luck of every strategy."""
    master = random.Random(seed)
    return [master.getrandbits(64) for _ in range(count)]


def simulate(config: SimulationConfig, model: MemoryModel | None = None,
             profile: LearnerProfile | None = None, strategies: Iterable[str] = STRATEGIES,
             start: Sequence[StartCard] | None = None,
             progress: Callable[[int, int], object] | None = None) -> list[StrategyResult]:
    """Run each strategy over the same cards and random streams; deterministic for a seed.

    `progress(done, total)` is called after each simulated day (days summed over the
    strategies), so a caller can draw a progress bar for large runs."""
    model = model or MemoryModel()
    profile = profile or LearnerProfile()
    if config.cards < 0 or config.new_per_day < 0 or config.exam_in < 1:
        raise ValueError("cards and new cards per day must be ≥ 0 and the exam at least 1 day away")
    begin = list(start) if start is not None else [StartCard() for _ in range(config.cards)]
    seeds = card_streams(config.seed, len(begin))
    results = []
    strategies = list(strategies)
    total, offset = len(strategies) * config.exam_in, 0
    for name in strategies:
        if name not in STRATEGIES:
            raise ValueError(f"unknown strategy {name!r} (choose from {', '.join(STRATEGIES)})")
        cards = []
        for seed, origin in zip(seeds, begin):
            card = _Card(random.Random(seed), origin.memory, origin.last_day, origin.due_day)
            if origin.memory is not None and origin.last_day is not None and origin.due_day is not None:
                card.interval = float(max(1, origin.due_day - origin.last_day))
            cards.append(card)
        tick = None if progress is None else (lambda day, base=offset: progress(base + day + 1, total))
        results.append(_Run(name, model, profile, config, cards).run(tick))
        offset += config.exam_in
    return results


def average(runs: Sequence[Sequence[StrategyResult]]) -> list[StrategyResult]:
    """Per strategy, the mean over several seeded runs (for the exam planner's expectations)."""
    out = []
    for results in zip(*runs):
        days = []
        for records in zip(*(r.days for r in results)):
            days.append(DayRecord(records[0].day, round(statistics.fmean(d.new for d in records)),
                                  round(statistics.fmean(d.reviews for d in records)),
                                  statistics.fmean(d.seconds for d in records)))
        out.append(StrategyResult(
            results[0].name, statistics.fmean(r.recall_at_exam for r in results),
            statistics.fmean(r.review_minutes for r in results),
            round(statistics.fmean(r.reviews for r in results)), tuple(days)))
    return out


def profile_from_history(answers: Iterable[tuple[str, int, int | None]], minimum: int = 30) -> LearnerProfile:
    """Seconds per answer from the student's own log: (state before, rating, duration ms) triples.

    Medians per (kind, rating) where at least `minimum` answers exist; typical figures elsewhere.
    Answers longer than 5 minutes are ignored (the student walked away).
    """
    kinds = {"new": 0, "learning": 0, "review": 1, "relearning": 2}
    samples: dict[tuple[int, int], list[float]] = {}
    for state, rating, duration in answers:
        if duration is None or not 0 < duration <= 300_000 or state not in kinds or not 1 <= rating <= 4:
            continue
        samples.setdefault((kinds[state], rating), []).append(duration / 1000)
    typical = LearnerProfile()
    tables = [list(typical.learn_seconds), list(typical.review_seconds), list(typical.relearn_seconds)]
    used = 0
    for (kind, rating), values in samples.items():
        if len(values) >= minimum:
            tables[kind][rating - 1] = statistics.median(values)
            used += 1
    if not used:
        return typical
    return replace(typical, learn_seconds=tuple(tables[0]), review_seconds=tuple(tables[1]),  # type: ignore[arg-type]
                   relearn_seconds=tuple(tables[2]), source="your history")
