"""`cjstudy stats`: the per-deck table and the JSON object, over a real store."""

from __future__ import annotations

import json
import os
import random
from datetime import datetime, timedelta, timezone

import pytest

from cjstudy.cli import app
from cjstudy.deck import parse_deck
from cjstudy.model import CardKey, CardState, Rating, Review
from cjstudy.paths import store_path
from cjstudy.memory.scheduler import Scheduler, SchedulerConfig
from cjstudy.study.session import SessionOptions, StudySession, study_day
from cjstudy.store import open_store
from cjstudy.ui.stats_view import collect_stats

DECK_A = """\
deck: stats-a
title: Stats A
language: en
cards:
  - {id: one, front: Front one, back: Back one}
  - {id: two, front: Front two, back: Back two}
  - {id: three, front: Front three, back: Back three}
"""

DECK_B = """\
deck: stats-b
title: Statistiek B — één
language: nl
cards:
  - {id: x, front: Voorkant, back: Achterkant, reverse: true}
"""


@pytest.fixture
def deck_dir(write_deck):
    write_deck(DECK_A, "a.yaml")
    return str(write_deck(DECK_B, "b.yaml").parent)


def stats_json(runner, deck_dir, *args):
    result = runner.invoke(app, ["--decks", deck_dir, "stats", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def only(report, deck_id):
    return next(d for d in report["decks"] if d["id"] == deck_id)


def test_no_store_yet_gives_zeros_and_creates_nothing(runner, deck_dir):
    report = stats_json(runner, deck_dir)
    assert report["total_reviews"] == 0 and report["cards_seen"] == 0 and report["due_now"] == 0
    assert only(report, "stats-a") == {"id": "stats-a", "title": "Stats A", "cards": 3, "seen": 0, "new": 3,
                                       "learning": 0, "review": 0, "due_now": 0, "reviews": 0}
    assert only(report, "stats-b")["cards"] == 2
    assert not store_path(os.environ).exists()


def study_some() -> None:
    """Two cards answered a day ago (one Again, due again now), one today, one undone answer."""
    deck = parse_deck(DECK_A.encode(), "a.yaml").deck
    now = datetime.now(timezone.utc)
    yesterday = now - timedelta(days=1)
    scheduler = Scheduler(SchedulerConfig(fuzz=False))
    with open_store(store_path(os.environ)) as store:
        session = StudySession.start(store, [deck], scheduler, yesterday, study_day(yesterday, timezone.utc),
                                     random.Random(1), SessionOptions())
        one, two = deck.card("one"), deck.card("two")
        session.answer(one, Rating.AGAIN, yesterday, 1000)  # learning, due a minute after: due now
        session.answer(two, Rating.EASY, yesterday, 1000)  # review, due in days
        session.answer(session.next_card(yesterday), Rating.GOOD, yesterday, 1000)  # three
        session.undo(yesterday)  # three is new again; its row stays, flagged undone
        # A review of a card whose deck is not loaded still counts in the total.
        store.record_review(Review(CardKey("gone-deck", "z"), yesterday, Rating.GOOD, 500, CardState(),
                                   scheduler.review(CardState(), Rating.GOOD, yesterday)))


def test_counts_after_studying_exclude_undone_reviews(runner, deck_dir):
    study_some()
    report = stats_json(runner, deck_dir)
    assert only(report, "stats-a") == {"id": "stats-a", "title": "Stats A", "cards": 3, "seen": 2, "new": 1,
                                       "learning": 1, "review": 1, "due_now": 1, "reviews": 2}
    assert only(report, "stats-b")["reviews"] == 0
    assert report["total_reviews"] == 3
    assert report["cards_seen"] == 2 and report["due_now"] == 1


def test_deck_option_limits_the_rows(runner, deck_dir):
    report = stats_json(runner, deck_dir, "--deck", "stats-b")
    assert [d["id"] for d in report["decks"]] == ["stats-b"]
    result = runner.invoke(app, ["--decks", deck_dir, "stats", "--deck", "nope"])
    assert result.exit_code == 2 and "no deck 'nope'" in result.output


def test_human_table_fits_80_columns(runner, deck_dir):
    study_some()
    result = runner.invoke(app, ["--decks", deck_dir, "stats", "--deck", "stats-a", "--deck", "stats-b"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert all(len(line) <= 80 for line in lines)
    header = next(line for line in lines if "deck" in line and "due now" in line)
    for column in ("cards", "new", "learning", "review", "reviews"):
        assert column in header
    row = next(line for line in lines if "stats-a" in line)
    assert row.split("│")[1:-1] and [cell.strip() for cell in row.split("│")[1:-1]] == \
        ["stats-a", "3", "1", "1", "1", "1", "2"]
    assert "2 of 5 cards seen · 1 due now · 3 reviews" in result.output


def test_buried_card_is_not_due_now():
    deck = parse_deck(DECK_A.encode(), "a.yaml").deck
    now = datetime(2026, 11, 20, 12, tzinfo=timezone.utc)
    due = CardState(state="review", stability=3.0, difficulty=5.0, due=now - timedelta(hours=1),
                    last_review=now - timedelta(days=3), reps=2)
    states = {deck.cards[0].key: due, deck.cards[1].key: due}
    report = collect_stats([deck], states, [deck.cards[1].key], {"stats-a": 4}, 4, now)
    assert report.due_now == 1 and report.decks[0].review == 2 and report.decks[0].reviews == 4
