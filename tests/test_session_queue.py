"""The lazy main queue, alone and inside a session that pages due reviews from the store."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cjstudy.model import Card, CardKey, CardState, Deck, Rating, Review
from cjstudy.memory.scheduler import Scheduler, SchedulerConfig
from cjstudy.study.session import SessionOptions, StudySession, study_day
from cjstudy.study.queue import MainQueue, new_slots
from cjstudy.store import Store

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)


def k(name: str) -> CardKey:
    return CardKey("d", name)


def test_slots_spread_new_cards_evenly():
    assert new_slots(6, 3) == {1, 4, 7}
    assert new_slots(0, 2) == {0, 1}
    assert new_slots(5, 0) == set()
    assert new_slots(1, 1) == {1}


def test_head_is_stable_until_taken_and_reads_reviews_lazily():
    pulled = []

    def reviews():
        for name in "abcd":
            pulled.append(name)
            yield k(name)

    queue = MainQueue(reviews(), 4, [k("N")])
    assert queue.head() == k("a") and queue.head() == k("a") and pulled == ["a"]
    assert queue.take(k("zz")) is None and queue.head() == k("a")
    assert queue.take(k("a")) == "review"
    assert [queue.head(), queue.take(queue.head())] == [k("b"), "review"]
    assert queue.head() == k("N") and queue.take(k("N")) == "new"
    assert pulled == ["a", "b"]
    assert (queue.left("review"), queue.left("new")) == (2, 0)


def test_undo_puts_a_card_in_front_and_counts_it_by_kind():
    queue = MainQueue(iter([k("a"), k("b")]), 2, [])
    queue.take(queue.head())
    queue.put_front(k("a"), "review")
    queue.put_front(k("L"), "learning")
    assert queue.head() == k("L") and queue.left("learning") == 1 and queue.left("review") == 2
    assert queue.take(k("a")) == "review"  # taken out of the front, not the head
    assert queue.take(k("L")) == "learning" and queue.head() == k("b")


def test_fewer_reviews_than_counted_and_skipped_keys():
    queue = MainQueue(iter([k("a"), k("gone"), k("b")]), 5, [k("N")], accept=lambda key: key != k("gone"))
    seen = []
    while (key := queue.head()) is not None:
        seen.append(key.card)
        queue.take(key)
    assert seen == ["a", "b", "N"] and queue.left("review") == 0 and not queue


def deck(count: int) -> Deck:
    cards = tuple(Card(CardKey("d", f"c{i:03d}"), "basic", f"Q{i}", f"A{i}") for i in range(count))
    return Deck("d", "D", "en", "d.yaml", cards=cards)


def seeded_store(path: Path, d: Deck, due: int) -> Store:
    store = Store.open(path)
    store.sync_deck("d", [c.key for c in d.cards], T0)
    for i, c in enumerate(d.cards[:due]):  # c000 seen longest ago: lowest recall
        after = CardState("review", None, 4.0, 5.0, T0 - DAY, T0 - (due - i) * DAY, 2, 0)
        store.record_review(Review(c.key, T0 - (due - i) * DAY, Rating.GOOD, 1, CardState(), after))
    return store


def test_session_pages_through_due_reviews(tmp_path: Path):
    d = deck(40)
    with seeded_store(tmp_path / "p.sqlite3", d, 25) as store:
        session = StudySession.start(store, [d], Scheduler(SchedulerConfig(fuzz=False)), T0,
                                     study_day(T0, timezone.utc), random.Random(1),
                                     SessionOptions(new_per_day=5), page=3)
        assert session.progress(T0).review == 25 and session.progress(T0).new == 5
        asked = []
        now = T0
        while (card := session.next_card(now)) is not None:
            asked.append(card.key.card)
            if card.key.card == "c004":
                session.bury(card, now)
            elif card.key.card == "c010" and "c010" not in asked[:-1]:
                session.answer(card, Rating.HARD, now, 1)
                assert session.undo(now) == card  # comes straight back, then gets answered
            else:
                session.answer(card, Rating.EASY, now, 1)
            now += timedelta(seconds=5)
        reviews = [name for name in asked if int(name[1:]) < 25]
        assert reviews == [f"c{i:03d}" for i in range(11)] + ["c010"] + [f"c{i:03d}" for i in range(11, 25)]
        assert sorted(set(asked)) == [f"c{i:03d}" for i in range(30)]
        assert asked.count("c010") == 2
        assert [name for name in asked if int(name[1:]) >= 25] == ["c025", "c026", "c027", "c028", "c029"]
        assert session.progress(now).left == 0 and len(session.answered) == 29


def test_limit_applies_to_paged_reviews(tmp_path: Path):
    d = deck(12)
    with seeded_store(tmp_path / "p.sqlite3", d, 10) as store:
        session = StudySession.start(store, [d], Scheduler(SchedulerConfig(fuzz=False)), T0,
                                     study_day(T0, timezone.utc), random.Random(1),
                                     SessionOptions(limit=4), page=3)
        asked = []
        while (card := session.next_card(T0)) is not None:
            asked.append(card.key.card)
            session.answer(card, Rating.EASY, T0, 1)
        assert asked == ["c000", "c001", "c002", "c003"]
