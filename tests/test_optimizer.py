"""Fitting FSRS weights: items, the time-series split, the metrics, the CSV reader, the CLI."""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from cjstudy.errors import TransferError
from cjstudy.memory.evaluation import Prediction, bin_key, evaluate, log_loss, rmse_bins
from cjstudy.memory.optimizer import (
    LoggedReview, NotEnoughHistory, build_items, local_day_function, optimize, parse_reviews_csv,
    read_reviews_csv, time_series_folds,
)

FIXTURE = Path(__file__).parent / "data" / "reviews_synthetic.csv"
T0 = datetime(2024, 3, 1, 20, 0, tzinfo=timezone.utc)


def review(card: str, days: float, rating: int, state_before: str | None = None) -> LoggedReview:
    return LoggedReview(card, T0 + timedelta(days=days), rating, 1000, state_before)


# --- evaluation -------------------------------------------------------------------------


def test_log_loss_matches_hand_computation():
    preds = [Prediction(0.9, True, 1, 2, 0), Prediction(0.8, False, 3, 2, 0)]
    expected = -(math.log(0.9) + math.log(0.2)) / 2
    assert log_loss(preds) == pytest.approx(expected)


def test_log_loss_clips_certain_mistakes():
    assert math.isfinite(log_loss([Prediction(1.0, False, 1, 2, 0)]))


def test_bin_grid_follows_the_benchmark():
    # bins are labelled scale * base ** floor(log_base(x)): interval 1-3 -> 2.48, 4-13 -> 8.98;
    # review number 1 -> 1.99 -> 2, 2-3 -> 3.76 -> 4, 4-6 -> 7.1 -> 7
    assert bin_key(1, 2, 0) == (2.48, 4.0, 0.0)
    assert bin_key(3, 3, 0) == (2.48, 4.0, 0.0)
    assert bin_key(4, 1, 0)[:2] == (8.98, 2.0)
    assert bin_key(13, 6, 0)[:2] == (8.98, 7.0)
    assert bin_key(1, 2, 1)[2] == 2.0  # round(1.65)
    assert bin_key(1, 2, 2)[2] == 3.0  # round(1.65 * 1.73)


def test_rmse_bins_compares_means_within_bins():
    # one bin: mean prediction 0.8, pass rate 0.5 -> error 0.3 whatever the individual values
    same_bin = [Prediction(0.7, True, 1, 2, 0), Prediction(0.9, False, 1, 2, 0)]
    assert rmse_bins(same_bin) == pytest.approx(0.3)
    # two bins, weighted by count: 2 reviews off by 0.3, 1 review off by 0 -> sqrt(2*0.09/3)
    other = [Prediction(1.0, True, 30, 2, 0)]
    assert rmse_bins(same_bin + other) == pytest.approx(math.sqrt(2 * 0.09 / 3))


def test_evaluate_refuses_nothing():
    with pytest.raises(ValueError):
        evaluate([])


# --- items ------------------------------------------------------------------------------


def test_items_predict_only_reviews_on_a_later_day():
    reviews = [review("a", 0, 1), review("a", 0.01, 3), review("a", 2, 3), review("a", 2.01, 3), review("a", 7, 1)]
    items = build_items(reviews)
    assert [item.reviews for item in items] == [
        ((1, 0), (3, 0), (3, 2)),
        ((1, 0), (3, 0), (3, 2), (3, 0), (1, 5)),
    ]


def test_items_are_sorted_by_time_across_cards():
    reviews = [review("b", 3, 3), review("a", 0.01, 3), review("b", 0, 3), review("a", 2, 3), review("b", 1, 3)]
    items = build_items(reviews)
    times = [item.at for item in items]
    assert times == sorted(times)
    assert [item.card for item in items] == ["b", "a", "b"]


def test_cards_whose_log_starts_mid_life_are_left_out():
    reviews = [review("a", 0, 3, "review"), review("a", 3, 3, "review"),
               review("b", 0, 3, "new"), review("b", 3, 3, "learning")]
    assert {item.card for item in build_items(reviews)} == {"b"}


