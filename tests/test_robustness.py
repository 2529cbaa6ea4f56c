"""Issue-level robustness: two study sessions at once on one store, and a full disk."""

from __future__ import annotations

import io
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from cjstudy.errors import StoreError
from cjstudy.model import CardKey, CardState, Rating, Review
from cjstudy.paths import store_path
from cjstudy.store import open_store

pexpect = pytest.importorskip("pexpect")

from test_pty_study import DECK, rate, spawn, stored  # noqa: E402  (shared pty helpers)


def test_two_study_sessions_at_once_both_work_and_keep_every_rating(tmp_path: Path, isolated_home: Path):
    folder = tmp_path / "shared-decks"
    folder.mkdir()
    (folder / "pty-study.yaml").write_text(DECK, encoding="utf-8")
    args = ["--decks", str(folder), "study", "--deck", "pty-study"]
    first = spawn(args, isolated_home)
    second = spawn(args, isolated_home)
    first.logfile_read, second.logfile_read = io.StringIO(), io.StringIO()
    try:
        rate(first, "3", "Good")
        rate(second, "4", "Easy")   # the same first card, answered again from the other terminal
        rate(first, "1", "Again")
        rate(second, "2", "Hard")
        rate(first, "3", "Good")
        for child in (first, second):
            child.expect("show answer")
            child.send("q")
            child.expect("session summary")
            child.expect(pexpect.EOF)
    except (pexpect.EOF, pexpect.TIMEOUT) as stopped:
        # Keep what both terminals showed, so a rare failure under load says why.
        raise AssertionError(f"{type(stopped).__name__}\n--- first ---\n{first.logfile_read.getvalue()[-1500:]}"
                             f"\n--- second ---\n{second.logfile_read.getvalue()[-1500:]}") from None
    finally:
        first.close(force=True)
        second.close(force=True)
    assert first.exitstatus == 0 and second.exitstatus == 0
    ratings = sorted(r for _, r in stored(isolated_home))
    assert ratings == sorted([Rating.GOOD, Rating.EASY, Rating.AGAIN, Rating.HARD, Rating.GOOD])


NOW = datetime(2026, 11, 23, 10, tzinfo=timezone.utc)


def review(n: int) -> Review:
    after = CardState(state="review", stability=3.0, difficulty=5.0, due=NOW + timedelta(days=3),
                      last_review=NOW, reps=1)
    return Review(CardKey("full-disk", f"card-{n:05d}", ""), NOW, Rating.GOOD, 1200, CardState(), after)


def test_full_disk_gives_a_clear_error_and_keeps_what_was_saved(isolated_home: Path):
    """SQLite's max_page_count makes the file 'full' exactly like a full disk (SQLITE_FULL)."""
    path = store_path({"CJSTUDY_HOME": str(isolated_home)})
    saved = 0
    with open_store(path, now=NOW) as store:
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count = {pages + 3}")
        with pytest.raises(StoreError) as failure:
            for n in range(100_000):
                store.record_review(review(n))
                saved += 1
    message = str(failure.value)
    assert str(path) in message and "free some disk space" in message
    assert "\n" not in message
    assert 0 < saved < 100_000
    with open_store(path, now=NOW) as store:
        assert len(list(store.reviews())) == saved  # every answer before the failure is kept, none half-written
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


OPEN_AT = """
import sys, time
from datetime import datetime, timezone
from cjstudy.store import open_store
start = float(sys.argv[2])
while time.time() < start:
    pass
with open_store(sys.argv[1], now=datetime.now(timezone.utc)):
    pass
"""


def test_sessions_opening_a_new_store_at_the_same_moment_all_succeed(tmp_path: Path):
    """Switching a fresh file to WAL can fail at once with 'locked'; opening must wait instead."""
    import subprocess
    import sys
    import time

    for round_ in range(5):
        path = tmp_path / f"round-{round_}" / "progress.sqlite3"
        start = time.time() + 1.0
        children = [subprocess.Popen([sys.executable, "-c", OPEN_AT, str(path), str(start)],
                                     stderr=subprocess.PIPE, text=True) for _ in range(4)]
        for child in children:
            _, err = child.communicate(timeout=60)
            assert child.returncode == 0, err


# --- the standard streams as a shell may leave them -------------------------------------------


def _shell(command: str, env) -> "subprocess.CompletedProcess[str]":
    import shutil
    import subprocess

    cjstudy = shutil.which("cjstudy")
    assert cjstudy, "the installed cjstudy script"
    return subprocess.run(["sh", "-c", command.replace("cjstudy", cjstudy, 1)], capture_output=True, text=True,
                          env=env, timeout=60)


@pytest.mark.parametrize("command, code, message", [
    ("cjstudy --help > /dev/full", 1, "error: standard output: No space left on device"),
    ("cjstudy decks >&-", 1, "error: standard output is closed; nothing can be shown"),
    ("cjstudy grade service-blueprint/blueprint-backstage - <&-", 0, ""),
    ("cjstudy exam -n 1 --seed 1 <&-", 0, ""),
])
def test_closed_or_failing_streams_give_one_line_and_an_honest_code(command, code, message):
    import os

    result = _shell(command, dict(os.environ))
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    if message:
        assert result.stderr.strip().splitlines() == [message]


def test_what_the_student_typed_is_printed_without_its_escape_codes():
    """`grade` quotes the answer in its feedback: an escape code in it is shown, never obeyed."""
    import os
    import shutil
    import subprocess

    cjstudy = shutil.which("cjstudy")
    assert cjstudy
    result = subprocess.run([cjstudy, "grade", "touch-points/tp-categories", "brand\x1b[2J\x1b]2;pwned\x07-owned"],
                            capture_output=True, text=True, env=dict(os.environ), timeout=60)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout and "[2J" in result.stdout


def test_echo_keeps_its_own_styles_but_drops_other_control_codes():
    import io

    import typer

    from cjstudy.cli import _echo_without_control_characters

    saved = typer.echo
    try:
        _echo_without_control_characters()
        out = io.StringIO()
        typer.echo(typer.style("also accepted", dim=True) + " \x1b[2J\x1b]2;t\x07", file=out, color=True)
    finally:
        typer.echo = saved
    assert out.getvalue() == "\x1b[2malso accepted\x1b[0m [2J]2;t\n"


def test_grade_in_a_terminal_with_no_color_prints_no_escape_codes(tmp_path):
    import os
    import shutil

    pexpect = pytest.importorskip("pexpect")
    env = dict(os.environ, NO_COLOR="1", CJSTUDY_HOME=str(tmp_path), TERM="xterm")
    child = pexpect.spawn(shutil.which("cjstudy"), ["grade", "touch-points/tp-categories", "brand-owned"],
                          env=env, encoding="utf-8", timeout=60)
    child.expect(pexpect.EOF)
    child.close()
    assert "also accepted" in child.before and "\x1b" not in child.before and "[2m" not in child.before
