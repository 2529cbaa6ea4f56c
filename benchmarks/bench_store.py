"""Progress-store benchmarks: building the due queue, and answer→commit latency.

    python benchmarks/bench_store.py           # 100,000 cards, 1,000,000 reviews
    python benchmarks/bench_store.py --quick   # 10,000 cards, 100,000 reviews
    CJSTUDY_BENCH_CARDS=1000000 python benchmarks/run.py --only store   # 1,000,000 / 10,000,000

Goals (issue 4): due queue < 100 ms at full size; answer→commit p99 < 10 ms. The store is
filled once per size through the store's own bulk import (one transaction) and shared by both
benchmarks; building it is not timed.
"""

from __future__ import annotations

import atexit
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cjstudy.model import Card, CardKey, CardState, Deck, Rating, Review, deck_fingerprint
from cjstudy.memory.scheduler import Scheduler, SchedulerConfig
from cjstudy.study.session import SessionOptions, StudySession, study_day
from cjstudy.store import Store

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
CARDS_PER_DECK = 1000
REVIEWS_PER_CARD = 10
STARTED_SHARE = 0.9  # the rest of the cards are still new

_BUILT: dict[bool, tuple[Path, list[Deck]]] = {}


def sizes(quick: bool) -> tuple[int, int]:
    """(cards, reviews): ten reviews per card on average, all on the 90% of cards already started."""
    cards = 10_000 if quick else 100_000
    override = os.environ.get("CJSTUDY_BENCH_CARDS")  # e.g. 1000000 for the 10-million-review figure
    if override and not quick:
        cards = int(override)
    return cards, cards * REVIEWS_PER_CARD


