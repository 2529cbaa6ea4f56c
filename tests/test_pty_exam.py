"""End to end: the installed `cjstudy exam` in a pseudo-terminal, typed at like a person would.

The terminal is 80×24, as the issue's checks ask. `screen_lines` replays the output the way
a terminal shows it (carriage returns, line clears, cursor moves), so what is asserted is
what the student sees, not the raw bytes of each redraw.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import sys
import time
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
    env = dict(os.environ, CJSTUDY_HOME=str(home), NO_COLOR="1", TERM="xterm")
    for name in ("CJSTUDY_DECKS", "COLUMNS", "LINES"):
        env.pop(name, None)
    return pexpect.spawn(program, prefix + args, env=env, encoding="utf-8", timeout=TIMEOUT,
                         dimensions=(24, 80))


def screen_lines(output: str, width: int = 80) -> list[str]:
    """The lines a terminal of `width` columns would show for `output` (scrollback included)."""
    lines = [""]
    row = col = 0
    for token in re.findall(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b.|.", output, flags=re.S):
        if token.startswith("\x1b["):
            number = int(re.sub(r"\D", "", token[2:-1]) or 1) if token[-1] in "CD" else 0
            if token[-1] == "K":
                lines[row] = lines[row][:col]
            elif token[-1] == "D":
                col = max(0, col - number)
            elif token[-1] == "C":
                col = min(width - 1, col + number)
            continue
        if token.startswith("\x1b"):
            continue
        if token == "\r":
            col = 0
        elif token == "\n":
            row += 1
            col = 0
            if row == len(lines):
                lines.append("")
        elif token >= " ":
            if col >= width:
                row, col = row + 1, 0
                if row == len(lines):
                    lines.append("")
            line = lines[row].ljust(col)
            lines[row] = line[:col] + token + line[col + 1:]
            col += 1
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


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
            child.expect("left > ")  # the countdown on the answer line
            child.sendline(right_answer(question) if number != 2 else wrong_answer(question))
        child.expect(r"Score: 2/3 correct \(67%\)")
        child.expect("Missed \\(1\\)")
        child.expect(r"Score: 2/3 correct \(67%\)")
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


def finish(child) -> None:
    """Say no to a retest if asked, and wait for the end."""
    index = child.expect([r"\[y/N\]", pexpect.EOF])
    if index == 0:
        child.sendline("")
        child.expect(pexpect.EOF)
    child.close()


def test_editing_with_left_and_end_gives_the_edited_text(tmp_path, isolated_home):
    decks = write_both(tmp_path / "decks")
    report = tmp_path / "report.json"
    question = build_exam(both_decks(), random.Random(4), count=1, deck_ids=["exam-service"],
                          kinds=["recall"]).questions[0]
    answer = right_answer(question)
    assert len(answer) >= 4
    child = spawn(["exam", "--decks", str(decks), "--deck", "exam-service", "--types", "recall", "-n", "1",
                   "--seed", "4", "--report", str(report)], isolated_home)
    try:
        child.expect("> ")
        child.send(answer[:-3] + answer[-2:])  # one letter left out
        child.send("\x1b[D\x1b[D")  # ← ←
        child.send(answer[-3])
        child.send("\x1b[F")  # End
        child.send("!\r")
        child.expect("Score: 1/1 correct")
        finish(child)
    finally:
        child.close()
    assert child.exitstatus == 0
    entry = json.loads(report.read_text(encoding="utf-8"))["questions"][0]
    assert entry["given"] == answer + "!" and entry["correct"]


def test_invalid_true_false_answer_is_asked_again_and_not_scored(tmp_path, isolated_home):
    decks = write_both(tmp_path / "decks")
    report = tmp_path / "report.json"
    questions = planned_kinds(6, 2, ["truefalse"])
    child = spawn(["exam", "--decks", str(decks), *DECK_ARGS, "--types", "truefalse", "-n", "2", "--seed", "6",
                   "--report", str(report)], isolated_home)
    try:
        child.expect("Question 1/2")
        child.expect("> ")
        child.sendline("b")
        child.expect_exact("Answer t (true) or f (false).")
        child.expect("> ")
        child.sendline(right_answer(questions[0]))
        child.expect("Question 2/2")
        child.expect("> ")
        child.sendline(right_answer(questions[1]))
        child.expect("Score: 2/2 correct")
        finish(child)
    finally:
        child.close()
    assert child.exitstatus == 0
    data = json.loads(report.read_text(encoding="utf-8"))
    assert [q["given"] for q in data["questions"]] == [right_answer(q) for q in questions]
    assert data["correct"] == 2 and data["total"] == 2


def planned_kinds(seed: int, count: int, kinds: list[str]):
    return build_exam(both_decks(), random.Random(seed), count=count,
                      deck_ids=["exam-journey", "exam-service"], kinds=kinds).questions


def test_one_minute_limit_counts_down_and_ends_at_zero_without_a_key(tmp_path, isolated_home):
    decks = write_both(tmp_path / "decks")
    report = tmp_path / "report.json"
    child = spawn(["exam", "--decks", str(decks), *DECK_ARGS, "-n", "3", "--seed", "2", "--time-limit", "1",
                   "--report", str(report)], isolated_home)
    child.timeout = 90
    try:
        child.expect("Question 1/3")
        started = time.monotonic()
        child.expect(r"(\d\d:\d\d) left > ")
        first = child.match.group(1)
        child.send("half an answ")  # typed, never submitted
        child.expect(r"(\d\d:\d\d) left > half an answ")
        child.expect(r"(\d\d:\d\d) left > half an answ")
        later = child.match.group(1)
        assert later != first and later < first  # the clock moves while the student types
        child.expect("Time is up")
        waited = time.monotonic() - started
        child.expect(r"Score: 0/3 correct")
        child.expect(r"Retest the 3 missed\? \[y/N\]")
        child.sendline("")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert 50 <= waited <= 70
    assert child.exitstatus == 0
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["time_up"] is True and data["answered"] == 0
    assert data["questions"][0]["given"] == "half an answ" and data["questions"][0]["skipped"]


def test_ctrl_c_after_two_answers_reports_them_and_exits_130(tmp_path, isolated_home):
    decks = write_both(tmp_path / "decks")
    report = tmp_path / "report.json"
    questions = planned(9, 5)
    child = spawn(["exam", "--decks", str(decks), *DECK_ARGS, "-n", "5", "--seed", "9", "--report", str(report)],
                  isolated_home)
    try:
        for number in (1, 2):
            child.expect(f"Question {number}/5")
            child.expect("> ")
            child.sendline(right_answer(questions[number - 1]))
        child.expect("Question 3/5")
        child.expect("> ")
        child.sendintr()
        child.expect(r"Exam stopped \(Ctrl-C\)")
        child.expect(r"Score: 2/5 correct")
        child.expect(pexpect.EOF)
        output = child.before
    finally:
        child.close()
    assert child.exitstatus == 130, output
    assert "Retest" not in output and "error" not in output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["interrupted"] is True and data["answered"] == 2
    assert [q["answered"] for q in data["questions"]] == [True, True, False, False, False]


def test_score_and_retest_prompt_are_on_the_last_screen_of_a_20_question_exam(tmp_path, isolated_home):
    decks = write_both(tmp_path / "decks")
    questions = planned(1, 20)
    assert len(questions) == 20
    child = spawn(["exam", "--decks", str(decks), *DECK_ARGS, "-n", "20", "--seed", "1"], isolated_home)
    transcript = []
    try:
        for number, question in enumerate(questions, 1):
            child.expect(f"Question {number}/20")
            transcript.append(child.before + child.after)
            child.expect("> ")
            transcript.append(child.before + child.after)
            child.sendline(wrong_answer(question) if number % 4 else "")
        child.expect(r"Retest the 20 missed\? \[y/N\] ")
        transcript.append(child.before + child.after)
        last = screen_lines("".join(transcript))[-24:]
        child.sendline("")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    assert last[-1].startswith("Retest the 20 missed? [y/N]")
    assert last[-2].startswith("Score: 0/20 correct (0%)")
    assert all(len(line) <= 80 for line in last)


def test_two_pasted_lines_answer_two_questions(tmp_path, isolated_home):
    decks = write_both(tmp_path / "decks")
    report = tmp_path / "report.json"
    questions = planned_kinds(6, 2, ["truefalse"])
    child = spawn(["exam", "--decks", str(decks), *DECK_ARGS, "--types", "truefalse", "-n", "2", "--seed", "6",
                   "--report", str(report)], isolated_home)
    try:
        child.expect("Question 1/2")
        child.expect("> ")
        child.send(f"{right_answer(questions[0])}\r{right_answer(questions[1])}\r")  # one write, like a paste
        child.expect("Score: 2/2 correct")
        finish(child)
    finally:
        child.close()
    assert child.exitstatus == 0
    assert [q["given"] for q in json.loads(report.read_text(encoding="utf-8"))["questions"]] == [
        right_answer(q) for q in questions]
