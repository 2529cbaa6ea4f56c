"""The exam loop and results screen with scripted lines, a fake clock and a text console."""

from __future__ import annotations

import io
import json
import random
from dataclasses import replace
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


class lines:
    """A scripted pipe: one answer per read, None when the script is used up."""

    live = False

    def __init__(self, answers):
        self.queue = list(answers)

    def read(self, prompt="> ", deadline=None):
        return self.queue.pop(0) if self.queue else None


def exam(count=6, seed=2, **kwargs):
    built = build_exam(both_decks(), random.Random(seed), count=count, **kwargs)

    def grade(question, given):
        return grade_question(question, given, siblings=built.siblings[question.deck])

    return built.questions, grade


def test_loop_counts_questions_and_grades_each_line():
    questions, grade = exam()
    out = console()
    seen = []
    outcomes = screen.run_questions(questions, grade=grade, reader=lines(right_answer(q) for q in questions),
                                    console=out, clock=FakeClock(timedelta(seconds=5)), on_outcome=seen.append).outcomes
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
    outcomes = screen.run_questions(questions, grade=grade, reader=lines(right_answer(q) for q in questions),
                                    console=out, clock=clock, deadline=deadline, on_outcome=saved.append).outcomes
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


def test_results_view_is_compact_with_misses_in_three_lines():
    questions, grade = exam(count=6)
    answers = [right_answer(q) for q in questions[:3]] + ["", "nonsense"]
    outcomes = screen.run_questions(questions, grade=grade, reader=lines(answers), console=console(),
                                    clock=FakeClock(timedelta(seconds=1))).outcomes
    out = console()
    out.print(screen.results_view(outcomes, used=timedelta(minutes=3, seconds=7), limit=timedelta(minutes=10)))
    text = out.file.getvalue()
    assert "Score: 3/6 correct (50%)" in text and "2 skipped" in text  # blank + not reached
    assert "Time used: 03:07 of 10:00" in text
    assert "Journey for exams" in text and "Service for exams" in text
    assert "By deck" not in text and "By kind" not in text
    assert "Missed (3)" in text
    assert "(skipped)" in text and "your answer: nonsense" in text and "(not answered)" in text
    misses_part = text[text.index("Missed (3)"):].splitlines()[1:]
    miss_lines = [line for line in misses_part if line.startswith(("✗", "   "))]
    assert len(miss_lines) == 9  # three lines per miss
    assert all(len(line) <= 80 for line in text.splitlines())
    for outcome in outcomes[3:]:
        assert outcome.question.key.address not in text


def test_weakest_tags_are_at_most_five_lowest_first():
    questions, _ = exam(count=6)
    tagged = [replace(q, source=replace(q.source, tags=(f"tag{i}",))) for i, q in enumerate(questions)]
    outcomes = [outcome(q, i % 3 == 0) for i, q in enumerate(tagged)]
    line = screen.tags_line(outcomes).plain
    assert line.startswith("Weakest tags: ")
    named = [part.split()[0] for part in line.removeprefix("Weakest tags: ").split("  ·  ")]
    assert named == ["tag1", "tag2", "tag4", "tag5"]  # only tags with misses, at most five
    assert screen.tags_line([outcome(q, True) for q in tagged]) is None


def test_invalid_lines_are_asked_again_and_never_scored():
    questions, grade = exam(count=40, kinds=("choice", "order", "truefalse"))
    picks = [next(q for q in questions if q.kind == kind and not q.multiple_answers)
             for kind in ("truefalse", "choice", "order")]
    n = len(picks[2].options)
    script = ["b", "maybe", right_answer(picks[0]),
              "yes", "z", "a b", right_answer(picks[1]),
              f"1 {n + 1}", "1 1", right_answer(picks[2])]
    out = console()
    run = screen.run_questions(picks, grade=grade, reader=lines(script), console=out,
                               clock=FakeClock(timedelta(seconds=1)))
    assert [o.correct for o in run.outcomes] == [True, True, True]
    assert [o.given for o in run.outcomes] == [right_answer(q) for q in picks]
    text = out.file.getvalue()
    assert text.count("Answer t (true) or f (false).") == 2
    assert "'yes' is not an option" in text and "'z' is not an option" in text and "One option only" in text
    assert f"There is no item {n + 1}" in text and f"Type each number 1–{n} once" in text


def test_blank_line_still_skips_without_a_hint():
    questions, grade = exam(count=40, kinds=("truefalse",))
    out = console()
    run = screen.run_questions(questions[:1], grade=grade, reader=lines([""]), console=out,
                               clock=FakeClock(timedelta(seconds=1)))
    assert run.outcomes[0].skipped and "Answer t" not in out.file.getvalue()


def test_interrupt_scores_what_was_answered():
    questions, grade = exam(count=5)

    class Interrupting(lines):
        def read(self, prompt="> ", deadline=None):
            if not self.queue:
                raise KeyboardInterrupt
            return super().read(prompt, deadline)

    out = console()
    saved = []
    run = screen.run_questions(questions, grade=grade, reader=Interrupting([right_answer(q) for q in questions[:2]]),
                               console=out, clock=FakeClock(timedelta(seconds=1)), on_outcome=saved.append)
    assert run.interrupted and len(run.outcomes) == 5 and len(saved) == 2
    assert [o.answered for o in run.outcomes] == [True, True, False, False, False]
    assert "Exam stopped (Ctrl-C). 3 questions not reached count as skipped." in out.file.getvalue()


def test_unsure_answers_are_marked_by_the_examinee_and_recorded_after():
    questions, grade = exam(count=4, kinds=("recall",))

    def unsure_grade(question, given):
        result = grade(question, given)
        if given == "hmm":
            return GradeResult(False, 0.5, result.expected, "cannot tell", verdict="unsure")
        return result

    out = console()
    saved = []
    answers = ["hmm", right_answer(questions[1]), "hmm", "hmm"]
    run = screen.run_questions(questions, grade=unsure_grade, reader=lines(answers), console=out,
                               clock=FakeClock(timedelta(seconds=1)), on_outcome=saved.append)
    assert len(saved) == 1  # the unsure ones wait for the examinee
    marked = screen.mark_unsure(run.outcomes, console=out, reader=lines(["y", "n"]), on_outcome=saved.append)
    text = out.file.getvalue()
    assert text.count("count it? [y/N]") == 3  # the third gets end of input: no
    assert f"model answer: {screen.plain_answer(run.outcomes[0].result.expected)}" in text
    assert [o.correct for o in marked] == [True, True, False, False]
    assert [o.self_marked for o in marked] == [True, False, True, True]
    assert len(saved) == 4
    data = report(marked, seed=1, started=START, finished=START)
    assert [q["self_marked"] for q in data["questions"]] == [True, False, True, True]
    assert data["self_marked"] == 3 and data["correct"] == 2
    assert "2 self-marked" not in screen.score_line(marked).plain and "3 self-marked" in screen.score_line(marked).plain


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


def test_headers_name_the_deck_and_kind_never_the_card_id():
    from test_exam_build import DUTCH
    from test_exam_support import deck_of

    dutch = build_exam([deck_of(DUTCH, "nl.yaml")], random.Random(1), count=4, kinds=("truefalse",)).questions
    questions, _ = exam(count=12)
    out = console()
    for q in (*dutch, *questions):
        out.print(screen.question_view(q, 1, 1))
    text = out.file.getvalue()
    assert "Klantreis · juist of onjuist" in text and "j (juist) or n (onjuist)" in text
    assert "Journey for exams · " in text or "Service for exams · " in text
    for q in (*dutch, *questions):
        assert q.key.address not in text and f"/{q.key.card}" not in text
