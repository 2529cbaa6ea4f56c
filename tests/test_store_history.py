"""Progress store queries: review log, undo rules, deck sync, queues, burying, settings, imports."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from cjstudy.errors import StoreError
from cjstudy.model import CardKey, CardState, Rating, Review
from cjstudy.store import Store

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
MIN = timedelta(minutes=1)
DAY = timedelta(days=1)


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "progress.sqlite3") as s:
        yield s


def key(card: str, deck: str = "d", variant: str = "") -> CardKey:
    return CardKey(deck, card, variant)


def keys(deck: str, *names: str) -> list[CardKey]:
    """Card keys of `deck`; `name@variant` gives a variant."""
    return [CardKey(deck, *name.split("@")) if "@" in name else CardKey(deck, name) for name in names]


def state(due: datetime, reps: int = 1, kind: str = "review", last: datetime | None = None) -> CardState:
    return CardState(kind, None if kind == "review" else 0, 3.25, 5.5, due, last or due - DAY, reps, 0)


def answer(store: Store, k: CardKey, at: datetime, rating: Rating = Rating.GOOD, source: str = "study",
           due: datetime | None = None) -> Review:
    before = store.state(k) or CardState()
    after = state(due or at + DAY, before.reps + 1, last=at)
    return store.record_review(Review(k, at, rating, 1234, before, after, source))


def test_review_round_trips_with_full_states(store: Store):
    stored = answer(store, key("a"), T0 + timedelta(microseconds=1500))
    assert stored.id is not None and stored.reviewed_at == T0 + timedelta(milliseconds=1)  # cut to ms
    (read,) = store.reviews()
    assert read == stored
    assert read.before == CardState() and read.after == store.state(key("a"))
    assert read.after.due == T0 + DAY + timedelta(milliseconds=1) and read.after.stability == 3.25


def test_reviews_filter_by_time_key_deck_and_source(store: Store):
    answer(store, key("a"), T0)
    answer(store, key("b"), T0 + MIN, source="exam")
    answer(store, key("c", deck="other"), T0 + 2 * MIN)
    answer(store, key("a"), T0 + DAY)
    assert [r.key.card for r in store.reviews()] == ["a", "b", "c", "a"]
    assert [r.key.card for r in store.reviews(T0 + MIN, T0 + DAY)] == ["b", "c"]
    assert [r.reviewed_at for r in store.reviews(key=key("a"))] == [T0, T0 + DAY]
    assert [r.key.card for r in store.reviews(decks=["other"])] == ["c"]
    assert [r.key.card for r in store.reviews(sources=["exam"])] == ["b"]
    assert store.count_reviews(T0, T0 + DAY) == 3


def test_review_rows_stream_in_pages_and_match_reviews(store: Store):
    for n in range(23):
        answer(store, key(f"c{n % 5}"), T0 + n * MIN)
    rows = list(store.review_rows(page=4))
    assert [r.id for r in rows] == [r.id for r in store.reviews()]
    assert rows[0].state_before == "new" and rows[-1].state_before == "review"
    assert len(list(store.review_rows(T0 + 10 * MIN, page=3))) == 13


def test_unknown_source_is_refused_and_nothing_written(store: Store):
    with pytest.raises(StoreError, match="unknown review source 'quiz'"):
        answer(store, key("a"), T0, source="quiz")
    assert store.reviews(include_undone=True) == [] and store.state(key("a")) is None


def test_undo_only_the_latest_standing_answer(store: Store):
    first = answer(store, key("a"), T0)
    second = answer(store, key("a"), T0 + MIN)
    with pytest.raises(StoreError, match="d/a was answered again after review"):
        store.undo_review(first.id, T0 + 2 * MIN)
    store.undo_review(second.id, T0 + 2 * MIN)
    assert store.state(key("a")) == first.after
    with pytest.raises(StoreError, match="already undone"):
        store.undo_review(second.id, T0 + 2 * MIN)
    store.undo_review(first.id, T0 + 3 * MIN)
    assert store.state(key("a")) == CardState()
    with pytest.raises(StoreError, match="no review #999"):
        store.undo_review(999, T0)
    undone = store.reviews(include_undone=True)
    assert len(undone) == 2 and store.reviews() == []


def test_count_new_introduced_counts_first_answers_only(store: Store):
    answer(store, key("a"), T0)
    answer(store, key("a"), T0 + MIN)  # not new any more
    answer(store, key("b"), T0 + 2 * MIN, source="exam")  # exams introduce cards too
    answer(store, key("c"), T0 - DAY)  # yesterday
    assert store.count_new_introduced(T0 - MIN, T0 + DAY) == 2


def test_sync_deck_records_positions_and_only_writes_changes(store: Store):
    assert store.sync_deck("d", keys("d", "a", "b", "b@reverse"), T0) is True
    assert store.sync_deck("d", keys("d", "a", "b", "b@reverse"), T0) is False
    assert list(store.new_cards("d", T0)) == [("a", ""), ("b", ""), ("b", "reverse")]
    answer(store, key("a"), T0)
    assert list(store.new_cards("d", T0)) == [("b", ""), ("b", "reverse")]
    # Reordered, one removed, one added: the studied card keeps its state and history.
    assert store.sync_deck("d", keys("d", "c", "b@reverse", "a"), T0 + MIN) is True
    assert list(store.new_cards("d", T0)) == [("c", ""), ("b", "reverse")]
    assert store.sync_deck("d", keys("d", "c"), T0 + MIN)
    assert store.state(key("a")).reps == 1 and len(store.reviews()) == 1
    assert store.due_reviews(T0 + 2 * DAY, T0 + 2 * DAY) == []  # `a` left the deck: not scheduled
    assert store.count_due_reviews(T0 + 2 * DAY, T0 + 2 * DAY) == 0
    assert list(store.iter_due(T0)) == []
    store.sync_deck("d", keys("d", "a", "c"), T0 + 2 * MIN)
    assert [k.card for k, _ in store.due_reviews(T0 + 2 * DAY, T0 + 2 * DAY)] == ["a"]


def test_new_cards_pages_through_a_long_deck(store: Store):
    store.sync_deck("d", keys("d", *(f"c{i:03d}" for i in range(450))), T0)
    for i in range(0, 450, 3):
        answer(store, key(f"c{i:03d}"), T0)
    got = list(store.new_cards("d", T0, page=7))
    assert len(got) == 300 and got[:3] == [("c001", ""), ("c002", ""), ("c004", "")]


def test_due_queries_respect_deck_state_and_burial_and_use_the_covering_index(store: Store):
    store.sync_deck("d", keys("d", "a", "b", "c", "l"), T0)
    store.sync_deck("e", keys("e", "x"), T0)
    answer(store, key("a"), T0 - 3 * DAY, due=T0 - DAY)
    answer(store, key("b"), T0 - 3 * DAY, due=T0 + 5 * DAY)
    answer(store, key("x", deck="e"), T0 - 3 * DAY, due=T0 - DAY)
    answer(store, key("c"), T0 - 3 * DAY, due=T0 - DAY)
    store.bury(key("c"), until=T0 + DAY, now=T0)
    learning = CardState("learning", 1, 1.0, 5.0, T0 + 5 * MIN, T0, 1, 0)
    store.record_review(Review(key("l"), T0, Rating.GOOD, 1, CardState(), learning))
    assert [k for k, _ in store.due_reviews(T0, T0 + DAY, decks=["d"])] == [key("a")]
    assert store.count_due_reviews(T0, T0 + DAY, decks=["d"]) == 1
    assert store.count_due_reviews(T0, T0 + DAY) == 2 and store.count_due_reviews(T0, T0 + DAY, decks=[]) == 0
    assert store.due_learning(T0, T0 + DAY, decks=["d"]) == [(key("l"), T0 + 5 * MIN)]
    assert store.due_learning(T0, T0 + 2 * MIN) == []
    for sql in ("SELECT count(*) " + store._DUE_REVIEWS,
                f"SELECT deck, card, variant, {store._RATIO} AS r, id {store._DUE_REVIEWS} ORDER BY r DESC, id"):
        plan = " ".join(str(r) for r in store.db.execute("EXPLAIN QUERY PLAN " + sql, {"now": 1, "until": 1}))
        assert "COVERING INDEX card_due" in plan


def test_due_reviews_rank_by_retrievability_and_page(store: Store):
    store.sync_deck("d", keys("d", *(f"c{i}" for i in range(9))), T0)
    for i in range(9):  # stability 3.25 for all; seen 1..9 days ago: c8 has the lowest recall
        before = CardState()
        after = CardState("review", None, 3.25, 5.0, T0 - MIN, T0 - (i + 1) * DAY, 1, 0)
        store.record_review(Review(key(f"c{i}"), T0 - (i + 1) * DAY, Rating.GOOD, 1, before, after))
    everything = store.due_reviews(T0, T0 + DAY)
    assert [k.card for k, _ in everything] == [f"c{i}" for i in range(8, -1, -1)]
    pages, after = [], None
    while rows := store.due_reviews(T0, T0 + DAY, after=after, limit=4):
        pages.append([k.card for k, _ in rows])
        after = rows[-1][1]
    assert pages == [["c8", "c7", "c6", "c5"], ["c4", "c3", "c2", "c1"], ["c0"]]


def test_iter_due_is_ordered_and_paged(store: Store):
    store.sync_deck("d", keys("d", *(f"c{i}" for i in range(12))), T0)
    for i in range(12):
        answer(store, key(f"c{i}"), T0, due=T0 + (12 - i) * DAY)
    dues = [due for _, due in store.iter_due(T0, page=5)]
    assert dues == sorted(dues) and len(dues) == 12
    assert [k.card for k, _ in store.iter_due(T0 + 10 * DAY, page=2)] == ["c1", "c0"]
    assert list(store.iter_due(T0, decks=["nope"])) == []


def test_bury_and_unbury(store: Store):
    store.sync_deck("d", keys("d", "a", "b"), T0)
    store.bury(key("a"), until=T0 + DAY, now=T0)
    store.bury(key("b"), until=T0 + DAY, now=T0)
    assert list(store.new_cards("d", T0)) == []
    assert list(store.new_cards("d", T0 + DAY)) == [("a", ""), ("b", "")]  # burial ends by itself
    assert store.unbury([key("a")]) == 1
    assert store.buried(T0) == {key("b"): T0 + DAY}
    assert store.unbury() == 1 and store.buried(T0) == {}
    store.bury(key("a"), until=T0 + DAY, now=T0)
    answer(store, key("a"), T0)  # answering a buried card ends its burial
    assert store.buried(T0) == {}


def test_settings_hold_json_values(store: Store):
    assert store.get_setting("desired_retention", 0.9) == 0.9
    store.set_setting("desired_retention", 0.85, T0)
    store.set_setting("fsrs_parameters", [0.2, 1.3, 2.3])
    store.set_setting("exam", {"date": "2027-01-15", "decks": ["touch-points"]})
    store.set_setting("desired_retention", 0.8)
    assert store.get_setting("desired_retention") == 0.8
    assert store.settings() == {"desired_retention": 0.8, "exam": {"date": "2027-01-15", "decks": ["touch-points"]},
                                "fsrs_parameters": [0.2, 1.3, 2.3]}
    assert store.delete_setting("exam") and not store.delete_setting("exam")


def test_import_history_only_for_cards_without_any(store: Store):
    history = [Review(key("a"), T0 - DAY * n, Rating.GOOD, None, CardState(), state(T0, n), "import")
               for n in (3, 2, 1)]
    final = state(T0 + 4 * DAY, 3)
    assert store.import_history(key("a"), history, final) is True
    assert store.import_history(key("a"), history, final) is False  # already has history
    answer(store, key("b"), T0)
    assert store.import_histories([(key("b"), history, final), (key("c"), history, final)]) == 1
    assert [r.reviewed_at for r in store.reviews(key=key("a"))] == [T0 - 3 * DAY, T0 - 2 * DAY, T0 - DAY]
    assert store.state(key("a")) == final and store.state(key("c")) == final
    assert store.count_new_introduced(T0 - 5 * DAY, T0 + DAY) == 1  # imports do not use up new cards
    assert store.reviews(sources=["import"])[0].source == "import"


def test_failed_import_writes_nothing(store: Store):
    good = [Review(key("a"), T0, Rating.GOOD, None, CardState(), state(T0 + DAY), "import")]
    bad = [Review(key("b"), T0, Rating.GOOD, None, CardState(), state(T0 + DAY), "scraped")]
    with pytest.raises(StoreError, match="unknown review source"):
        store.import_histories([(key("a"), good, state(T0 + DAY)), (key("b"), bad, state(T0 + DAY))])
    assert store.reviews(include_undone=True) == [] and store.state(key("a")) is None


def test_states_lists_studied_cards_even_off_deck(store: Store):
    store.sync_deck("d", keys("d", "a", "b"), T0)
    answer(store, key("a"), T0)
    answer(store, key("z", deck="gone"), T0)
    assert set(store.states()) == {key("a"), key("z", deck="gone")}
    assert set(store.states(decks=["d"])) == {key("a")}
