"""Regressions found by hands-on QA of the installed command (one test per problem)."""

from __future__ import annotations

import io
import pytest

from rich.console import Console

from cjstudy.cli import app
from cjstudy.ui.study_screen import help_panel

DECK_HEAD = "deck: qa\ntitle: QA\nlanguage: en\ncards:\n"


@pytest.mark.parametrize("width", [60, 80])
def test_study_help_fits_80_columns_without_wrapping(width):
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(help_panel())
    lines = console.file.getvalue().splitlines()
    body = lines[1:-1]
    # Every help line starts at the left edge of the panel or with its usual indent: no
    # continuation lines made by wrapping a too-long line.
    assert [line[2:4] for line in body] == ["Ke", "  ", "  ", "  ", "  ", "  ", "  ", "  ", "Ty", "  ", "  "]


def test_validate_reports_a_gap_left_open_inside_another(runner, write_deck):
    path = write_deck(DECK_HEAD + '  - id: c\n    type: cloze\n    text: "A {{c1::gap left open {{c2::b}}"\n')
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert f"{path}:7:11: error: malformed cloze gap" in result.output


def test_waiting_for_a_learning_card_swallows_keys_and_q_stops_it():
    """Keys pressed during the wait must not echo nor stay buffered to rate the next card unseen."""
    import os
    import pty
    import select
    import termios
    import threading
    import time

    from cjstudy.ui.keys import TerminalKeys

    master, slave = pty.openpty()
    try:
        keys = TerminalKeys(slave)
        # Typed while the wait is on: echo is decided when a key arrives, not when it is read.
        threading.Timer(0.15, os.write, (master, b"3 4")).start()
        started = time.monotonic()
        assert keys.wait(0.6) is None
        assert time.monotonic() - started >= 0.55
        assert not select.select([slave], [], [], 0)[0], "keys typed during the wait are still buffered"
        assert not select.select([master], [], [], 0.05)[0], "keys typed during the wait were echoed"
        assert termios.tcgetattr(slave)[3] & termios.ECHO
        threading.Timer(0.15, os.write, (master, b"xq")).start()
        started = time.monotonic()
        assert keys.wait(30) == "q"
        assert time.monotonic() - started < 5
    finally:
        os.close(master)
        os.close(slave)


def test_q_during_the_wait_ends_the_session_with_a_summary():
    import random
    from datetime import datetime, timedelta, timezone

    from cjstudy.model import Card, CardKey, Rating
    from cjstudy.ui.keys import ScriptedKeys
    from cjstudy.ui.study_loop import StudyIO, run_study
    from cjstudy.ui.study_screen import Progress, SummaryView

    moment = [datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)]
    card = Card(CardKey("d", "a"), "basic", "Q?", "A", expected=("A",))

    class Backend:
        answers: list = []

        def next_card(self, now):
            return None if self.answers else card

        def next_due(self):
            return moment[0] + timedelta(minutes=10)

        def progress(self, now):
            return Progress(len(self.answers), 0, len(self.answers), 0)

        def preview(self, card, now):
            return {r: timedelta(minutes=1) for r in Rating}

        def answer(self, card, rating, now, duration_ms):
            self.answers.append(rating)

        def summary(self, now):
            return SummaryView(cards=len(self.answers), again=1, seconds=0, next_due=self.next_due())

        def deck_title(self, card):
            return "D"

        def siblings(self, card):
            return ()

    waits: list[float] = []

    def wait(seconds: float) -> str:
        waits.append(seconds)
        return "q"

    out = io.StringIO()
    backend = Backend()
    summary = run_study(backend, StudyIO(Console(file=out, width=80, color_system=None),
                                         ScriptedKeys(["space", "1", "w"]), lambda: moment[0], wait,
                                         random.Random(1)))
    assert waits and summary.cards == 1
    assert "(q stops)" in out.getvalue() and "session summary" in out.getvalue()


def test_decks_table_keeps_the_counts_visible_with_long_imported_ids(runner, tmp_path):
    folder = tmp_path / "imported"
    folder.mkdir()
    for n in range(2):
        deck_id = f"cjstudy-learning-relationships-and-customer-retention-{n}"
        (folder / f"{deck_id}.yaml").write_text(
            f"deck: {deck_id}\ntitle: cjstudy / Learning relationships {n}\nlanguage: en\ncards:\n"
            + "".join(f"  - id: c{i}\n    front: Q{i}\n    back: A{i}\n" for i in range(17)),
            encoding="utf-8")
    result = runner.invoke(app, ["--decks", str(folder), "decks"])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if line.startswith("cjstudy-learning")]
    assert len(rows) == 2
    assert all(row.split()[-3:] == ["en", "17", "0"] for row in rows), result.output  # language, cards, due
    assert max(len(line) for line in result.output.splitlines()) <= 80


def test_validate_summary_counts_one_file_in_the_singular(runner, write_deck):
    path = write_deck(DECK_HEAD + "  - id: a\n    front: Q\n    back: A\n")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 file, 1 deck, 1 card: 0 errors, 0 warnings" in result.output


def test_grade_feedback_shows_answers_without_grading_notation(runner, write_deck):
    """A glued optional part reads as the full word in the feedback, as on the card."""
    path = write_deck(DECK_HEAD + "  - id: s\n    type: sequence\n    prompt: Order?\n"
                      "    items: [bewustzijn(sfase), aankoop(fase), loyaliteit(sfase)]\n")
    result = runner.invoke(app, ["--decks", str(path.parent), "grade", "qa/s", "bewustzijn, aankoop", "--json"])
    assert result.exit_code == 0, result.output
    import json

    graded = json.loads(result.output)
    assert graded["expected"] == "bewustzijnsfase → aankoopfase → loyaliteitsfase"
    assert graded["feedback"] == "missing: loyaliteitsfase"


def test_writing_to_a_folder_names_the_folder_and_leaves_no_temp_file(runner, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    for args in (["export", "reviews", "-o", str(folder)], ["export", "apkg", "-o", str(folder)],
                 ["schema", "-o", str(folder)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1, result.output
        assert result.output.strip() == f"error: {folder}: is a folder; give a file name"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cjstudy-home", "out"] or \
        sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert list(folder.iterdir()) == []


def test_decks_option_given_a_file_points_at_its_folder(runner, write_deck):
    path = write_deck(DECK_HEAD + "  - id: a\n    front: Q\n    back: A\n")
    result = runner.invoke(app, ["--decks", str(path), "decks"])
    assert result.exit_code == 2
    assert result.output.strip() == (f"error: {path}: is a file; --decks takes the folder that holds "
                                     f"deck files (--decks {path.parent})")
