"""The exam loop and results screen with scripted lines, a fake clock and a text console."""

from __future__ import annotations

import io
import json
import random
from datetime import datetime, timedelta, timezone

from rich.console import Console

from cjstudy.cli import app
from cjstudy.cli import exam_commands
from cjstudy.exam.questions import grade_question
from cjstudy.exam.build import build_exam
from cjstudy.exam.score import Outcome, by_deck, by_kind, by_tag, rating_for, report, total
from cjstudy.grading.grade import GradeResult
from cjstudy.model import Rating
from cjstudy.ui import exam_screen as screen
from test_exam_support import DECK_ARGS, both_decks, right_answer, write_both

START = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


class FakeClock:
    """Each reading moves time on by `step`."""

    def __init__(self, step: timedelta) -> None:
        self.now = START
        self.step = step

    def __call__(self) -> datetime:
        current = self.now
        self.now += self.step
        return current


def console() -> Console:
    return Console(file=io.StringIO(), width=80, color_system=None, highlight=False)


def lines(answers):
    queue = list(answers)
    return lambda: queue.pop(0) if queue else None


def exam(count=6, seed=2, **kwargs):
    built = build_exam(both_decks(), random.Random(seed), count=count, **kwargs)

    def grade(question, given):
        return grade_question(question, given, siblings=built.siblings[question.deck])

    return built.questions, grade


def test_loop_counts_questions_and_grades_each_line():
    questions, grade = exam()
    out = console()
    seen = []
    outcomes = screen.run_questions(questions, grade=grade, read_line=lines(right_answer(q) for q in questions),
                                    console=out, clock=FakeClock(timedelta(seconds=5)), on_outcome=seen.append)
    text = out.file.getvalue()
    for n in range(1, len(questions) + 1):
        assert f"Question {n}/{len(questions)}" in text
    assert "left" not in text  # no countdown without a time limit
    assert all(o.correct and o.shown for o in outcomes)
    assert seen == outcomes
    assert all(o.duration_ms == 5000 for o in outcomes)


def test_time_limit_shows_countdown_and_ends_the_exam():
    questions, grade = exam(count=6)
    out = console()
    clock = FakeClock(timedelta(seconds=70))  # shown at 0 s, answered at 70; shown at 140, answered at 210
    deadline = START + timedelta(minutes=3)
    saved = []
    outcomes = screen.run_questions(questions, grade=grade, read_line=lines(right_answer(q) for q in questions),
                                    console=out, clock=clock, deadline=deadline, on_outcome=saved.append)
    text = out.file.getvalue()
    assert "Question 1/6  ·  03:00 left" in text
    assert "Question 2/6  ·  00:40 left" in text
    assert "Time ran out before that answer: it does not count." in text
    assert "Time is up. 4 questions not reached count as skipped." in text
    assert [o.correct for o in outcomes] == [True, False, False, False, False, False]
    assert outcomes[1].late and outcomes[1].given == right_answer(questions[1])
    assert [o.shown for o in outcomes] == [True, True, False, False, False, False]
    assert len(saved) == 2
    assert [rating_for(o) for o in outcomes] == [Rating.GOOD] + [None] * 5


def test_options_are_lettered_or_numbered_with_how_to_answer():
    questions, _ = exam(count=40, kinds=("choice", "order", "truefalse"))
    choice = next(q for q in questions if q.kind == "choice" and not q.multiple_answers)
    order = next(q for q in questions if q.kind == "order")
    truefalse = next(q for q in questions if q.kind == "truefalse")
    out = console()
    for q in (choice, order, truefalse):
        out.print(screen.question_view(q, 1, 3))
    text = out.file.getvalue()
    for letter, option in zip("abcd", choice.options):
        assert f"{letter}) {option}" in text
    for n, item in enumerate(order.options, 1):
        assert f"{n}. {item}" in text
    assert "type the right order as numbers" in text and "t (true) or f (false)" in text
    assert "Enter on an empty line skips" in text


def test_results_view_tables_and_misses():
    questions, grade = exam(count=6)
    answers = [right_answer(q) for q in questions[:3]] + ["", "nonsense"]
    outcomes = screen.run_questions(questions, grade=grade, read_line=lines(answers), console=console(),
                                    clock=FakeClock(timedelta(seconds=1)))
    out = console()
    out.print(screen.results_view(outcomes))
    text = out.file.getvalue()
    assert "Score: 3/6 correct (50%)" in text and "2 skipped" in text  # blank + not reached
    assert "By deck" in text and "By tag" in text and "By kind" in text
    for row in by_deck(outcomes) + by_tag(outcomes) + by_kind(outcomes):
        assert row.name in text
    assert "Missed (3)" in text
    assert "(skipped)" in text and "your answer: nonsense" in text and "(not reached)" in text
    flat = " ".join(text.split())
    for outcome in outcomes[3:]:
        assert f"expected: {' '.join(outcome.result.expected.split())}" in flat


def test_ask_yes_no():
    assert screen.ask_yes_no(console(), lines(["y"]), "Retest?")
    assert screen.ask_yes_no(console(), lines(["Ja "]), "Retest?")
    assert not screen.ask_yes_no(console(), lines([""]), "Retest?")
    assert not screen.ask_yes_no(console(), lines(["n"]), "Retest?")
    assert not screen.ask_yes_no(console(), lines([]), "Retest?")


# --- scoring -----------------------------------------------------------------------------


def outcome(question, correct, score=None, typo=False, shown=True):
    result = GradeResult(correct, score if score is not None else float(correct), "x", typo=typo)
    return Outcome(question, "answer" if shown else "", result, shown=shown)


def test_ratings_and_totals():
    questions, _ = exam(count=5)
    outcomes = [outcome(questions[0], True), outcome(questions[1], True, typo=True),
                outcome(questions[2], True, score=0.75), outcome(questions[3], False, score=0.5),
                outcome(questions[4], False, shown=False)]
    assert [rating_for(o) for o in outcomes] == [Rating.GOOD, Rating.HARD, Rating.HARD, Rating.AGAIN, None]
    tally = total(outcomes)
    assert (tally.questions, tally.correct) == (5, 3)
    assert tally.fraction == 0.6 and round(tally.mean, 2) == 0.65
    data = report(outcomes, seed=9, started=START, finished=START + timedelta(minutes=5, microseconds=7))
    assert data["score"] == 0.6 and data["points"] == 0.65 and data["seed"] == 9
    assert data["started"] == "2026-03-01T09:00:00Z" and data["finished"] == "2026-03-01T09:05:00Z"
    assert [q["correct"] for q in data["questions"]] == [True, True, True, False, False]
    json.dumps(data)  # serialisable as it is


def test_cli_time_limit_with_a_fake_clock(runner, tmp_path, monkeypatch):
    deck_dir = write_both(tmp_path / "d")
    monkeypatch.setattr(exam_commands, "now", FakeClock(timedelta(seconds=45)))
    report_path = tmp_path / "r.json"
    result = runner.invoke(app, ["exam", "--decks", str(deck_dir), *DECK_ARGS, "-n", "6", "--seed", "2",
                                 "--time-limit", "2", "--report", str(report_path)],
                           input="t\nt\nt\nt\nt\nt\n")
    assert result.exit_code == 0, result.output
    assert "Time limit: 02:00." in result.output
    assert "left" in result.output and "Time is up." in result.output
    data = json.loads(report_path.read_text())
    assert sum(q["skipped"] for q in data["questions"]) >= 4
