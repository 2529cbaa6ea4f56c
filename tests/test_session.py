"""Study session logic with an injected clock and RNG over a real store in a temp dir."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from cjstudy.errors import UsageError
from cjstudy.model import Card, CardKey, CardState, Deck, Rating, Review
from cjstudy.memory.scheduler import Scheduler, SchedulerConfig
from cjstudy.study.session import SessionOptions, StudySession, study_day
from cjstudy.study.queue import interleave
from cjstudy.store import Store

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)  # a Friday morning
UTC = timezone.utc
MIN = timedelta(minutes=1)
DAY = timedelta(days=1)


def card(deck: str, card_id: str, variant: str = "", tags: tuple[str, ...] = (), question: str = "") -> Card:
    return Card(CardKey(deck, card_id, variant), "basic", question or f"Q {card_id}{variant}", f"A {card_id}",
                tags=tags)


def deck(deck_id: str, cards: list[Card], title: str = "") -> Deck:
    return Deck(deck_id, title or deck_id.title(), "en", f"{deck_id}.yaml", cards=tuple(cards))


def numbered(deck_id: str, count: int, **kw) -> Deck:
    return deck(deck_id, [card(deck_id, f"c{i:02d}", **kw) for i in range(count)])


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "progress.sqlite3") as s:
        yield s


def start(store: Store, deck_list: list[Deck], now: datetime = T0, seed: int = 1, fuzz: bool = False,
          **options) -> StudySession:
    scheduler = Scheduler(SchedulerConfig(fuzz=fuzz))
    return StudySession.start(store, deck_list, scheduler, now, study_day(now, UTC), random.Random(seed),
                              SessionOptions(**options))


def seed_review(store: Store, key: CardKey, last: datetime, stability: float, due: datetime,
                state: str = "review") -> None:
    """A card studied before, with chosen stability and due date."""
    after = CardState(state, 0 if state != "review" else None, stability, 5.0, due, last, 3, 0)
    store.record_review(Review(key, last, Rating.GOOD, 1000, CardState(), after))


def order(session: StudySession, kinds: bool = False) -> list:
    """Empty the main queue (reviews and new, no learning cards), in the order it hands them out."""
    out = []
    while (k := session.main.head()) is not None:
        kind = session.main.take(k)
        out.append((k, kind) if kinds else k)
    return out


def drain(session: StudySession, now: datetime) -> list[str]:
    """Answer Good to everything due now; returns the card ids in the order asked."""
    asked = []
    while (c := session.next_card(now)) is not None:
        asked.append(c.key.card)
        session.answer(c, Rating.GOOD, now, 1000)
    return asked


# --- study day ---------------------------------------------------------------------------

def test_study_day_rolls_over_at_four_local_time():
    cet = timezone(timedelta(hours=1))
    day = study_day(datetime(2026, 11, 20, 9, 0, tzinfo=UTC), cet)  # 10:00 local
    assert day.start == datetime(2026, 11, 20, 3, 0, tzinfo=UTC)  # 04:00 local
    assert day.end == datetime(2026, 11, 21, 3, 0, tzinfo=UTC)
    late = study_day(datetime(2026, 11, 21, 2, 30, tzinfo=UTC), cet)  # 03:30 local: still "yesterday"
    assert late == day
    assert study_day(datetime(2026, 11, 21, 3, 0, tzinfo=UTC), cet).start == day.end


def test_study_day_across_a_dst_change():
    from zoneinfo import ZoneInfo

    ams = ZoneInfo("Europe/Amsterdam")
    day = study_day(datetime(2026, 10, 24, 12, 0, tzinfo=UTC), ams)  # the night clocks go back
    assert day.end - day.start == timedelta(hours=25)


# --- building the queue ------------------------------------------------------------------

def test_new_cards_in_deck_order_up_to_the_daily_limit(store: Store):
    session = start(store, [numbered("d", 30)])
    assert session.progress(T0).new == 20 and session.progress(T0).review == 0
    assert [k.card for k in order(session)] == [f"c{i:02d}" for i in range(20)]


def test_daily_new_limit_counts_earlier_sessions_and_resets_next_day(store: Store):
    decks = [numbered("d", 30)]
    first = start(store, decks, new_per_day=8)
    for _ in range(5):
        c = first.next_card(T0)
        first.answer(c, Rating.EASY, T0, 500)  # Easy: straight to review, out of today's session
    assert start(store, decks, T0 + 2 * MIN, new_per_day=8).progress(T0).new == 3
    assert start(store, decks, T0 + 2 * MIN, new_per_day=8, new_cards=10).progress(T0).new == 10
    tomorrow = T0 + DAY
    assert start(store, decks, tomorrow, new_per_day=8).progress(tomorrow).new == 8
    assert start(store, decks, T0, new_per_day=0).progress(T0).new == 0


def test_only_one_new_card_per_note_unless_siblings_allowed(store: Store):
    d = deck("d", [card("d", "a"), card("d", "a", "reverse"), card("d", "b"), card("d", "c", "c1"),
                   card("d", "c", "c2")])
    assert [k.address for k in order(start(store, [d]))] == ["d/a", "d/b", "d/c@c1"]
    assert len(order(start(store, [d], new_siblings=True))) == 5


def test_due_reviews_lowest_retrievability_first_and_future_ones_left_out(store: Store):
    d = numbered("d", 6)
    keys = [c.key for c in d.cards]
    # c00: stable and recently seen (high R); c01: fragile and long ago (lowest R); c02 in between.
    seed_review(store, keys[0], T0 - 2 * DAY, stability=30.0, due=T0 - MIN)
    seed_review(store, keys[1], T0 - 20 * DAY, stability=2.0, due=T0 - 10 * DAY)
    seed_review(store, keys[2], T0 - 10 * DAY, stability=8.0, due=T0 - 2 * DAY)
    seed_review(store, keys[3], T0 - DAY, stability=5.0, due=T0 + 3 * DAY)  # not due: left out
    seed_review(store, keys[4], T0 - DAY, stability=1.0, due=T0 + 10 * 60 * MIN)  # due later today: in
    session = start(store, [d], new_per_day=0)
    keys = order(session)
    assert [k.card for k in keys] == ["c01", "c02", "c04", "c00"]  # R: 0.75, 0.88, 0.90, 0.99
    rs = [session.retrievability(session.card(k), T0) for k in keys]
    assert rs == sorted(rs)


def test_new_cards_are_spread_among_reviews(store: Store):
    d = numbered("d", 12)
    for i, c in enumerate(d.cards[:8]):
        seed_review(store, c.key, T0 - (i + 2) * DAY, stability=1.0 + i, due=T0 - DAY)
    session = start(store, [d], new_per_day=2)
    kinds = [kind for _, kind in order(session, kinds=True)]
    assert kinds == ["review"] * 2 + ["new"] + ["review"] * 4 + ["new"] + ["review"] * 2


def test_interleave_keeps_both_orders():
    assert interleave(list("abcdef"), ["X", "Y", "Z"]) == list("aXbcYdeZf")
    assert interleave([], ["X", "Y"]) == ["X", "Y"]
    assert interleave(list("ab"), []) == ["a", "b"]
    assert interleave(["a"], ["X", "Y", "Z"]) == ["X", "a", "Y", "Z"]


def test_limit_caps_reviews_first_then_new(store: Store):
    d = numbered("d", 10)
    for c in d.cards[:4]:
        seed_review(store, c.key, T0 - 5 * DAY, stability=2.0, due=T0 - DAY)
    assert start(store, [d], limit=3).progress(T0).left == 3
    assert start(store, [d], limit=3).progress(T0).new == 0
    session = start(store, [d], limit=6)
    assert (session.progress(T0).review, session.progress(T0).new) == (4, 2)


def test_deck_and_tag_filters(store: Store):
    a = deck("a", [card("a", "x", tags=("journey",)), card("a", "y")])
    b = deck("b", [card("b", "z", tags=("journey", "nl"))])
    assert [k.address for k in order(start(store, [a, b], decks=("b",)))] == ["b/z"]
    assert [k.address for k in order(start(store, [a, b], tags=("journey",)))] == ["a/x", "b/z"]
    with pytest.raises(UsageError, match="no deck 'nope'; `cjstudy decks` lists them"):
        start(store, [a, b], decks=("nope",))


# --- answering, learning steps, undo, bury -------------------------------------------------

def test_answer_is_committed_before_it_returns(store: Store, tmp_path: Path):
    d = numbered("d", 2)
    session = start(store, [d])
    c = session.next_card(T0)
    session.answer(c, Rating.GOOD, T0, 2500)
    with Store.open(tmp_path / "progress.sqlite3") as other:  # a second connection sees it at once
        (logged,) = other.reviews()
        assert (logged.key, logged.rating, logged.duration_ms, logged.source) == (c.key, Rating.GOOD, 2500, "study")
        assert other.state(c.key).state == "learning"


def test_learning_cards_come_back_when_due_and_wait_is_offered(store: Store):
    d = numbered("d", 2)
    session = start(store, [d])
    first = session.next_card(T0)
    session.answer(first, Rating.AGAIN, T0, 1000)  # back in 1 minute
    second = session.next_card(T0)
    assert second.key != first.key
    session.answer(second, Rating.GOOD, T0, 1000)
    assert session.next_card(T0) is None  # only future learning cards remain
    assert session.next_due() == T0 + MIN
    assert session.progress(T0).learning == 2
    assert session.next_card(T0 + MIN) == first  # comes back when due
    session.answer(first, Rating.GOOD, T0 + MIN, 1000)
    assert session.next_due() == T0 + 10 * MIN  # `second` at 10 min, `first` at 1 + 10 min
    assert session.next_card(T0 + 10 * MIN) == second


def test_due_learning_card_goes_before_the_queue(store: Store):
    d = numbered("d", 5)
    session = start(store, [d])
    first = session.next_card(T0)
    session.answer(first, Rating.AGAIN, T0, 1000)
    assert session.next_card(T0 + timedelta(seconds=30)) != first
    assert session.next_card(T0 + MIN) == first


def test_graduated_card_leaves_the_session(store: Store):
    session = start(store, [numbered("d", 1)])
    c = session.next_card(T0)
    session.answer(c, Rating.GOOD, T0, 1000)
    session.answer(session.next_card(T0 + 10 * MIN), Rating.GOOD, T0 + 10 * MIN, 1000)
    assert session.next_card(T0 + 10 * MIN) is None and session.next_due() is None
    assert store.state(c.key).state == "review"


def test_undo_restores_state_keeps_the_log_row_and_brings_the_card_back(store: Store):
    d = numbered("d", 3)
    session = start(store, [d])
    assert session.undo(T0) is None
    c = session.next_card(T0)
    session.answer(c, Rating.GOOD, T0, 1000)
    assert store.count_new_introduced(session.day.start, session.day.end) == 1
    assert session.undo(T0 + 5 * MIN) == c
    assert store.state(c.key) == CardState()
    assert store.reviews() == []
    (row,) = store.reviews(include_undone=True)
    assert row.key == c.key and row.rating == Rating.GOOD
    assert [r.undone for r in store.review_rows(include_undone=True)] == [True]
    assert store.count_new_introduced(session.day.start, session.day.end) == 0
    assert session.next_card(T0 + 5 * MIN) == c
    assert session.progress(T0).new == 3 and session.progress(T0).done == 0 and session.progress(T0).learning == 0
    # Rating it again after the undo counts once.
    session.answer(c, Rating.EASY, T0 + 6 * MIN, 900)
    assert [r.rating for r in store.reviews()] == [Rating.EASY]
    assert len(store.reviews(include_undone=True)) == 2


def test_undo_walks_back_several_answers_of_one_card(store: Store):
    session = start(store, [numbered("d", 1)])
    c = session.next_card(T0)
    session.answer(c, Rating.AGAIN, T0, 1000)
    mid = store.state(c.key)
    session.answer(session.next_card(T0 + MIN), Rating.GOOD, T0 + MIN, 1000)
    assert session.undo(T0 + 2 * MIN) == c
    assert store.state(c.key) == mid
    assert session.undo(T0 + 2 * MIN) == c
    assert store.state(c.key) == CardState()
    assert session.undo(T0 + 2 * MIN) is None
    assert len(store.reviews(include_undone=True)) == 2 and store.reviews() == []


def test_bury_hides_the_card_until_the_next_study_day(store: Store):
    d = numbered("d", 3)
    session = start(store, [d])
    c = session.next_card(T0)
    session.bury(c, T0)
    assert session.next_card(T0) != c and session.progress(T0).new == 2
    assert store.buried(T0) == {c.key: session.day.end}
    assert c.key not in order(start(store, [d], T0 + 3 * 60 * MIN))
    tomorrow = start(store, [d], session.day.end + MIN)
    assert order(tomorrow)[0] == c.key


def test_buried_review_card_is_skipped_until_tomorrow(store: Store):
    d = numbered("d", 1)
    seed_review(store, d.cards[0].key, T0 - 5 * DAY, stability=2.0, due=T0 - DAY)
    session = start(store, [d])
    session.bury(session.next_card(T0), T0)
    assert start(store, [d], T0 + MIN).progress(T0).review == 0
    assert start(store, [d], T0 + DAY).progress(T0).review == 1


def test_summary(store: Store):
    d = numbered("d", 4)
    session = start(store, [d])
    for rating in (Rating.AGAIN, Rating.GOOD, Rating.EASY):
        session.answer(session.next_card(T0), rating, T0, 2000)
    summary = session.summary(T0)
    assert (summary.cards, summary.again, summary.seconds) == (3, 1, 6.0)
    assert summary.again_rate == pytest.approx(1 / 3)
    assert summary.next_due == T0  # one new card is still waiting
    assert summary.learning_left == 2
    session.bury(session.next_card(T0), T0)
    later = session.summary(T0)
    assert later.next_due == T0 + MIN  # the Again card's step
    # Easy on a new card: 8 days, so nothing is due tomorrow.
    assert later.due_tomorrow == 0


def test_summary_counts_cards_due_tomorrow(store: Store):
    d = numbered("d", 3)
    seed_review(store, d.cards[0].key, T0 - DAY, stability=2.0, due=T0 + DAY)
    seed_review(store, d.cards[1].key, T0 - DAY, stability=2.0, due=T0 + DAY + 2 * 60 * MIN)
    seed_review(store, d.cards[2].key, T0 - DAY, stability=9.0, due=T0 + 9 * DAY)
    summary = start(store, [d]).summary(T0)
    assert summary.next_due == T0 + DAY and summary.due_tomorrow == 2 and summary.cards == 0


# --- identity, history, fuzz, concurrency ---------------------------------------------------

def test_editing_a_cards_text_keeps_its_progress_and_removing_keeps_history(store: Store):
    d = numbered("d", 3)
    session = start(store, [d])
    c = session.next_card(T0)
    session.answer(c, Rating.EASY, T0, 1000)
    edited = replace(d, cards=tuple(replace(x, question="New wording?") if x.key == c.key else x for x in d.cards))
    later = T0 + 9 * DAY
    resumed = start(store, [edited], later, new_per_day=0)
    assert resumed.next_card(later).key == c.key and resumed.next_card(later).question == "New wording?"
    assert resumed.state_of(resumed.next_card(later)).reps == 1
    removed = replace(d, cards=tuple(x for x in d.cards if x.key != c.key))
    gone = start(store, [removed], later)
    assert c.key not in order(gone) and c.key not in gone.learning
    assert [r.key for r in store.reviews()] == [c.key]
    assert store.state(c.key).reps == 1
    assert order(start(store, [d], later, new_per_day=0)) == [c.key]  # put back: progress is still there


def test_same_seed_same_session(tmp_path: Path):
    def run(seed: int, folder: str) -> list[datetime]:
        d = numbered("d", 5)
        with Store.open(tmp_path / folder / "p.sqlite3") as s:
            for c in d.cards:
                seed_review(s, c.key, T0 - 30 * DAY, stability=20.0, due=T0 - DAY)
            session = start(s, [d], seed=seed, fuzz=True)
            dues = []
            while (c := session.next_card(T0)) is not None:
                shown = session.preview(c, T0)[Rating.GOOD]
                dues.append(session.answer(c, Rating.GOOD, T0, 1000).after.due)
                assert dues[-1] - T0 == shown  # the button told the truth, fuzz included
            return dues

    assert run(5, "a") == run(5, "b")
    assert any(run(seed, f"s{seed}") != run(5, "a") for seed in range(6, 12))


def test_two_sessions_on_one_card_do_not_overwrite_each_other(tmp_path: Path):
    d = numbered("d", 1)
    path = tmp_path / "p.sqlite3"
    with Store.open(path) as one, Store.open(path) as two:
        a, b = start(one, [d]), start(two, [d])
        a.answer(a.next_card(T0), Rating.GOOD, T0, 1000)
        b.answer(b.next_card(T0), Rating.GOOD, T0 + MIN, 1000)  # b still thinks it is new
        state = one.state(d.cards[0].key)
        assert state.reps == 2 and state.state == "review"  # b started from a's result
        assert len(one.reviews()) == 2


def test_study_loop_runs_on_a_real_session(store: Store):
    """The UI's StudyBackend protocol is met: a scripted run rates, undoes, buries and quits."""
    import io

    from rich.console import Console

    from cjstudy.ui.keys import ScriptedKeys
    from cjstudy.ui.study_loop import StudyIO, run_study

    class Clock:
        now = T0

        def __call__(self) -> datetime:
            self.now += timedelta(seconds=2)
            return self.now

        def sleep(self, seconds: float) -> None:
            self.now += timedelta(seconds=seconds)

    d = numbered("d", 3)
    session = start(store, [d])
    clock = Clock()
    out = io.StringIO()
    keys = ScriptedKeys(["space", "3", "space", "1", "u", "space", "4", "s", "q"])
    summary = run_study(session, StudyIO(Console(file=out, width=80, color_system=None), keys, clock, clock.sleep,
                                         random.Random(3)))
    text = out.getvalue()
    assert [r.rating for r in store.reviews()] == [Rating.GOOD, Rating.EASY]
    assert len(store.reviews(include_undone=True)) == 3
    assert summary.cards == 2 and summary.again == 0
    assert "1 Again 1m  2 Hard 6m  3 Good 10m  4 Easy 8d" in text
    assert list(store.buried(clock.now)) == [d.cards[2].key]
