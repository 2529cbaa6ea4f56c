"""The stats figures (retention, per-day series, forecast, weak cards, streak) and their charts."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from rich.console import Console

from cjstudy.study.insight import collect, due_forecast, reviews_per_day, streak, true_retention, weakest_cards
from cjstudy.model import CardKey, CardState
from cjstudy.ui.charts import EIGHTHS, ColumnChart, sparkline
from cjstudy.ui.insight_view import insight_group

NOON = datetime(2025, 5, 20, 12, 0, tzinfo=timezone.utc)
TODAY = NOON.date().toordinal()


def day_of(moment: datetime) -> int:
    return moment.astimezone(timezone.utc).date().toordinal()


@dataclass(frozen=True)
class Row:
    key: CardKey
    reviewed_at: datetime
    rating: int
    state_before: str


def row(days_ago: float, rating: int = 3, state: str = "review", card: str = "a") -> Row:
    return Row(CardKey("d", card), NOON - timedelta(days=days_ago), rating, state)


def state(due_in_days: float | None, *, kind: str = "review", stability: float = 5.0, lapses: int = 0,
          reps: int = 3) -> CardState:
    due = None if due_in_days is None else NOON + timedelta(days=due_in_days)
    return CardState(kind, None, stability, 5.0, due, NOON - timedelta(days=1), reps, lapses)


def render(renderable, width: int = 80) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(renderable)
    return console.file.getvalue()


# --- figures ----------------------------------------------------------------------------


def test_true_retention_counts_review_state_answers_in_the_window():
    rows = [
        row(0, 3), row(2, 1), row(6, 4), row(6.4, 2),  # inside 7 days: 3 passed of 4
        row(1, 1, "learning"), row(1, 3, "new"), row(2, 1, "relearning"),  # learning steps do not count
        row(7, 1), row(20, 3),  # outside 7 days, inside 30
        row(31, 1),  # outside both
    ]
    week = true_retention(rows, TODAY, 7, day_of)
    month = true_retention(rows, TODAY, 30, day_of)
    assert (week.passed, week.total) == (3, 4) and week.rate == 0.75
    assert (month.passed, month.total) == (4, 6)
    assert true_retention([], TODAY, 7, day_of).rate is None


def test_reviews_per_day_is_oldest_first_and_ends_today():
    rows = [row(0), row(0), row(1), row(29), row(30)]
    series = reviews_per_day(rows, TODAY, 30, day_of)
    assert len(series) == 30
    assert series[-1] == 2 and series[-2] == 1 and series[0] == 1
    assert sum(series) == 4  # 30 days ago is outside the window


def test_due_forecast_counts_overdue_today_and_ignores_new_cards():
    states = [state(-3), state(0.1), state(1), state(1.2), state(29), state(30), state(None),
              CardState()]  # new
    assert due_forecast(states, TODAY, 30, day_of)[:3] == [2, 2, 0]
    assert sum(due_forecast(states, TODAY, 30, day_of)) == 5  # +30 days is beyond the window
    assert due_forecast(states, TODAY, 30, day_of)[29] == 1


def test_weakest_cards_most_lapses_then_lowest_stability():
    states = {
        CardKey("d", "steady"): state(3, stability=40.0),
        CardKey("d", "shaky"): state(3, stability=2.0, lapses=1),
        CardKey("d", "lapser"): state(3, stability=9.0, lapses=4),
        CardKey("d", "fragile"): state(3, stability=0.5, lapses=1),
        CardKey("d", "new"): CardState(),
    }
    weak = weakest_cards(states, 3)
    assert [w.key.card for w in weak] == ["lapser", "fragile", "shaky"]
    assert weak[0].to_dict() == {"card": "d/lapser", "lapses": 4, "stability_days": 9.0, "reps": 3}


def test_streak_survives_until_today_is_over():
    s = streak([TODAY, TODAY - 1, TODAY - 2, TODAY - 5], TODAY)
    assert (s.current, s.longest, s.studied_today) == (3, 3, True)
    s = streak([TODAY - 1, TODAY - 2], TODAY)  # not yet today: the streak still stands
    assert (s.current, s.studied_today) == (2, False)
    s = streak([TODAY - 2, TODAY - 3, TODAY - 4, TODAY - 5], TODAY)  # yesterday missed: broken
    assert (s.current, s.longest) == (0, 4)
    assert streak([], TODAY).current == 0


def test_collect_json_has_every_figure():
    rows = [row(0), row(1, 1), row(3)]
    states = {CardKey("d", "a"): state(2, lapses=1)}
    data = collect(iter(rows), states, TODAY, day_of).to_dict()
    assert set(data) == {"true_retention", "reviews_per_day", "due_forecast", "weakest_cards", "streak"}
    assert data["true_retention"]["last_7_days"] == {"rate": 0.6667, "passed": 2, "reviews": 3}
    assert len(data["reviews_per_day"]) == 30 and len(data["due_forecast"]) == 30
    assert data["streak"] == {"current": 2, "longest": 2, "studied_today": True}


# --- charts -----------------------------------------------------------------------------


def test_column_chart_scales_to_the_maximum():
    chart = ColumnChart([0, 2, 4], height=2)
    lines = [line.plain for line in chart.lines(80)]
    # height 2 rows = 16 eighths: 4 -> full in both rows, 2 -> full bottom row only, 0 -> blank
    assert lines[0] == "4 │    █"
    assert lines[1] == "0 │  █ █"


def test_small_values_stay_visible():
    lines = [line.plain for line in ColumnChart([1, 1000], height=3).lines(80)]
    assert lines[-2].split("│")[1].startswith(EIGHTHS[1])


def test_charts_fit_80_columns_without_colour():
    values = [i * 37 % 101 for i in range(30)]
    text = render(ColumnChart(values, "Reviews per day, last 30 days", "29 days ago", "today"))
    assert "\x1b[" not in text  # NO_COLOR / no colour system: plain characters only
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "29 days ago" in text and text.rstrip().endswith("today")


def test_narrow_terminal_keeps_the_newest_days():
    values = list(range(1, 31))
    lines = [line.plain for line in ColumnChart(values, height=1).lines(20)]
    assert all(len(line) <= 20 for line in lines)
    assert lines[0].rstrip().endswith("█")  # today's (largest) bar is still there


def test_all_zero_chart_draws_an_empty_frame():
    lines = [line.plain for line in ColumnChart([0] * 30, height=3).lines(80)]
    assert lines[-2].startswith("0 │") and set(lines[-2][3:]) <= {" "}


def test_sparkline():
    assert sparkline([0, 4, 8]) == " " + EIGHTHS[4] + EIGHTHS[8]
    assert sparkline([]) == ""


def test_insight_group_renders_at_80_columns():
    rows = [row(d, 1 if d % 5 == 0 else 3, card=f"c{d % 7}") for d in range(40)]
    states = {CardKey("some-long-deck-name", f"card-{i}"): state(i, lapses=i % 3) for i in range(10)}
    text = render(insight_group(collect(rows, states, TODAY, day_of)))
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "True retention, 7 days" in text and "Weakest cards" in text and "Streak" in text
    assert "some-long-deck-name/card-" in text


# --- CLI --------------------------------------------------------------------------------

STATS_DECK = """\
deck: insight-deck
title: Insight
language: en
cards:
  - {id: one, front: Front one, back: Back one}
  - {id: two, front: Front two, back: Back two}