def make_decks(cards: int) -> list[Deck]:
    decks = []
    for d in range(max(1, cards // CARDS_PER_DECK)):
        deck_id = f"deck-{d:03d}"
        deck_cards = tuple(Card(CardKey(deck_id, f"card-{i:04d}"), "basic", f"Question {i}?", f"Answer {i}",
                                tags=("bench",)) for i in range(min(CARDS_PER_DECK, cards)))
        # The fingerprint is computed once, as the loader does when it parses a deck file (and
        # keeps in the deck cache), not at every session start.
        decks.append(Deck(deck_id, f"Deck {d}", "en", f"{deck_id}.yaml", cards=deck_cards,
                          fingerprint=deck_fingerprint([card.key for card in deck_cards])))
    return decks


def _history(key: CardKey, rng: random.Random, count: int) -> tuple[list[Review], CardState]:
    """`count` plausible reviews ending in a review-state card due between 30 days ago and 180 days on."""
    last = NOW - timedelta(days=rng.uniform(1, 60))
    at = last - timedelta(days=200)
    before = CardState()
    reviews = []
    stability = 1.0
    for n in range(count):
        at = at + (last - at) / (count - n) if n < count - 1 else last
        rating = Rating.AGAIN if rng.random() < 0.1 else Rating.GOOD
        stability = max(0.5, stability * (0.5 if rating == Rating.AGAIN else 2.0))
        after = CardState("review", None, stability, rng.uniform(2, 8), at + timedelta(days=stability), at,
                          n + 1, before.lapses + (rating == Rating.AGAIN and n > 0))
        reviews.append(Review(key, at, rating, rng.randint(2000, 15000), before, after, "import"))
        before = after
    due = NOW + timedelta(days=rng.uniform(-30, 180))
    final = CardState("review", None, stability, before.difficulty, due, last, before.reps, before.lapses)
    return reviews, final


def build(quick: bool) -> tuple[Path, list[Deck]]:
    """A store with the benchmark's cards and history (built once per size per process)."""
    if quick in _BUILT:
        return _BUILT[quick]
    cards, reviews = sizes(quick)
    decks = make_decks(cards)
    keep = os.environ.get("CJSTUDY_BENCH_KEEP")  # a folder to keep the built store in between runs
    if keep:
        path = Path(keep) / f"bench-{cards}.sqlite3"
        if path.exists():
            _BUILT[quick] = (path, decks)
            return _BUILT[quick]
        path.parent.mkdir(parents=True, exist_ok=True)
    else:
        folder = Path(tempfile.mkdtemp(prefix="cjstudy-bench-"))
        atexit.register(shutil.rmtree, folder, True)
        path = folder / "progress.sqlite3"
    rng = random.Random(4)
    keys = [card.key for deck in decks for card in deck.cards]
    started = keys[: int(len(keys) * STARTED_SHARE)]
    with Store.open(path, now=NOW) as store:
        each, extra = divmod(reviews, len(started))
        store.import_histories((key, *_history(key, rng, each + (i < extra))) for i, key in enumerate(started))
    _BUILT[quick] = (path, decks)
    return path, decks


def _start(store: Store, decks: list[Deck], rng: random.Random) -> StudySession:
    scheduler = Scheduler(SchedulerConfig(), rng=rng)
    return StudySession.start(store, decks, scheduler, NOW, study_day(NOW, timezone.utc), rng,
                              SessionOptions(new_per_day=20))


def bench_due_queue(quick: bool) -> dict:
    """Time to set up a study session's queue (deck fingerprints, due count, first page of reviews
    ranked by retrievability, learning cards, new cards), best of 5 fresh connections.

    The first session after a deck changes also writes the deck's card list; that one-off
    cost is reported separately as `first_ms`.
    """
    path, decks = build(quick)
    cards, reviews = sizes(quick)
    timings, query_timings = [], []
    with Store.open(path) as store:
        started = time.perf_counter()
        session = _start(store, decks, random.Random(1))
        first = time.perf_counter() - started
    for _ in range(5):  # a fresh connection each time, as each `cjstudy study` has
        with Store.open(path) as store:
            started = time.perf_counter()
            session = _start(store, decks, random.Random(1))
            timings.append(time.perf_counter() - started)
        with Store.open(path) as store:
            started = time.perf_counter()
            store.count_due_reviews(NOW, session.day.end)
            store.due_reviews(NOW, session.day.end, limit=200)
            query_timings.append(time.perf_counter() - started)
    progress = session.progress(NOW)
    return {"cards": cards, "reviews": reviews, "ms": min(timings) * 1000,
            "median_ms": statistics.median(timings) * 1000, "due_query_ms": min(query_timings) * 1000,
            "first_ms": first * 1000, "due": progress.review, "new": progress.new, "learning": progress.learning}


def bench_answer_latency(quick: bool, answers: int = 500) -> dict:
    """answer() → committed, per answer: FSRS step, one read-modify-write transaction, commit."""
    path, decks = build(quick)
    rng = random.Random(2)
    latencies = []
    with Store.open(path) as store:
        session = _start(store, decks, rng)
        now = NOW
        for _ in range(answers):
            card = session.next_card(now)
            if card is None:
                break
            session.preview(card, now)
            rating = Rating.AGAIN if rng.random() < 0.1 else Rating.GOOD
            started = time.perf_counter()
            session.answer(card, rating, now, 4000)
            latencies.append(time.perf_counter() - started)
            now += timedelta(seconds=5)
    latencies.sort()
    p99_index = min(len(latencies) - 1, int(round(0.99 * (len(latencies) - 1))))
    return {"answers": len(latencies), "p50_ms": statistics.median(latencies) * 1000,
            "p99_ms": latencies[p99_index] * 1000, "max_ms": latencies[-1] * 1000}


def main(argv: list[str]) -> None:
    quick = "--quick" in argv
    started = time.perf_counter()
    build(quick)
    print(f"built store in {time.perf_counter() - started:.1f} s")
    queue = bench_due_queue(quick)
    print(f"due queue: {queue['cards']:,} cards, {queue['reviews']:,} reviews: {queue['ms']:.1f} ms "
          f"(median {queue['median_ms']:.1f} ms; due count + first page {queue['due_query_ms']:.1f} ms; "
          f"{queue['due']:,} due, {queue['new']} new)  goal < 100 ms")
    print(f"first session after the decks changed (writes card lists): {queue['first_ms']:.0f} ms")
    latency = bench_answer_latency(quick)
    print(f"answer→commit over {latency['answers']} answers: p50 {latency['p50_ms']:.2f} ms, "
          f"p99 {latency['p99_ms']:.2f} ms, max {latency['max_ms']:.2f} ms  goal p99 < 10 ms")


if __name__ == "__main__":
    main(sys.argv[1:])
