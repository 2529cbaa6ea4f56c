"""A damaged store (values no cjstudy wrote: negative stability, `due` at 2^63-1, …) never
ends in a traceback: reading, studying, stats and planning treat such a card as unreliable."""

from __future__ import annotations

import math
import os
import random
import sqlite3
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cjstudy.cli import app
from cjstudy.deck import parse_deck
from cjstudy.memory.scheduler import Scheduler, SchedulerConfig
from cjstudy.model import CardKey, CardState, Rating, Review
from cjstudy.paths import store_path
from cjstudy.store import open_store
from cjstudy.study.session import SessionOptions, StudySession, study_day

NOW = datetime(2026, 11, 29, 12, tzinfo=timezone.utc)
DECK = b"deck: fz\ntitle: Fuzz\nlanguage: en\ncards:\n  - id: a\n    front: q\n    back: r\n"

BIG = 2**63 - 1
extreme_int = st.one_of(st.sampled_from([BIG, -BIG - 1, -1, 0, 2**53, -(2**53), 253402300800000]),
                        st.integers(-BIG - 1, BIG))
extreme_real = st.one_of(st.sampled_from([-1.0, 0.0, math.inf, -math.inf, 1e308, -1e308, 5e-324]),
                         st.floats(allow_nan=False))
corruption = st.fixed_dictionaries({}, optional={
    "stability": extreme_real, "difficulty": extreme_real, "due": extreme_int, "last_review": extreme_int,
    "step": extreme_int, "buried_until": extreme_int,
    "state": st.sampled_from(["new", "learning", "review", "relearning"]),
})


def seeded_store() -> None:
    with open_store(store_path(os.environ), now=NOW) as store:
        key = CardKey("fz", "a")
        before = CardState()
        after = CardState("review", None, 3.0, 5.0, NOW + timedelta(days=3), NOW, 1, 0)
        store.record_review(Review(key, NOW, Rating.GOOD, 1500, before, after, "study"))


def corrupt(values: dict) -> None:
    db = sqlite3.connect(store_path(os.environ))
    try:
        for column, value in values.items():
            db.execute(f"UPDATE card SET {column} = ?", (value,))
        db.commit()
    finally:
        db.close()


def study_once() -> None:
    deck = parse_deck(DECK, "fz.yaml").deck
    rng = random.Random(1)
    with open_store(store_path(os.environ), now=NOW) as store:
        session = StudySession.start(store, [deck], Scheduler(SchedulerConfig(), rng=rng), NOW,
                                     study_day(NOW, timezone.utc), rng, SessionOptions(new_per_day=5))
        card = session.next_card(NOW)
        if card is not None:
            session.answer(card, Rating.GOOD, NOW, 1000)


def fresh_damaged_store(values: dict) -> None:
    for leftover in store_path(os.environ).parent.glob("progress.sqlite3*"):
        leftover.unlink()
    seeded_store()
    corrupt(values)


def run_ok(runner, folder, *args: str) -> None:
    result = runner.invoke(app, ["--decks", str(folder), *args])
    assert result.exit_code in (0, 1), (args, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.output)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=corruption)
def test_damaged_card_values_never_raise_in_study_or_stats(runner, write_deck, values):
    fresh_damaged_store(values)
    study_once()
    run_ok(runner, write_deck(DECK.decode(), "fz.yaml").parent, "stats", "--json")


@pytest.mark.parametrize("values", [
    {"stability": -1.0}, {"stability": math.inf}, {"stability": 0.0}, {"difficulty": math.inf},
    {"difficulty": -1.0, "due": -BIG - 1}, {"due": BIG}, {"last_review": -BIG - 1}, {"step": BIG, "state": "learning"},
    {"due": 253402300800000},
])
def test_damaged_card_values_never_raise_in_plan_or_the_stats_screen(runner, write_deck, values):
    fresh_damaged_store(values)
    folder = write_deck(DECK.decode(), "fz.yaml").parent
    run_ok(runner, folder, "stats")
    run_ok(runner, folder, "plan", "--exam", (date.today() + timedelta(days=10)).isoformat(), "--json")
