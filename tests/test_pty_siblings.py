"""End to end in a pseudo-terminal: siblings wait for tomorrow, a saved exam shows in the header.

The clock is injected with CJSTUDY_NOW (it starts there and runs on), so "the same day" and
"the next day" are real study days of the installed command, not mocks.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
from pathlib import Path

import pytest

from cjstudy.model import CardKey
from cjstudy.paths import store_path
from cjstudy.store import open_store

pexpect = pytest.importorskip("pexpect")

TIMEOUT = 30


def command() -> tuple[str, list[str]]:
    """The installed console script when it is on PATH, else the module as installed."""
    script = shutil.which("cjstudy")
    if script:
        return script, []
    return sys.executable, ["-m", "cjstudy"]

DECK = """\
deck: pty-siblings
title: Sibling test
language: en
cards:
  - id: sdl
    front: What does SDL stand for?
    back: Service-dominant logic
    reverse: true
"""

DAY1 = "2026-03-02T10:00:00+00:00"
DAY1_LATER = "2026-03-02T11:00:00+00:00"
DAY2 = "2026-03-03T10:00:00+00:00"


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "sib-decks"
    folder.mkdir()
    (folder / "pty-siblings.yaml").write_text(DECK, encoding="utf-8")
    return folder


def spawn(args: list[str], home: Path, when: str):
    program, prefix = command()
    env = dict(os.environ, CJSTUDY_HOME=str(home), NO_COLOR="1", TERM="xterm", COLUMNS="80", LINES="30",
               CJSTUDY_NOW=when, TZ="UTC")
    env.pop("CJSTUDY_DECKS", None)
    return pexpect.spawn(program, prefix + args, env=env, encoding="utf-8", timeout=TIMEOUT, dimensions=(30, 80))


def run_session(deck_dir: Path, home: Path, when: str, keys: str = "4") -> str:
    """One `study` session answering each card shown with `keys` (Easy: no learning steps left)."""
    child = spawn(["--decks", str(deck_dir), "study", "--deck", "pty-siblings"], home, when)
    child.logfile_read = transcript = io.StringIO()
    try:
        while child.expect(["show answer", "session summary"]) == 0:
            child.send(" ")
            child.expect("1-4 rate")
            child.send(keys)
            child.expect("→ Easy")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    return transcript.getvalue()


def test_a_reverse_note_waits_for_the_next_day(deck_dir: Path, isolated_home: Path):
    first = run_session(deck_dir, isolated_home, DAY1)
    assert first.count("What does SDL stand for?") == 1
    assert "Service-dominant logic" in first
    assert "1 related card" in first and "wait for tomorrow" in first  # the summary counts it

    second = run_session(deck_dir, isolated_home, DAY1_LATER)
    assert "Nothing is due now" in second
    assert "1 card waits for tomorrow (buried, or related to a card answered today)." in second
    assert "SDL" not in second.replace("What does SDL stand for?", "")  # the reverse card is not asked

    third = run_session(deck_dir, isolated_home, DAY2)
    assert "What does SDL stand for?" in third  # the next day the reverse card comes (its answer shown)
    with open_store(store_path({"CJSTUDY_HOME": str(isolated_home)})) as store:
        assert store.state(CardKey("pty-siblings", "sdl", "reverse")).state == "review"


def test_a_saved_exam_shows_in_the_study_header_and_summary(deck_dir: Path, isolated_home: Path):
    program, prefix = command()
    save = pexpect.spawn(program, prefix + ["--decks", str(deck_dir), "plan", "--exam", "2026-03-23", "--save"],
                         env=dict(os.environ, CJSTUDY_HOME=str(isolated_home), CJSTUDY_NOW=DAY1, TZ="UTC",
                                  NO_COLOR="1"), encoding="utf-8", timeout=TIMEOUT * 4)
    save.expect(pexpect.EOF)
    save.close()
    assert save.exitstatus == 0, save.before
    child = spawn(["--decks", str(deck_dir), "study", "--deck", "pty-siblings"], isolated_home, DAY1)
    try:
        child.expect("show answer")
        assert "exam in 21 d" in child.before
        child.send("q")
        child.expect("session summary")
        child.expect(pexpect.EOF)
        assert "in 21 days" in child.before
    finally:
        child.close(force=True)


def test_ctrl_c_shows_the_summary_and_exits_130(deck_dir: Path, isolated_home: Path):
    child = spawn(["--decks", str(deck_dir), "study", "--deck", "pty-siblings"], isolated_home, DAY1)
    try:
        child.expect("show answer")
        child.sendcontrol("c")
        child.expect("session summary")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 130
