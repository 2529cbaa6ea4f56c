"""`simulate` reports progress; screens keep to the reading width."""

from __future__ import annotations

import io

from rich.console import Console

from cjstudy.cli import app
from cjstudy.memory.simulation import SimulationConfig, simulate


def test_simulate_reports_progress_day_by_day_over_every_strategy():
    seen: list[tuple[int, int]] = []
    simulate(SimulationConfig(cards=30, new_per_day=5, exam_in=7, seed=1), progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (1, 21) and seen[-1] == (21, 21)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_simulate_keeps_stdout_clean_and_draws_no_bar_without_a_terminal(runner):
    result = runner.invoke(app, ["simulate", "--cards", "30", "--exam-in", "5", "--json"])
    assert result.exit_code == 0
    assert result.stdout.lstrip().startswith("{") and result.stderr == ""


def test_the_console_caps_reading_width_at_100(monkeypatch):
    from cjstudy.ui.console import make_console

    monkeypatch.setenv("COLUMNS", "160")
    assert make_console().width == 100
    monkeypatch.setenv("COLUMNS", "60")
    assert make_console().width == 60


def test_wrapped_choice_options_hang_under_their_text():
    from cjstudy.model import Card, CardKey
    from cjstudy.ui.card_view import question_body

    long = "an option long enough that it has to wrap onto a second line at forty columns"
    card = Card(CardKey("d", "c"), "choice", "Which?", long, expected=(long,), options=(long, "short"),
                correct_options=(long,))
    console = Console(file=io.StringIO(), width=40, color_system=None)
    console.print(question_body(card, card.options))
    lines = console.file.getvalue().splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("  a) "))
    assert lines[first + 1].startswith("     ") and lines[first + 1].strip()
