"""`stats` on a new store, a saved exam in `stats`, and the summary's breakdown."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta, timezone

from rich.console import Console

from cjstudy.cli import app
from cjstudy.ui.study_screen import SummaryView, summary_panel


def test_stats_on_a_new_store_says_how_to_start_instead_of_empty_charts(runner):
    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 0
    assert "No reviews yet" in result.output and "cjstudy study" in result.output
    assert "Reviews per day" not in result.output and "│" in result.output  # the table, no charts


def test_a_saved_exam_shows_in_stats(runner):
    day = (date.today() + timedelta(days=30)).isoformat()
    assert runner.invoke(app, ["plan", "--exam", day, "--save"]).exit_code == 0
    data = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    assert data["exam"]["date"] == day and 29 <= data["exam"]["days"] <= 31
    text = runner.invoke(app, ["stats"]).output
    assert f"({day})" in text and "exam in " in text


def test_stats_table_drops_columns_rather_than_stacking_letters_at_60(runner, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    lines = runner.invoke(app, ["stats"]).output.splitlines()
    assert all(len(line) <= 60 for line in lines)
    header = next(line for line in lines if "deck" in line and "cards" in line)
    assert "due now" in header
    assert any("service-dominant-logic" in line for line in lines)  # ids whole, not folded


def test_summary_shows_every_rating_buried_and_related_cards():
    now = datetime(2026, 11, 20, 9, tzinfo=timezone.utc)
    view = SummaryView(cards=7, again=1, seconds=300, next_due=None, hard=2, good=3, easy=1, buried=2,
                       siblings_buried=3, exam_in_days=21)
    console = Console(file=io.StringIO(), width=80, color_system=None)
    console.print(summary_panel(view, now))
    text = console.file.getvalue()
    assert "again 1 · hard 2 · good 3 · easy 1" in text
    assert "buried    2 (back tomorrow)" in text
    assert "3 related cards (reverse, other gaps) wait for tomorrow" in text
    assert "in 21 days" in text