def test_local_days_roll_over_at_four_in_the_morning():
    day_of = local_day_function(timezone(timedelta(hours=2)), rollover_hours=4)
    evening = datetime(2024, 3, 1, 21, 0, tzinfo=timezone.utc)  # 23:00 local
    small_hours = datetime(2024, 3, 2, 0, 30, tzinfo=timezone.utc)  # 02:30 local, still "1 March"
    morning = datetime(2024, 3, 2, 3, 0, tzinfo=timezone.utc)  # 05:00 local
    assert day_of(evening) == day_of(small_hours) == day_of(morning) - 1


def test_time_series_folds_train_only_on_the_past():
    folds = time_series_folds(12, 5)
    assert folds == [(2, 2, 4), (4, 4, 6), (6, 6, 8), (8, 8, 10), (10, 10, 12)]
    for train_end, test_start, _ in folds:
        assert train_end <= test_start
    assert time_series_folds(3, 5) == []


# --- fitting ----------------------------------------------------------------------------


def test_optimize_on_the_fixture_beats_defaults_on_held_out_reviews():
    reviews = read_reviews_csv(FIXTURE)
    steps = []
    result = optimize(reviews, progress=lambda done, total, what: steps.append((done, total)))
    assert result.cards == 200 and result.reviews == len(reviews)
    assert len(result.parameters) == 21 and all(math.isfinite(x) for x in result.parameters)
    # the fixture's student forgets with a steeper curve (decay 0.5) than FSRS's default 0.154
    assert result.parameters[20] > 0.2
    assert result.optimized.log_loss < result.default.log_loss
    assert result.optimized.rmse < result.default.rmse
    assert 0 < result.held_out < result.items
    assert steps[0] == (0, 6) and steps[-1] == (6, 6)


def test_fitted_parameters_are_accepted_by_the_scheduler():
    from cjstudy.memory.scheduler import Scheduler, SchedulerConfig

    result = optimize(read_reviews_csv(FIXTURE))
    Scheduler(SchedulerConfig(parameters=result.parameters))  # raises on out-of-range weights


def test_optimize_is_deterministic():
    reviews = read_reviews_csv(FIXTURE)
    assert optimize(reviews).to_dict() == optimize(reviews).to_dict()


def test_too_little_history_says_how_much_more_is_needed():
    reviews = [review(f"c{i}", d, 3) for i in range(10) for d in (0, 2, 6)]
    with pytest.raises(NotEnoughHistory, match=r"20 reviews .* at least 400 .*\(380 more\)"):
        optimize(reviews)


# --- CSV --------------------------------------------------------------------------------


def test_csv_reader_accepts_the_shared_log_columns():
    text = ("card_id,review_rating,review_time,review_duration\n"
            "1,3,2024-03-29T20:32:39.497000+00:00,7241\n"
            "1,1,2024-03-30T20:32:39Z,\n")
    reviews = parse_reviews_csv(text, "log.csv")
    assert [(r.card, r.rating, r.duration_ms) for r in reviews] == [("1", 3, 7241), ("1", 1, None)]
    assert reviews[1].reviewed_at.tzinfo is not None


@pytest.mark.parametrize("body, message", [
    ("card_id,review_rating\n1,3\n", r"log.csv:1: missing column\(s\) review_time"),
    ("card_id,review_rating,review_time\n1,5,2024-03-29T20:32:39+00:00\n", r"log.csv:2: review_rating must be 1-4"),
    ("card_id,review_rating,review_time\n1,3,yesterday\n", r"log.csv:2: review_time is not an ISO 8601"),
    ("card_id,review_rating,review_time\n\n1,3,2024-03-29T20:32:39\n", r"log.csv:3: review_time needs a time zone"),
    ("card_id,review_rating,review_time,review_duration\n1,3,2024-03-29T20:32:39Z,slow\n",
     r"log.csv:2: review_duration must be milliseconds"),
    ("", r"log.csv:1: empty file"),
])
def test_csv_reader_reports_the_line(body, message):
    with pytest.raises(TransferError, match=message):
        parse_reviews_csv(body, "log.csv")


# --- CLI --------------------------------------------------------------------------------


