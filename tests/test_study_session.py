"""The study loop over the real session, scheduler and SQLite store, driven by scripted keys.

Clock, RNG and sleep are injected; fuzzing is off so the intervals on the buttons are exact.
"""

from __future__ import annotations

import io
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from rich.console import Console

from cjstudy.deck import parse_deck
from cjstudy.model import CardKey, Rating
from cjstudy.memory.scheduler import Scheduler, SchedulerConfig
from cjstudy.study.session import SessionOptions, StudySession, study_day
from cjstudy.store import open_store
from cjstudy.ui.keys import ScriptedKeys
from cjstudy.ui.study_loop import StudyIO, run_study
from cjstudy.ui.study_screen import format_interval

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)

DECK = """\
deck: study-test
title: Klantreis — studie
language: nl
tags: [test]
cards:
  - id: one
    front: Wat is een touchpoint?
    back: Elk contactmoment tussen klant en merk.
    explanation: Lemon & Verhoef (2016) onderscheiden vier soorten.
  - id: two
    front: What is a brand-owned touch point?
    back: designed and controlled by the firm
    hint: who controls it?
  - id: three
    type: list
    prompt: Name the journey stages.
    items: [pre-purchase, purchase, post-purchase]
    tags: [stages]
  - id: four
    type: cloze
    text: A blueprint shows {{c1::physical evidence::what the customer sees}} and {{c2::support processes}}.
    tags: [cloze]
"""


class Clock:
    def __init__(self, start: datetime = T0, step: timedelta = timedelta(seconds=3)) -> None:
        self.now, self.step, self.slept = start, step, []

    def __call__(self) -> datetime:
        self.now += self.step
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def deck():
    result = parse_deck(DECK.encode(), "study-test.yaml")
    assert not [p for p in result.problems if p.is_error]
    return result.deck


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path / "progress.sqlite3") as opened:
        yield opened


def scheduler() -> Scheduler:
    return Scheduler(SchedulerConfig(fuzz=False))


def session_for(store, deck, clock, **options):
    return StudySession.start(store, [deck], scheduler(), clock.now, study_day(clock.now, timezone.utc),
                              random.Random(3), SessionOptions(**options))


def study(store, deck, keys, clock=None, typed=False, **options):
    clock = clock or Clock()
    session = session_for(store, deck, clock, **options)
    out = io.StringIO()
    console = Console(file=out, width=80, color_system=None, highlight=False)
    script = ScriptedKeys(keys)
    summary = run_study(session, StudyIO(console, script, clock, clock.sleep, random.Random(5)), typed=typed)
    return summary, out.getvalue(), session


def stored(store):
    return [(r.key.address, r.rating) for r in store.reviews()]


def test_every_rating_is_in_the_store_when_the_loop_returns(store, deck):
    summary, text, _ = study(store, deck, ["space", "3", "space", "4", "enter", "2", "q"])
    assert stored(store) == [("study-test/one", Rating.GOOD), ("study-test/two", Rating.EASY),
                             ("study-test/three", Rating.HARD)]
    assert summary.cards == 3 and summary.again == 0
    assert "Klantreis — studie" in text and "Lemon & Verhoef (2016)" in text


def test_buttons_show_the_schedulers_exact_intervals(store, deck):
    _, text, _ = study(store, deck, ["space", "q"])
    preview = scheduler().preview(store.state(CardKey("study-test", "one")) or _new(), T0)
    expected = "  ".join(f"{r.value} {r.name.capitalize()} {format_interval(preview[r])}" for r in Rating)
    assert expected in text


def _new():
    from cjstudy.model import CardState

    return CardState()


def test_undo_restores_state_and_marks_the_log_row_undone(store, deck):
    _, text, _ = study(store, deck, ["space", "4", "u", "space", "1", "q"])
    key = CardKey("study-test", "one")
    history = store.reviews(key=key, include_undone=True)
    assert [r.rating for r in history] == [Rating.EASY, Rating.AGAIN]
    assert [r.rating for r in store.reviews(key=key)] == [Rating.AGAIN]
    assert store.state(key).state == "learning"  # Again on a new card, not the Easy's review state
    assert "undone: study-test/one comes back" in text


def test_bury_hides_the_card_until_tomorrow(store, deck):
    study(store, deck, ["s", "q"])
    buried = store.buried(T0)
    assert CardKey("study-test", "one") in buried
    _, text, _session = study(store, deck, ["q"])
    assert "Wat is een touchpoint?" not in text
    _, text, _ = study(store, deck, ["q"], clock=Clock(T0 + timedelta(days=1)))
    assert "Wat is een touchpoint?" in text


def test_learning_card_returns_after_waiting(store, deck):
    clock = Clock()
    keys = ["space", "1"] + ["s"] * 4 + ["w", "space", "3", "q"]
    _summary, text, _ = study(store, deck, keys, clock=clock)
    assert "Only learning cards are left" in text
    assert clock.slept and 0 < clock.slept[0] <= 60
    assert stored(store) == [("study-test/one", Rating.AGAIN), ("study-test/one", Rating.GOOD)]


def test_new_card_option_limits_the_session(store, deck):
    _summary, text, _ = study(store, deck, ["space", "4", "space", "4"], new_cards=2)
    assert len(stored(store)) == 2 and "Nothing more is due now" in text


def test_daily_new_limit_counts_cards_started_earlier_today(store, deck):
    study(store, deck, ["space", "4"], new_per_day=1)
    _, text, session = study(store, deck, [], new_per_day=1)
    assert session.progress(T0).new == 0 and "Nothing is due now." in text


def test_tag_filter_picks_only_tagged_cards(store, deck):
    _, _text, _ = study(store, deck, ["space", "4"], tags=("stages",))
    assert stored(store) == [("study-test/three", Rating.EASY)]


def test_progress_header_counts_down(store, deck):
    _, text, _ = study(store, deck, ["space", "3", "q"])
    assert "0 done · 4 left" in text and "1 done · 4 left" in text  # the Good card is still learning


def test_typed_mode_grades_and_records_the_suggested_rating(store, deck):
    clock = Clock(step=timedelta(seconds=1))
    _summary, text, _ = study(store, deck, ["Elk contactmoment tussen klant en merk", "enter",
                                           "iets anders", "enter", "eof"], clock=clock, typed=True)
    assert "✓ right" in text
    ratings = stored(store)
    assert ratings[0] == ("study-test/one", Rating.EASY)
    assert ratings[1] == ("study-test/two", Rating.AGAIN)


def test_typed_cloze_shows_its_gap_hint_and_grades_the_gap(store, deck):
    _, text, _ = study(store, deck, ["physical evidence", "enter", "q"], typed=True, tags=("cloze",))
    assert "[… hint: what the customer sees]" in text and "✓ right" in text
    assert stored(store)[0][0] == "study-test/four@c1"


def test_editing_a_cards_text_keeps_its_progress(store, deck):
    study(store, deck, ["space", "4", "q"])
    edited = parse_deck(DECK.replace("Wat is een touchpoint?", "Wat is een contactmoment?").encode(),
                        "study-test.yaml").deck
    _, text, _ = study(store, edited, ["q"])
    assert "Wat is een contactmoment?" not in text  # reviewed Easy: not due today
    assert store.state(CardKey("study-test", "one")).state == "review"
