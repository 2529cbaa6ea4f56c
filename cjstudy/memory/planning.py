"""Exam-date rules: pace new cards to finish in time, bring weak cards forward.

No flashcard scheduler we know of looks at an exam date: FSRS keeps recall near the desired
retention *on average over time*, so on exam day some cards sit just above 0.9 and others,
due the day after, have slid below it. Two pure rules fix that here:

1. Pacing: introduce at least `ceil(new cards left / days left for new cards)` new cards a day,
   so every card is introduced `finish_days_before` days before the exam and has time for a
   review or two.
2. Bringing forward: a card whose next FSRS review falls on or after the exam day and whose
   predicted recall on exam day is below `target` (0.95) gets one more review in the last
   `window` (5) days before the exam: on the earliest of those days from which a successful
   review would carry it to the exam at `landing` (0.99) recall or more, else the day before
   the exam. Weak cards thus land on the last day and strong ones a few days earlier, which
   spreads the extra work; measured in docs/simulation.md, this keeps nearly all the gain of
   reviewing everything on the last day (putting the review as early as the target allows
   instead gave half the gain for the same time).

Everything counts in whole study days (day numbers, e.g. `date.toordinal()` of the local study
day) and takes the memory model as an argument; the clock is never read here. The rules live in
`memory/` because the simulator (`memory/simulation.py`) plays them too; `study/pacing.py` applies
them to a real study session.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from cjstudy.memory.model import GOOD, Memory, MemoryModel
from cjstudy.model import CardKey, CardState

DEFAULT_TARGET = 0.95  # recall on exam day below this earns a card an extra, late review
DEFAULT_LANDING = 0.99  # ... placed so that, recalled, it reaches the exam at this recall
FINAL_WINDOW_DAYS = 5  # ... within this many days before the exam
FINISH_NEW_DAYS_BEFORE = 3  # all new cards introduced at least this many days before the exam


def new_card_quota(new_remaining: int, days_left: int, new_per_day: int,
                   finish_days_before: int = FINISH_NEW_DAYS_BEFORE) -> int:
    """New cards to introduce today (day `days_left` before the exam) under exam pacing.

    Never fewer than the student's own daily limit; more when that limit would not get through
    the deck `finish_days_before` days before the exam. Past that point, everything left.
    """
    if new_remaining <= 0:
        return 0
    days_for_new = days_left - finish_days_before
    if days_for_new <= 0:
        return new_remaining
    return min(new_remaining, max(new_per_day, math.ceil(new_remaining / days_for_new)))


def review_day(model: MemoryModel, memory: Memory, last_day: int, fsrs_due_day: int, exam_day: int,
               target: float = DEFAULT_TARGET, landing: float = DEFAULT_LANDING,
               window: int = FINAL_WINDOW_DAYS) -> int:
    """The day a card should next be reviewed when an exam is on `exam_day`.

    The FSRS due day stands when it falls before the exam or the card will be recalled at
    `target` on exam day anyway; otherwise the review moves forward (see module docstring).
    """
    if fsrs_due_day < exam_day or last_day >= exam_day - 1:
        return fsrs_due_day
    if model.retrievability(memory.stability, exam_day - last_day) >= target:
        return fsrs_due_day
    for day in range(max(last_day + 1, exam_day - window), exam_day - 1):
        after = model.review(memory, GOOD, day - last_day)
        if model.retrievability(after.stability, exam_day - day) >= landing:
            return day
    return exam_day - 1


@dataclass(frozen=True)
class BroughtForward:
    """A card to review today although FSRS has it due later."""

    key: CardKey
    recall_at_exam: float  # predicted, without the extra review
    fsrs_due: datetime | None


def bring_forward(states: Mapping[CardKey, CardState], *, today: int, exam_day: int,
                  day_of: Callable[[datetime], int], model: MemoryModel,
                  target: float = DEFAULT_TARGET, keys: Iterable[CardKey] | None = None) -> list[BroughtForward]:
    """Review cards whose exam-aware review day is today or past although FSRS has them due later.

    `states` are the stored card states; `day_of` maps a time to the same day numbers as `today`
    and `exam_day`. Lowest predicted exam-day recall first.
    """
    chosen = states.keys() if keys is None else [k for k in keys if k in states]
    picked = []
    for key in chosen:
        state = states[key]
        if state.is_new or state.stability is None or state.difficulty is None or state.last_review is None:
            continue
        if state.state != "review" or state.due is None:
            continue  # learning cards come back today anyway
        due_day = day_of(state.due)
        if due_day <= today:
            continue  # already due: the normal queue has it
        last_day = day_of(state.last_review)
        memory = Memory(state.stability, state.difficulty)
        if review_day(model, memory, last_day, due_day, exam_day) <= today < exam_day:
            recall = model.retrievability(state.stability, exam_day - last_day)
            picked.append(BroughtForward(key, recall, state.due))
    picked.sort(key=lambda item: (item.recall_at_exam, item.key))
    return picked


def recall_on(model: MemoryModel, states: Iterable[CardState], day: int,
              day_of: Callable[[datetime], int]) -> float:
    """Mean predicted recall on `day` over `states` (cards never studied count as 0)."""
    total = 0.0
    count = 0
    for state in states:
        count += 1
        if state.stability is not None and state.last_review is not None:
            total += model.retrievability(state.stability, day - day_of(state.last_review))
    return total / count if count else 0.0