"""


def record_history() -> None:
    """Three review-state answers (one Again) over the last days, then card two due tomorrow."""
    import os

    from cjstudy.model import Rating, Review
    from cjstudy.paths import store_path
    from cjstudy.store import open_store

    now = datetime.now(timezone.utc)
    seen = CardState("review", None, 4.0, 5.0, now, now - timedelta(days=4), 2, 0)
    with open_store(store_path(os.environ)) as store:
        for key, ago, rating in ((CardKey("insight-deck", "one"), 3, Rating.GOOD),
                                 (CardKey("insight-deck", "one"), 2, Rating.AGAIN),
                                 (CardKey("insight-deck", "two"), 0.001, Rating.GOOD)):
            at = now - timedelta(days=ago)
            after = CardState("review", None, 6.0 if rating > 1 else 1.5, 5.0, at + timedelta(days=1.5), at, 3,
                              1 if rating == Rating.AGAIN else 0)
            store.record_review(Review(key, at, rating, 5000, seen, after))


def test_stats_json_and_table_carry_the_insight(runner, write_deck):
    import json

    from cjstudy.cli import app

    folder = str(write_deck(STATS_DECK).parent)
    record_history()
    result = runner.invoke(app, ["--decks", folder, "stats", "--json", "--deck", "insight-deck"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["decks"][0]["id"] == "insight-deck"  # the study table's numbers are still there
    assert data["true_retention"]["last_30_days"] == {"rate": 0.6667, "passed": 2, "reviews": 3}
    assert sum(data["reviews_per_day"]) == 3 and len(data["reviews_per_day"]) == 30
    assert sum(data["due_forecast"]) == 2
    assert data["weakest_cards"][0]["card"] == "insight-deck/one"
    assert data["streak"]["current"] >= 1
    table = runner.invoke(app, ["--decks", folder, "stats", "--deck", "insight-deck"])
    assert table.exit_code == 0, table.output
    assert "True retention, 30 days" in table.output and "Reviews per day" in table.output
    assert all(len(line) <= 80 for line in table.output.splitlines())


def test_stats_without_a_store_shows_empty_figures(runner, write_deck):
    import json

    from cjstudy.cli import app

    folder = str(write_deck(STATS_DECK).parent)
    data = json.loads(runner.invoke(app, ["--decks", folder, "stats", "--json"]).stdout)
    assert data["true_retention"]["last_7_days"]["rate"] is None
    assert sum(data["reviews_per_day"]) == 0 and data["streak"]["current"] == 0
