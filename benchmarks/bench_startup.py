"""Start-up: `cjstudy --help`, `cjstudy decks` and time to first card, against a bare Typer app."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_APP = '''
import typer

app = typer.Typer()


@app.command()
def hello(name: str = "world") -> None:
    """Say hello."""
    typer.echo(f"hello {name}")


@app.command()
def bye() -> None:
    """Say bye."""
    typer.echo("bye")


if __name__ == "__main__":
    app()
'''

# A one-command Typer app (Typer runs it without a command name): the baseline for the time to
# the first card, the number a student feels (issue 17).
BARE_ONE_APP = '''
import typer


def main(name: str = "world") -> None:
    """Say hello."""
    typer.echo(f"hello {name}")


if __name__ == "__main__":
    typer.run(main)
'''

FIRST_CARD = r"─ (recall|fill the gap|list|put in order|choose) ─"


def _median_run(argv: list[str], runs: int, env: dict[str, str]) -> float:
    return _interleaved({"only": argv}, runs, env)["only"]


def _interleaved(commands: dict[str, list[str]], runs: int, env: dict[str, str],
                 cpu: dict[str, float] | None = None) -> dict[str, float]:
    """Median wall time of each command, run in turn round after round, so a burst of load
    on this shared machine hits the baseline and our commands alike.

    With `cpu`, also fills it with each command's median CPU time (user + system of the child):
    the work the command does, which other processes' load barely changes."""
    import resource

    times: dict[str, list[float]] = {name: [] for name in commands}
    cpu_times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            times[name].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu_times[name].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if cpu is not None:
        cpu.update({name: statistics.median(values) for name, values in cpu_times.items()})
    return {name: statistics.median(values) for name, values in times.items()}


def _first_card_seconds(runs: int, env: dict[str, str]) -> float | None:
    try:
        import pexpect
    except ImportError:
        return None
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as home:
            child_env = dict(env, CJSTUDY_HOME=home)
            start = time.perf_counter()
            child = pexpect.spawn(sys.executable, ["-m", "cjstudy", "study"], env=child_env,
                                  encoding="utf-8", dimensions=(40, 100), timeout=30)
            try:
                child.expect(FIRST_CARD)
            except (pexpect.TIMEOUT, pexpect.EOF):
                child.close(force=True)
                return None
            times.append(time.perf_counter() - start)
            child.close(force=True)
    return statistics.median(times)


FIRST_QUESTION = r"Question 1/5.*?> "

# The marginal import cost of the exam's line editor next to Python's readline, each in a
# fresh interpreter that has already loaded what the exam screen needs anyway.
IMPORT_PROBE = """
import time, rich.console, rich.cells, cjstudy.exam.questions, cjstudy.ui.card_view
start = time.perf_counter(); import {module}; print(time.perf_counter() - start)
"""


def _import_seconds(module: str, runs: int, env: dict[str, str]) -> float:
    """Median marginal import time with bytecode cached, as in an installed copy (one warm-up run)."""
    env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    times = []
    for run in range(runs + 1):
        out = subprocess.run([sys.executable, "-c", IMPORT_PROBE.format(module=module)], env=env,
                             capture_output=True, text=True, check=True)
        if run:
            times.append(float(out.stdout.strip()))
    return statistics.median(times)


def _first_question_seconds(runs: int, env: dict[str, str]) -> float | None:
    try:
        import pexpect
    except ImportError:
        return None
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        child = pexpect.spawn(sys.executable, ["-m", "cjstudy", "exam", "-n", "5", "--seed", "1"], env=env,
                              encoding="utf-8", dimensions=(24, 80), timeout=30)
        try:
            child.expect(FIRST_QUESTION)
        except (pexpect.TIMEOUT, pexpect.EOF):
            child.close(force=True)
            return None
        times.append(time.perf_counter() - start)
        child.close(force=True)
    return statistics.median(times)


def measure_startup(quick: bool) -> list:
    from run import Figure

    runs = 3 if quick else 15
    env = dict(os.environ, NO_COLOR="1")
    # As on a user's machine, compiled bytecode is written once and reused (this machine sets
    # PYTHONDONTWRITEBYTECODE, which would make every start recompile cjstudy's changed modules
    # while Typer's come precompiled from its wheel: an unfair comparison).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("CJSTUDY_DECKS", None)
    with tempfile.TemporaryDirectory() as folder:
        bare = Path(folder) / "bare.py"
        bare.write_text(BARE_APP)
        bare_one = Path(folder) / "bare_one.py"
        bare_one.write_text(BARE_ONE_APP)
        env["CJSTUDY_HOME"] = folder
        python = sys.executable
        commands = {
            "bare_help": [python, str(bare), "--help"],
            "bare_cmd": [python, str(bare), "hello"],
            "bare_one": [python, str(bare_one)],
            "ours_help": [python, "-m", "cjstudy", "--help"],
            "ours_decks": [python, "-m", "cjstudy", "decks"],
        }
        _interleaved(commands, 1, env)  # warm the file cache and the deck cache: not measured
        cpu: dict[str, float] = {}
        medians = _interleaved(commands, runs, env, cpu)
        bare_help, bare_cmd, bare_one_cmd = medians["bare_help"], medians["bare_cmd"], medians["bare_one"]
        ours_help, ours_decks = medians["ours_help"], medians["ours_decks"]
        first_card = _first_card_seconds(max(1, runs // 3), env)
        first_question = _first_question_seconds(max(1, runs // 3), env)
        editor_import = _import_seconds("cjstudy.ui.line_editor", runs, env)
        readline_import = _import_seconds("readline", runs, env)
    figures = [
        Figure("bare Typer app --help (baseline)", bare_help * 1000, "ms"),
        Figure("bare Typer app command (baseline)", bare_cmd * 1000, "ms"),
        Figure("bare one-command Typer app (baseline)", bare_one_cmd * 1000, "ms"),
        Figure("cjstudy --help", ours_help * 1000, "ms", "bare --help", ours_help / bare_help,
               "≤ 1.25×", ours_help / bare_help <= 1.25),
        Figure("cjstudy decks", ours_decks * 1000, "ms", "bare command", ours_decks / bare_cmd,
               "≤ 1.2×", ours_decks / bare_cmd <= 1.2),
        Figure("cjstudy decks, CPU time", cpu["ours_decks"] * 1000, "ms", "bare command CPU",
               cpu["ours_decks"] / cpu["bare_cmd"], "≤ 1.2×", cpu["ours_decks"] / cpu["bare_cmd"] <= 1.2),
    ]
    if first_card is not None:
        figures.append(Figure("time to first card (cjstudy study, pty)", first_card * 1000, "ms",
                              "cjstudy --help", first_card / ours_help))
        figures.append(Figure("time to first card vs a bare one-command Typer app", first_card * 1000, "ms",
                              "bare one-command app", first_card / bare_one_cmd, "≤ 1.5×",
                              first_card / bare_one_cmd <= 1.5))
    if first_question is not None:
        figures.append(Figure("time to first exam question (cjstudy exam, pty)", first_question * 1000, "ms",
                              "cjstudy --help", first_question / ours_help))
    figures.append(Figure("import readline (baseline for the line editor)", readline_import * 1000, "ms"))
    figures.append(Figure("import cjstudy.ui.line_editor (exam, study --type)", editor_import * 1000, "ms",
                          "import readline", editor_import / readline_import))
    return figures
