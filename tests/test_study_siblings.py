"""Sibling burying across sessions, undo of answers and buries, the summary's counts, fuzz per session."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from cjstudy.model import Card, CardKey, CardState, Deck, Rating, Review
from cjstudy.memory.scheduler import Scheduler, SchedulerConfig
from cjstudy.study.session import SessionOptions, StudySession, study_day
from cjstudy.store import Store

UTC = timezone.utc
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def card(card_id: str, variant: str = "") -> Card:
    return Card(CardKey("d", card_id, variant), "basic", f"Q {card_id}{variant}", f"A {card_id}")


DECK = Deck("d", "D", "en", "d.yaml", cards=(card("a"), card("a", "reverse"), card("b"), card("c", "c1"),
                                              card("c", "c2")))


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "progress.sqlite3") as s:
        yield s


def start(store: Store, now: datetime = T0, fuzz: bool = False, seed: int = 1, **options) -> StudySession:
    return StudySession.start(store, [DECK], Scheduler(SchedulerConfig(fuzz=fuzz)), now, study_day(now, UTC),
                              random.Random(seed), SessionOptions(**options))


def asked(session: StudySession, now: datetime, rating: Rating = Rating.EASY) -> list[str]:
    out = []
    while (c := session.next_card(now)) is not None:
        out.append(c.key.address)
        session.answer(c, rating, now)
    return out


def seed_review(store: Store, key: CardKey, due: datetime) -> None:
    after = CardState("review", None, 10.0, 5.0, due, due - 10 * DAY, 3, 0)
    store.record_review(Review(key, due - 10 * DAY, Rating.GOOD, 1000, CardState(), after))


def test_new_siblings_wait_for_the_next_study_day(store: Store):
    first = start(store)
    assert asked(first, T0) == ["d/a", "d/b", "d/c@c1"]
    assert first.summary(T0).siblings_buried == 2
    assert asked(start(store, T0 + timedelta(hours=2)), T0 + timedelta(hours=2)) == []
    tomorrow = T0 + DAY
    assert asked(start(store, tomorrow), tomorrow) == ["d/a@reverse", "d/c@c2"]


def test_review_siblings_due_together_are_asked_one_a_day(store: Store):
    for key in (CardKey("d", "a"), CardKey("d", "a", "reverse")):
        seed_review(store, key, T0 - DAY)
    session = start(store, new_cards=0)
    assert session.progress(T0).review == 2
    first = session.next_card(T0)
    session.answer(first, Rating.GOOD, T0)
    assert session.progress(T0).review == 0 and session.next_card(T0) is None
    summary = session.summary(T0)
    assert summary.siblings_buried == 1 and summary.good == 1 and summary.cards == 1
    assert asked(start(store, T0 + DAY, new_cards=0), T0 + DAY) == [
        ({"d/a": "d/a@reverse", "d/a@reverse": "d/a"})[first.key.address]]


def test_undoing_an_answer_unburies_its_siblings(store: Store):
    session = start(store)
    a = session.next_card(T0)
    session.answer(a, Rating.GOOD, T0)
    assert store.buried(T0) == {CardKey("d", "a", "reverse"): study_day(T0, UTC).end}
    assert session.undo(T0) == a
    assert store.buried(T0) == {} and session.summary(T0).siblings_buried == 0


def test_bury_can_be_undone(store: Store):
    session = start(store)
    a = session.next_card(T0)
    left = session.progress(T0).left
    session.bury(a, T0)
    assert session.next_card(T0) != a and session.summary(T0).buried == 1
    assert session.undo(T0) == a
    assert session.next_card(T0) == a and store.buried(T0) == {}
    assert session.progress(T0).left == left and session.summary(T0).buried == 0


def test_the_preview_a_student_saw_survives_undo(store: Store):
    seed_review(store, CardKey("d", "b"), T0 - DAY)
    session = start(store, fuzz=True, new_cards=0)
    b = session.next_card(T0)
    seen = session.preview(b, T0)
    for _ in range(3):
        session.answer(b, Rating.GOOD, T0)
        session.undo(T0)
        assert session.preview(b, T0) == seen
    review = session.answer(b, Rating.GOOD, T0)
    assert review.after.due - T0 == seen[Rating.GOOD]
