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

FIRST_CARD = r"· (recall|fill the gap|list|put in order|choose)"


def _median_run(argv: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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


def measure_startup(quick: bool) -> list:
    from run import Figure

    runs = 3 if quick else 15
    env = dict(os.environ, NO_COLOR="1")
    env.pop("CJSTUDY_DECKS", None)
    with tempfile.TemporaryDirectory() as folder:
        bare = Path(folder) / "bare.py"
        bare.write_text(BARE_APP)
        env["CJSTUDY_HOME"] = folder
        python = sys.executable
        # Warm the file cache once so the first measured run is not an outlier.
        _median_run([python, str(bare), "--help"], 1, env)
        _median_run([python, "-m", "cjstudy", "--help"], 1, env)
        bare_help = _median_run([python, str(bare), "--help"], runs, env)
        bare_cmd = _median_run([python, str(bare), "hello"], runs, env)
        ours_help = _median_run([python, "-m", "cjstudy", "--help"], runs, env)
        ours_decks = _median_run([python, "-m", "cjstudy", "decks"], runs, env)
        first_card = _first_card_seconds(max(1, runs // 3), env)
    figures = [
        Figure("bare Typer app --help (baseline)", bare_help * 1000, "ms"),
        Figure("bare Typer app command (baseline)", bare_cmd * 1000, "ms"),
        Figure("cjstudy --help", ours_help * 1000, "ms", "bare --help", ours_help / bare_help,
               "≤ 1.25×", ours_help / bare_help <= 1.25),
        Figure("cjstudy decks", ours_decks * 1000, "ms", "bare command", ours_decks / bare_cmd,
               "≤ 1.5×", ours_decks / bare_cmd <= 1.5),
    ]
    if first_card is not None:
        figures.append(Figure("time to first card (cjstudy study, pty)", first_card * 1000, "ms",
                              "cjstudy --help", first_card / ours_help))
    return figures
