"""`cjstudy export reviews`: the history in the column format of the py-fsrs sample logs."""

from __future__ import annotations

import csv
import io
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cjstudy.cli import app
from cjstudy.model import CardKey, CardState, Rating, Review
from cjstudy.paths import store_path
from cjstudy.memory.scheduler import Scheduler, SchedulerConfig
from cjstudy.store import open_store
from cjstudy.transfer.history import replay
from cjstudy.transfer.reviews_csv import HEADER, csv_card_id, format_time, reviews_to_csv

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "review_logs_josh.csv"
T0 = datetime(2024, 3, 29, 20, 32, 32, 250000, tzinfo=timezone.utc)


def _record(keys_and_ratings) -> None:
    scheduler = Scheduler(SchedulerConfig(fuzz=False))
    with open_store(store_path(os.environ)) as store:
        for i, (key, rating, duration) in enumerate(keys_and_ratings):
            before = store.state(key) or CardState()
            at = T0 + timedelta(minutes=i)
            after = scheduler.review(before, rating, at)
            store.record_review(Review(key, at, rating, duration, before, after, "study"))


def test_header_matches_the_sample_log() -> None:
    if SAMPLE.exists():
        assert SAMPLE.read_text(encoding="utf-8").splitlines()[0] == ",".join(HEADER)
    assert HEADER == ("card_id", "review_rating", "review_time", "review_duration")


def test_time_format_matches_the_sample() -> None:
    assert format_time(T0) == "2024-03-29T20:32:32.250000+00:00"
    assert datetime.fromisoformat(format_time(T0)) == T0


def test_card_ids_are_stable_and_distinct() -> None:
    a, b = CardKey("d", "c"), CardKey("d", "c", "reverse")
    assert csv_card_id(a) == csv_card_id(CardKey("d", "c")) != csv_card_id(b)
    text = reviews_to_csv([(a, T0, Rating.GOOD, 1200), (b, T0, Rating.AGAIN, None)])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == [str(csv_card_id(a)), "3", "2024-03-29T20:32:32.250000+00:00", "1200"]
    assert rows[2][1:] == ["1", "2024-03-29T20:32:32.250000+00:00", ""]


def test_cli_exports_the_store_history(runner, tmp_path: Path) -> None:
    one, two = CardKey("touch-points", "tp-categories"), CardKey("service-blueprint", "blueprint-components", "c2")
    _record([(one, Rating.GOOD, 4000), (two, Rating.AGAIN, 9000), (one, Rating.EASY, None)])
    out = tmp_path / "reviews.csv"
    result = runner.invoke(app, ["export", "reviews", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 reviews" in result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["review_rating"] for r in rows] == ["3", "1", "4"]
    assert [r["review_duration"] for r in rows] == ["4000", "9000", ""]
    assert rows[0]["card_id"] == rows[2]["card_id"] == str(csv_card_id(one))
    times = [datetime.fromisoformat(r["review_time"]) for r in rows]
    assert times == sorted(times) and times[0] == T0

    only = runner.invoke(app, ["export", "reviews", "-o", "-", "--deck", "service-blueprint"])
    assert only.exit_code == 0
    assert only.output.splitlines()[1].split(",")[:2] == [str(csv_card_id(two)), "1"]
    assert len(only.output.splitlines()) == 2


def test_replay_rebuilds_state_in_time_order() -> None:
    from cjstudy.transfer.apkg_import import ImportedReview

    key = CardKey("d", "c")
    late, early = ImportedReview(key, T0 + timedelta(days=3), Rating.GOOD, None), \
        ImportedReview(key, T0, Rating.GOOD, 5000)
    scheduler = Scheduler(SchedulerConfig(fuzz=False))
    [(got_key, reviews, final)] = replay([late, early], scheduler)
    assert got_key == key and [r.reviewed_at for r in reviews] == [T0, T0 + timedelta(days=3)]
    assert reviews[0].before.is_new and reviews[1].before == reviews[0].after
    assert final == reviews[1].after and final.reps == 2
    direct = scheduler.review(scheduler.review(CardState(), Rating.GOOD, T0), Rating.GOOD, T0 + timedelta(days=3))
    assert final.stability == direct.stability and final.due == direct.due
    assert all(r.source == "import" for r in reviews)
