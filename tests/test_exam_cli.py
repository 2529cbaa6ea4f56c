"""`cjstudy exam` through the CLI: piped answers, the report, errors, and the schedule."""

from __future__ import annotations

import json
import random
import re
from datetime import datetime
from pathlib import Path

import pytest

from cjstudy.cli import app
from cjstudy.exam.build import build_exam
from cjstudy.model import Rating
from cjstudy.store import open_store
from test_exam_support import DECK_ARGS, both_decks, right_answer, wrong_answer, write_both

REPORT_KEYS = {"deck", "card", "variant", "type", "prompt", "given", "expected", "correct", "score"}


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    return write_both(tmp_path / "exam-decks")


def run_exam(runner, deck_dir, *args, answers=(), extra_input=""):
    text = "".join(f"{a}\n" for a in answers) + extra_input
    return runner.invoke(app, ["exam", "--decks", str(deck_dir), *DECK_ARGS, *args], input=text)


def planned(seed, count, **kwargs):
    """The exam the CLI builds for the same seed and decks."""
    return build_exam(both_decks(), random.Random(seed), count=count,
                      deck_ids=["exam-journey", "exam-service"], **kwargs).questions


def read_report(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_piped_right_answers_score_full_marks_and_report_everything(runner, deck_dir, tmp_path):
    questions = planned(7, 12)
    report = tmp_path / "out" / "report.json"
    report.parent.mkdir()
    result = run_exam(runner, deck_dir, "-n", "12", "--seed", "7", "--report", str(report),
                      answers=[right_answer(q) for q in questions])
    assert result.exit_code == 0, result.output
    assert "Question 1/12" in result.output and "Question 12/12" in result.output
    assert "Score: 12/12 correct (100%)" in result.output
    assert "No misses." in result.output and "Retest" not in result.output
    data = read_report(report)
    assert {"score", "seed", "started", "finished", "questions"} <= set(data)
    assert data["score"] == 1.0 and data["seed"] == 7
    started = datetime.fromisoformat(data["started"].replace("Z", "+00:00"))
    finished = datetime.fromisoformat(data["finished"].replace("Z", "+00:00"))
    assert started.utcoffset().total_seconds() == 0 and started <= finished
    assert len(data["questions"]) == 12
    for entry, question in zip(data["questions"], questions):
        assert REPORT_KEYS <= set(entry)
        assert (entry["deck"], entry["card"], entry["variant"]) == (question.key.deck, question.key.card,
                                                                   question.key.variant)
        assert entry["type"] == question.kind and entry["prompt"] == question.prompt
        assert entry["given"] == right_answer(question)
        assert entry["correct"] is True and entry["score"] == 1.0 and entry["expected"]
    assert not list(report.parent.glob(".*tmp"))  # the temporary file was renamed away


def test_same_seed_same_exam_different_seed_different(runner, deck_dir, tmp_path):
    def prompts(seed, name):
        path = tmp_path / name
        result = run_exam(runner, deck_dir, "-n", "8", "--seed", str(seed), "--report", str(path))
        assert result.exit_code == 0, result.output
        return [(q["deck"], q["card"], q["variant"], q["type"], q["prompt"]) for q in read_report(path)["questions"]]

    first = prompts(123, "a.json")
    assert first == prompts(123, "b.json")
    assert first != prompts(124, "c.json")


def test_without_seed_a_seed_is_printed_and_reproduces_the_exam(runner, deck_dir, tmp_path):
    report = tmp_path / "r.json"
    result = run_exam(runner, deck_dir, "-n", "5", "--report", str(report))
    assert result.exit_code == 0, result.output
    seed = int(re.search(r"seed (\d+)", result.output).group(1))
    data = read_report(report)
    assert data["seed"] == seed
    again = tmp_path / "again.json"
    run_exam(runner, deck_dir, "-n", "5", "--seed", str(seed), "--report", str(again))
    assert [q["prompt"] for q in read_report(again)["questions"]] == [q["prompt"] for q in data["questions"]]


def test_type_mix_in_a_default_sized_exam(runner, deck_dir, tmp_path):
    report = tmp_path / "r.json"
    result = run_exam(runner, deck_dir, "--seed", "5", "--report", str(report))
    assert result.exit_code == 0, result.output
    questions = read_report(report)["questions"]
    assert len(questions) == 20
    assert {q["type"] for q in questions} == {"recall", "cloze", "list", "order", "choice", "truefalse"}


def test_end_of_input_skips_the_rest_and_blank_lines_skip(runner, deck_dir, tmp_path):
    questions = planned(3, 5)
    report = tmp_path / "r.json"
    result = run_exam(runner, deck_dir, "-n", "5", "--seed", "3", "--report", str(report),
                      answers=[right_answer(questions[0]), ""])
    assert result.exit_code == 0, result.output
    assert "3 questions not reached count as skipped" in result.output
    assert "Score: 1/5 correct (20%)" in result.output
    data = read_report(report)
    assert data["score"] == 0.2
    assert [q["correct"] for q in data["questions"]] == [True, False, False, False, False]
    assert [q["skipped"] for q in data["questions"]] == [False, True, True, True, True]
    assert "Retest the 4 missed? [y/N]" in result.output  # EOF at the question means no


def test_misses_show_question_answer_and_right_answer_then_retest(runner, deck_dir, tmp_path):
    questions = planned(4, 6)
    wrong = [wrong_answer(q) for q in questions]
    retest = [right_answer(q) for q in questions]
    report = tmp_path / "r.json"
    result = run_exam(runner, deck_dir, "-n", "6", "--seed", "4", "--report", str(report),
                      answers=[*wrong, "y", *retest])
    assert result.exit_code == 0, result.output
    assert "Score: 0/6 correct (0%)" in result.output
    assert "Missed (6)" in result.output
    results = result.output[result.output.index("Missed (6)"):result.output.index("Retest the")]
    for number, question in enumerate(questions, 1):
        assert f"✗ {number}. {' '.join(question.prompt.split())[:40]}" in " ".join(results.split())
    assert results.count("your answer: ") == 6 and results.count("   answer: ") == 6
    for question in questions:  # card ids give answers away: the screen never shows them
        assert question.key.address not in result.output
    assert "By kind" not in result.output  # the tables are in the report
    # The score again, right above the retest prompt.
    assert re.search(r"Score: 0/6 correct \(0%\).*\nRetest the 6 missed\? \[y/N\]", result.output)
    assert "Retest: 6/6 correct (100%)" in result.output
    data = read_report(report)
    assert data["score"] == 0.0 and len(data["retest"]) == 6 and all(q["correct"] for q in data["retest"])
    assert {"by_kind", "by_deck", "by_tag"} <= set(data)
    assert [e.get("explanation") for e in data["questions"]] == [q.explanation for q in questions]


def test_enter_at_retest_means_no(runner, deck_dir):
    questions = planned(4, 3)
    result = run_exam(runner, deck_dir, "-n", "3", "--seed", "4",
                      answers=[wrong_answer(q) for q in questions] + [""] + [right_answer(q) for q in questions])
    assert result.exit_code == 0
    assert "Retest the 3 missed? [y/N]" in result.output and "Retest:" not in result.output
    assert "Question 1/3" in result.output and result.output.count("Question 1/") == 1


def test_types_option(runner, deck_dir, tmp_path):
    report = tmp_path / "r.json"
    result = run_exam(runner, deck_dir, "--types", "choice", "--types", "truefalse", "-n", "10",
                      "--seed", "1", "--report", str(report))
    assert result.exit_code == 0, result.output
    assert {q["type"] for q in read_report(report)["questions"]} == {"choice", "truefalse"}


def test_more_questions_than_available_says_so(runner, deck_dir, tmp_path):
    report = tmp_path / "r.json"
    result = run_exam(runner, deck_dir, "-n", "200", "--seed", "1", "--types", "order", "--report", str(report))
    assert result.exit_code == 0, result.output
    assert "Only 2 questions available for this selection (asked for 200)" in result.output
    assert len(read_report(report)["questions"]) == 2


def test_tag_selection(runner, deck_dir, tmp_path):
    report = tmp_path / "r.json"
    result = run_exam(runner, deck_dir, "--tag", "touch-points", "--seed", "2", "--report", str(report))
    assert result.exit_code == 0, result.output
    assert {q["card"] for q in read_report(report)["questions"]} == {
        "brand-owned", "partner-owned", "customer-owned", "social"}


@pytest.mark.parametrize("args,code,message", [
    (["--deck", "no-such-deck"], 1, "error: no deck 'no-such-deck'"),
    (["--tag", "touchpoints"], 1, "error: no card in the chosen decks has tag 'touchpoints' (did you mean 'touch-points'?)"),
    (["--types", "recall,essay"], 2, "error: unknown question type 'essay'; valid types: recall, cloze, list, order, choice, truefalse"),
    (["--time-limit", "0"], 2, "error: --time-limit must be a positive number of minutes"),
    (["--time-limit", "inf"], 2, "error: --time-limit must be a positive number of minutes"),
    (["--time-limit", "nan"], 2, "error: --time-limit must be a positive number of minutes"),
    (["--report", "/no/such/folder/r.json"], 2, "error: /no/such/folder/r.json: folder /no/such/folder does not exist"),
])
def test_bad_options_give_one_line_and_no_exam(runner, deck_dir, args, code, message):
    result = run_exam(runner, deck_dir, *args)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output and "Question 1/" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_bad_count_is_a_usage_error(runner, deck_dir):
    result = run_exam(runner, deck_dir, "-n", "0")
    assert result.exit_code == 2 and "Question" not in result.output


# --- the study schedule ------------------------------------------------------------------


def store_file(home: Path) -> Path:
    return home / "progress.sqlite3"


def test_exam_without_record_never_creates_or_changes_the_store(runner, deck_dir, isolated_home):
    questions = planned(6, 5)
    answers = [right_answer(q) for q in questions]
    result = run_exam(runner, deck_dir, "-n", "5", "--seed", "6", answers=answers)
    assert result.exit_code == 0
    assert not store_file(isolated_home).exists()

    recorded = run_exam(runner, deck_dir, "-n", "5", "--seed", "6", "--record", answers=answers)
    assert recorded.exit_code == 0, recorded.output
    before = store_file(isolated_home).read_bytes()
    for seed in (6, 8):
        again = run_exam(runner, deck_dir, "-n", "5", "--seed", str(seed),
                         answers=[wrong_answer(q) for q in planned(seed, 5)])
        assert again.exit_code == 0
    assert store_file(isolated_home).read_bytes() == before
    with open_store(store_file(isolated_home)) as store:
        assert len(store.reviews()) == 5


def test_record_logs_one_exam_review_per_answer_with_mapped_ratings(runner, deck_dir, isolated_home):
    questions = planned(10, 6)
    answers = [right_answer(q) for q in questions[:3]] + [wrong_answer(questions[3]), ""]
    # the sixth question is never reached (end of input): it is not recorded
    result = run_exam(runner, deck_dir, "-n", "6", "--seed", "10", "--record", answers=answers)
    assert result.exit_code == 0, result.output
    assert "Recorded 5 reviews in your study schedule." in result.output
    with open_store(store_file(isolated_home)) as store:
        reviews = store.reviews()
        assert [r.key for r in reviews] == [q.key for q in questions[:5]]
        assert all(r.source == "exam" for r in reviews)
        assert [r.rating for r in reviews] == [Rating.GOOD] * 3 + [Rating.AGAIN] * 2
        assert all(r.after.reps == 1 and r.after.due is not None for r in reviews)
        assert store.state(questions[5].key) is None


def test_record_rates_a_typo_as_hard(runner, deck_dir, isolated_home):
    questions = planned(1, 30, kinds=("recall",))
    target = next(q for q in questions if q.key.card == "intangible")
    answers = ["intangibilty" if q is target else right_answer(q) for q in questions]
    result = run_exam(runner, deck_dir, "-n", "30", "--seed", "1", "--types", "recall", "--record", answers=answers)
    assert result.exit_code == 0, result.output
    with open_store(store_file(isolated_home)) as store:
        ratings = {r.key: r.rating for r in store.reviews()}
    assert ratings[target.key] == Rating.HARD
    assert all(rating == Rating.GOOD for key, rating in ratings.items() if key != target.key)


def test_unsure_answers_are_self_marked_at_the_end_and_reported(runner, deck_dir, tmp_path, monkeypatch):
    from dataclasses import replace as dc_replace

    from cjstudy.exam import questions as exam_questions

    real = exam_questions.grade_question

    def unsure_for_maybe(question, given, *, siblings=()):
        result = real(question, given, siblings=siblings)
        if given.startswith("maybe"):
            return dc_replace(result, correct=False, score=0.5, verdict="unsure")
        return result

    monkeypatch.setattr(exam_questions, "grade_question", unsure_for_maybe)
    questions = planned(3, 3, kinds=("recall",))
    report = tmp_path / "r.json"
    result = run_exam(runner, deck_dir, "--types", "recall", "-n", "3", "--seed", "3", "--report", str(report),
                      answers=["maybe one", right_answer(questions[1]), "maybe two", "y", "n", "n"])
    assert result.exit_code == 0, result.output
    assert "The grader could not judge 2 answers: you decide." in result.output
    assert result.output.count("count it? [y/N]") == 2
    assert "Score: 2/3 correct (67%)" in result.output and "2 self-marked" in result.output
    data = read_report(report)
    assert [q["self_marked"] for q in data["questions"]] == [True, False, True]
    assert [q["correct"] for q in data["questions"]] == [True, True, False]
    assert data["self_marked"] == 2
