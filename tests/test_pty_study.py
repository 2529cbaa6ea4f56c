"""End to end: the installed `cjstudy study` in a pseudo-terminal, killed with SIGKILL mid-session.

Every rating the screen acknowledged ("→ Good, next in …" is printed only after the answer
is committed) must be in the store afterwards, and the store must open cleanly.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cjstudy.model import CardKey, Rating
from cjstudy.paths import store_path
from cjstudy.store import open_store

pexpect = pytest.importorskip("pexpect")

TIMEOUT = 30

DECK = """\
deck: pty-study
title: Pseudo-terminal test — één
language: en
cards:
  - id: one
    front: First front
    back: First back
  - id: two
    front: Second front
    back: Second back
    explanation: Second explanation.
  - id: three
    type: list
    prompt: Name the three.
    items: [alpha, beta, gamma]
  - id: four
    front: Capital of the Netherlands?
    back: Amsterdam
"""


def command() -> tuple[str, list[str]]:
    """The installed console script when it is on PATH, else the module as installed."""
    script = shutil.which("cjstudy")
    if script:
        return script, []
    return sys.executable, ["-m", "cjstudy"]


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "pty-decks"
    folder.mkdir()
    (folder / "pty-study.yaml").write_text(DECK, encoding="utf-8")
    return folder


def spawn(args: list[str], home: Path):
    program, prefix = command()
    env = dict(os.environ, CJSTUDY_HOME=str(home), NO_COLOR="1", TERM="xterm", COLUMNS="80", LINES="30")
    env.pop("CJSTUDY_DECKS", None)
    return pexpect.spawn(program, prefix + args, env=env, encoding="utf-8", timeout=TIMEOUT, dimensions=(30, 80))


def rate(child, key: str, name: str) -> None:
    child.expect("show answer")
    child.send(" ")
    child.expect("1-4 rate")
    child.send(key)
    child.expect(f"→ {name}, next in")


def stored(home: Path, include_undone: bool = False) -> list[tuple[str, Rating]]:
    with open_store(store_path({"CJSTUDY_HOME": str(home)})) as store:
        return [(r.key.address, r.rating) for r in store.reviews(include_undone=include_undone)]


def test_sigkill_loses_no_answered_rating(deck_dir: Path, isolated_home: Path):
    child = spawn(["--decks", str(deck_dir), "study", "--deck", "pty-study"], isolated_home)
    try:
        child.expect("Pseudo-terminal test — één")
        rate(child, "4", "Easy")
        rate(child, "2", "Hard")
        child.expect("show answer")
        child.send("u")  # take back the Hard: the second card comes back
        child.expect("undone: pty-study/two comes back")
        rate(child, "4", "Easy")
        rate(child, "1", "Again")
        child.expect("Capital of the Netherlands")
        child.expect("show answer")
        child.send(" ")  # revealed, not rated: must not be stored
        child.expect("1-4 rate")
        child.kill(signal.SIGKILL)
        child.wait()
    finally:
        child.close(force=True)
    assert stored(isolated_home) == [("pty-study/one", Rating.EASY), ("pty-study/two", Rating.EASY),
                                     ("pty-study/three", Rating.AGAIN)]
    all_rows = stored(isolated_home, include_undone=True)
    assert ("pty-study/two", Rating.HARD) in all_rows and len(all_rows) == 4
    with open_store(store_path({"CJSTUDY_HOME": str(isolated_home)})) as store:
        assert store.state(CardKey("pty-study", "two")).state == "review"
        assert store.state(CardKey("pty-study", "three")).state == "learning"


def test_quit_shows_the_summary_and_typed_mode_reads_a_line(deck_dir: Path, isolated_home: Path):
    child = spawn(["--decks", str(deck_dir), "study", "--deck", "pty-study", "--type"], isolated_home)
    try:
        child.expect("your answer")
        child.sendline("First back")
        child.expect("✓ right")
        child.expect("space/enter: ")
        child.send("3")
        child.expect("→ Good")
        child.expect("your answer")
        child.sendcontrol("d")
        child.expect("session summary")
        child.expect(r"cards[\s\x1b\[\dm]*1\s")  # NO_COLOR keeps bold, so allow its codes
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    assert stored(isolated_home) == [("pty-study/one", Rating.GOOD)]


def test_keys_q_and_help_in_a_terminal_without_colour(deck_dir: Path, isolated_home: Path):
    child = spawn(["--decks", str(deck_dir), "study", "--deck", "pty-study"], isolated_home)
    child.logfile_read = transcript = io.StringIO()
    try:
        child.expect("show answer")
        child.send("?")
        child.expect("bury the card until tomorrow")
        child.send("q")
        child.expect("session summary")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    text = transcript.getvalue()
    assert "First front" in text and "Pseudo-terminal test — één" in text
    # NO_COLOR=1: bold and dim may stay, but no foreground/background colour codes.
    assert not re.search(r"\x1b\[[\d;]*(3[0-8]|4[0-8]|9[0-7]|10[0-7])[;m]", text)


def test_installed_command_without_a_terminal_exits_2(deck_dir: Path, isolated_home: Path):
    program, prefix = command()
    env = dict(os.environ, CJSTUDY_HOME=str(isolated_home))
    result = subprocess.run([program, *prefix, "--decks", str(deck_dir), "study"], stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, env=env, timeout=TIMEOUT)
    assert result.returncode == 2
    assert result.stderr.startswith("error: `cjstudy study` reads single key presses")
    assert result.stdout == "" and "Traceback" not in result.stderr


def test_a_multi_line_paste_in_typed_mode_never_rates_or_buries(deck_dir: Path, isolated_home: Path):
    """The rest of a paste after its first line is text: `s` in it must not bury, Enter not rate."""
    child = spawn(["--decks", str(deck_dir), "study", "--deck", "pty-study", "--type"], isolated_home)
    try:
        child.expect("your answer")
        child.send("First back\r\nsssss\r\n\r\n")  # one paste: an answer, then letters and Enters
        child.expect("✓ right")
        child.expect("space/enter: ")
        child.send("3")  # the student's own rating, after the paste
        child.expect("→ Good")
        child.expect("your answer")
        child.sendcontrol("d")
        child.expect("session summary")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert stored(isolated_home) == [("pty-study/one", Rating.GOOD)]
    with open_store(store_path({"CJSTUDY_HOME": str(isolated_home)})) as store:
        assert store.state(CardKey("pty-study", "two")).state == "new"  # not buried by the pasted s


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_terminate_or_hangup_unwinds_and_exits_128_plus_the_signal(deck_dir: Path, isolated_home: Path, signum):
    """Killed politely while a key is awaited in raw mode: the handler unwinds (so the `finally`
    that restores the terminal runs) and the exit code says which signal it was."""
    import time

    statuses = []
    for _attempt in range(2):  # one retry: under heavy load the key wait may not have begun yet
        child = spawn(["--decks", str(deck_dir), "study", "--deck", "pty-study"], isolated_home)
        try:
            child.expect("show answer")
            time.sleep(0.3)  # let it reach the raw-mode key wait
            child.kill(signum)
            child.expect(pexpect.EOF)
            child.wait()
        finally:
            child.close(force=True)
        statuses.append((child.signalstatus, child.exitstatus))
        if statuses[-1] == (None, 128 + signum):
            break
    assert statuses[-1] == (None, 128 + signum), statuses