def test_optimize_cli_json_from_csv(runner):
    from cjstudy.cli import app

    result = runner.invoke(app, ["optimize", "--reviews", str(FIXTURE), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"default", "optimized", "parameters", "reviews", "cards"}
    assert set(data["default"]) == {"log_loss", "rmse"} and len(data["parameters"]) == 21
    assert data["reviews"] == 1390 and data["cards"] == 200


def test_optimize_cli_apply_stores_parameters_for_the_scheduler(runner):
    from cjstudy.cli import app
    from cjstudy.cli.insight_support import stored_parameters

    result = runner.invoke(app, ["optimize", "--reviews", str(FIXTURE), "--apply"])
    assert result.exit_code == 0, result.output
    assert "log loss" in result.output and "saved" in result.output
    stored = stored_parameters()
    assert stored is not None and len(stored) == 21


def test_optimize_cli_with_an_empty_store_says_what_is_missing(runner):
    from cjstudy.cli import app

    result = runner.invoke(app, ["optimize"])
    assert result.exit_code != 0
    assert "at least 400" in result.output and "Traceback" not in result.output


def test_optimize_cli_bad_csv_is_one_line(runner, tmp_path):
    from cjstudy.cli import app

    bad = tmp_path / "log.csv"
    bad.write_text("card_id,review_rating,review_time\nx,9,2024-01-01T00:00:00Z\n")
    result = runner.invoke(app, ["optimize", "--reviews", str(bad)])
    assert result.exit_code != 0
    assert f"{bad}:2: review_rating must be 1-4" in result.output


def test_optimize_cli_fits_the_students_own_log(runner):
    """The store's review log (state before each answer known) is fitted like a CSV."""
    import os

    from cjstudy.cli import app
    from cjstudy.model import CardKey, CardState, Rating, Review
    from cjstudy.paths import store_path
    from cjstudy.store import open_store

    reviews = read_reviews_csv(FIXTURE)
    seen: set[str] = set()
    with open_store(store_path(os.environ)) as store:
        for r in reviews:
            before = CardState("review", None, 5.0, 5.0, r.reviewed_at, r.reviewed_at, 1, 0) if r.card in seen \
                else CardState()
            seen.add(r.card)
            after = CardState("review", None, 5.0, 5.0, r.reviewed_at + timedelta(days=5), r.reviewed_at, 2, 0)
            store.record_review(Review(CardKey("fixture", r.card), r.reviewed_at, Rating(r.rating), r.duration_ms,
                                       before, after))
    result = runner.invoke(app, ["optimize", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["reviews"] == len(reviews) and data["cards"] == 200 and data["applied"] is False
    # local study days may differ from the CSV's UTC days, so only the shape of the result is pinned
    assert data["optimized"]["rmse"] < data["default"]["rmse"]


def test_progress_bar_reports_each_fit(monkeypatch):
    import io

    from rich.console import Console

    import cjstudy.ui.console as console_module
    from cjstudy.cli.insight_commands import _with_progress

    out = io.StringIO()
    monkeypatch.setattr(console_module, "make_console",
                        lambda stderr=False: Console(file=out, force_terminal=True, width=80, color_system=None))
    calls = []

    def work(progress):
        for step in range(3):
            progress(step, 3, f"fitting part {step}")
            calls.append(step)
        return "done"

    assert _with_progress(work) == "done" and calls == [0, 1, 2]
    assert "fitting part" in out.getvalue()


@pytest.mark.parametrize("row, message", [
    ("1,3,2024-03-29T20:32:32+00:00,inf", "review_duration must be milliseconds"),
    ("1,3,2024-03-29T20:32:32+00:00,1e400", "review_duration must be milliseconds"),
    ("1,3,0001-01-01T00:00:00+14:00,1000", "outside the years 1900-9000"),
    ("1,3,9999-12-31T23:59:59-14:00,1000", "outside the years 1900-9000"),
])
def test_review_rows_at_the_edges_are_one_line_with_their_place(runner, tmp_path, row, message):
    from cjstudy.cli import app

    log = tmp_path / "log.csv"
    log.write_text(f"card_id,review_rating,review_time,review_duration\n{row}\n", encoding="utf-8")
    result = runner.invoke(app, ["optimize", "--reviews", str(log)])
    assert result.exit_code == 1 and f"{log}:2: " in result.output and message in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
