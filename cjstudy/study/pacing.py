"""Studying under a saved exam (`cjstudy plan --exam DATE --save`): the saved plan, and how it
changes today's session options.

The rules themselves (`memory/planning.py`) are pure day arithmetic shared with the simulator;
this module gathers what they need from the store and the decks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo
from typing import Any, Protocol

from cjstudy.memory.model import Memory, MemoryModel
from cjstudy.memory.optimizer import local_day_function
from cjstudy.memory.planning import bring_forward, new_card_quota
from cjstudy.memory.simulation import LearnerProfile, SimulationConfig, StartCard, StrategyResult, average, simulate
from cjstudy.model import CardKey, CardState, Deck
from cjstudy.study.session import DEFAULT_ROLLOVER_HOUR, SessionOptions, study_day

EXAM_SETTING = "exam"  # store setting: {"date": "YYYY-MM-DD", "decks": [...], "tags": [...]}


class PacingStore(Protocol):
    """What pacing reads from the store."""

    def get_setting(self, key: str, default: Any = None) -> Any: ...

    def states(self, decks: Iterable[str] | None = None) -> dict[CardKey, CardState]: ...

    def count_new_introduced(self, since: datetime, until: datetime) -> int: ...


@dataclass(frozen=True)
class ExamPlan:
    """A saved exam: its date and which cards it covers (empty tuples mean all)."""

    date: date
    decks: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def to_setting(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "decks": list(self.decks), "tags": list(self.tags)}

    @classmethod
    def from_setting(cls, value: Any) -> "ExamPlan | None":
        """The saved exam, or None if the setting is missing or unreadable."""
        if not isinstance(value, dict) or not isinstance(value.get("date"), str):
            return None
        try:
            when = date.fromisoformat(value["date"])
        except ValueError:
            return None
        decks = value.get("decks") or []
        tags = value.get("tags") or []
        if not all(isinstance(x, str) for x in [*decks, *tags]):
            return None
        return cls(when, tuple(decks), tuple(tags))



def saved_exam(store: PacingStore) -> ExamPlan | None:
    """The exam `plan --save` stored, or None."""
    return ExamPlan.from_setting(store.get_setting(EXAM_SETTING))


def exam_pacing(store: PacingStore, decks: Sequence[Deck], options: SessionOptions, moment: datetime,
                zone: tzinfo, model: MemoryModel) -> SessionOptions:
    """`study`'s options under a saved exam: the daily new-card limit raised so the exam's cards
    are all introduced three days before it, and weak cards the exam would catch below 0.95
    recall brought forward into today's reviews. Unchanged without an exam or once its day
    has come."""
    plan = saved_exam(store)
    if plan is None:
        return options
    day_of = local_day_function(zone, DEFAULT_ROLLOVER_HOUR)
    today, exam_day = day_of(moment), plan.date.toordinal()
    if exam_day <= today:
        return options
    chosen = [d for d in decks if not plan.decks or d.id in plan.decks]
    wanted = set(plan.tags)
    keys = [c.key for d in chosen for c in d.cards if not wanted or not wanted.isdisjoint(c.tags)]
    states = store.states([d.id for d in chosen])
    remaining = sum(1 for key in keys if key not in states or states[key].is_new)
    day = study_day(moment, zone)
    introduced = store.count_new_introduced(day.start, day.end)
    quota = new_card_quota(remaining + introduced, exam_day - today, options.new_per_day)
    forward = bring_forward(states, today=today, exam_day=exam_day, day_of=day_of, model=model, keys=keys)
    return replace(options, new_per_day=max(options.new_per_day, quota),
                   extra_reviews=options.extra_reviews + tuple(f.key for f in forward))


PLAN_RUNS = 8  # seeded simulations averaged into the plan's expectations


@dataclass(frozen=True)
class PlanForecast:
    """What `cjstudy plan` shows: the expected days to the exam under plain FSRS and exam-aware
    scheduling, averaged over `PLAN_RUNS` simulated runs that start from the real progress."""

    cards: int
    started: int  # cards with a review history (the rest start as new)
    fsrs: StrategyResult
    exam: StrategyResult


def start_cards(keys: Sequence[CardKey], states: dict[CardKey, CardState], today: int,
                day_of: Callable[[datetime], int]) -> list[StartCard]:
    """Each card's memory today, in simulator terms (new if it has no usable history)."""
    start = []
    for key in keys:
        state = states.get(key)
        if state is None or state.is_new or state.stability is None or state.difficulty is None \
                or state.last_review is None or state.due is None:
            start.append(StartCard())
            continue
        start.append(StartCard(Memory(state.stability, state.difficulty), day_of(state.last_review) - today,
                               day_of(state.due) - today))
    return start


def forecast_plan(keys: Sequence[CardKey], states: dict[CardKey, CardState], *, today: int, exam_day: int,
                  day_of: Callable[[datetime], int], new_per_day: int, desired_retention: float,
                  model: MemoryModel, profile: LearnerProfile, runs: int = PLAN_RUNS) -> PlanForecast:
    """Simulate the days to the exam from today's real progress (seeds 0..runs-1, averaged)."""
    start = start_cards(keys, states, today, day_of)
    config = SimulationConfig(cards=len(start), new_per_day=new_per_day, exam_in=exam_day - today,
                              desired_retention=desired_retention)
    results = [simulate(replace(config, seed=seed), model, profile, ("fsrs", "exam"), start)
               for seed in range(runs)]
    fsrs, exam = average(results)
    started = sum(1 for card in start if card.memory is not None)
    return PlanForecast(len(start), started, fsrs, exam)
