"""Regressions found by hands-on QA of the installed command (one test per problem)."""

from __future__ import annotations

import io

from rich.console import Console

from cjstudy.cli import app
from cjstudy.ui.study_screen import help_panel

DECK_HEAD = "deck: qa\ntitle: QA\nlanguage: en\ncards:\n"


def test_study_help_fits_80_columns_without_wrapping():
    console = Console(file=io.StringIO(), width=80, color_system=None)
    console.print(help_panel())
    lines = console.file.getvalue().splitlines()
    body = lines[1:-1]
    # Every help line starts at the left edge of the panel or with its usual indent: no
    # continuation lines made by wrapping a too-long line.
    assert [line[2:4] for line in body] == ["Ke", "  ", "  ", "  ", "  ", "  ", "  ", "Ty", "  ", "  "]


def test_validate_reports_a_gap_left_open_inside_another(runner, write_deck):
    path = write_deck(DECK_HEAD + '  - id: c\n    type: cloze\n    text: "A {{c1::gap left open {{c2::b}}"\n')
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert f"{path}:7:11: error: malformed cloze gap" in result.output
