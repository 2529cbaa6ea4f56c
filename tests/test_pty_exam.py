"""End to end: the installed `cjstudy exam` in a pseudo-terminal, typed at like a person would."""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
from pathlib import Path

import pytest

from cjstudy.exam.build import build_exam
from test_exam_support import DECK_ARGS, both_decks, right_answer, wrong_answer, write_both

pexpect = pytest.importorskip("pexpect")

TIMEOUT = 30


def command() -> tuple[str, list[str]]:
    """The installed console script when it is on PATH, else the module as installed."""
    script = shutil.which("cjstudy")
    if script:
        return script, []
    return sys.executable, ["-m", "cjstudy"]


def spawn(args: list[str], home: Path):
    program, prefix = command()
    env = dict(os.environ, CJSTUDY_HOME=str(home), NO_COLOR="1", TERM="xterm", COLUMNS="100", LINES="40")
    env.pop("CJSTUDY_DECKS", None)
    return pexpect.spawn(program, prefix + args, env=env, encoding="utf-8", timeout=TIMEOUT,
                         dimensions=(40, 100))


def planned(seed: int, count: int):
    return build_exam(both_decks(), random.Random(seed), count=count,
                      deck_ids=["exam-journey", "exam-service"]).questions


def test_installed_exam_in_a_terminal(tmp_path, isolated_home):
    decks = write_both(tmp_path / "decks")
    report = tmp_path / "report.json"
    questions = planned(5, 3)
    child = spawn(["exam", "--decks", str(decks), *DECK_ARGS, "-n", "3", "--seed", "5",
                   "--time-limit", "30", "--report", str(report)], isolated_home)
    try:
        child.expect("seed 5")
        for number, question in enumerate(questions, 1):
            child.expect(f"Question {number}/3")
            child.expect("left")  # the countdown
            child.expect("> ")
            child.sendline(right_answer(question) if number != 2 else wrong_answer(question))
        child.expect(r"Score: 2/3 correct \(67%\)")
        child.expect("By kind")
        child.expect(r"Retest the 1 missed\? \[y/N\]")
        child.sendline("y")
        child.expect("Question 1/1")
        child.expect("> ")
        child.sendline(right_answer(questions[1]))
        child.expect(r"Retest: 1/1 correct")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["seed"] == 5 and round(data["score"], 2) == 0.67
    assert [q["card"] for q in data["questions"]] == [q.key.card for q in questions]
    assert not (isolated_home / "progress.sqlite3").exists()


def test_enter_at_the_retest_question_ends_the_exam(tmp_path, isolated_home):
    decks = write_both(tmp_path / "decks")
    questions = planned(8, 2)
    child = spawn(["exam", "--decks", str(decks), *DECK_ARGS, "-n", "2", "--seed", "8"], isolated_home)
    try:
        for number in (1, 2):
            child.expect(f"Question {number}/2")
            child.expect("> ")
            child.sendline("")  # skip
        child.expect(r"Score: 0/2 correct")
        child.expect(r"Retest the 2 missed\? \[y/N\]")
        child.sendline("")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    assert len(questions) == 2
