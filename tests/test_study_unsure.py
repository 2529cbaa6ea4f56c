"""`study --type` with an `unsure` verdict: the marked model answer is shown and the student rates."""

from __future__ import annotations

import io
import random

from rich.console import Console
from test_study_loop import FakeBackend, FakeClock, basic, run

from cjstudy.grading.result import GradeResult
from cjstudy.model import Rating
from cjstudy.ui.keys import ScriptedKeys
from cjstudy.ui.study_loop import StudyIO, run_study


def unsure_grader(card, given, siblings=()):
    return GradeResult(False, 0.6, card.shown_answer, "3 of 5 key words; missing: control",
                       matched=("designed", "firm"), missing=("control",), verdict="unsure")


def test_unsure_answer_shows_the_answer_and_leaves_the_rating_to_the_student() -> None:
    backend = FakeBackend([basic("a", "What is a brand-owned touch point?",
                                 "An interaction designed and managed by the firm, under its control")])
    backend._seen = list(backend.queue)
    clock = FakeClock()
    out = io.StringIO()
    console = Console(file=out, width=100, color_system=None, highlight=False)
    run_study(backend, StudyIO(console, ScriptedKeys(["the firm designs it", "2"]), clock, clock.sleep,
                               random.Random(7)), typed=True, grader=unsure_grader)
    text = out.getvalue()
    assert "your call" in text and "missing: control" in text
    assert "designed and managed by the firm" in text
    assert "▸" not in text  # no suggested rating: the student decides
    assert backend.answers == [("d/a", Rating.HARD)]


def test_real_grader_defers_a_borderline_answer() -> None:
    backend = FakeBackend([basic("a", "What is a brand-owned touch point?",
                                 "designed and managed by the firm and under the firm's control")])
    _, text, _ = run(backend, ["the firm designs it", "3"], typed=True)
    assert "your call" in text, text
    assert backend.answers == [("d/a", Rating.GOOD)]
