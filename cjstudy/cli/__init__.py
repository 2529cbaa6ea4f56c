"""Command-line entry point. Each module below registers its commands on the shared app."""

from __future__ import annotations

from cjstudy.cli.app import app
# Registration order is the order of `cjstudy --help`: the student's commands first.
from cjstudy.cli import study_commands  # noqa: F401
from cjstudy.cli import exam_commands  # noqa: F401
from cjstudy.cli import grade_commands  # noqa: F401
from cjstudy.cli import deck_commands  # noqa: F401  (registers decks, validate, show)
from cjstudy.cli import lint_commands  # noqa: F401
from cjstudy.cli import transfer_commands  # noqa: F401
from cjstudy.cli import insight_commands  # noqa: F401
from cjstudy.cli import backup_commands  # noqa: F401

__all__ = ["app", "main"]


def main() -> None:
    """Run the app with the standard streams as a shell may leave them: closed or failing.

    A closed stdin reads as end of input; a closed stdout is an error (exit 1) rather than
    output silently lost with exit 0; a stdout that fails (a full disk, `/dev/full`) is one
    `error:` line and exit 1; a reader that went away (`| head`) ends us quietly, as SIGPIPE
    would, with 141.
    """
    import os
    import sys

    _exit_cleanly_on_hangup_and_terminate()
    _echo_without_control_characters()
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")
    if sys.stdout is None:
        if sys.stderr is not None:
            print("error: standard output is closed; nothing can be shown", file=sys.stderr)
        sys.exit(1)
    try:
        try:
            app(prog_name="cjstudy")  # the same name in messages whether run as a script or with -m
        except SystemExit as finished:
            sys.stdout.flush()  # buffered output fails here, not at interpreter exit
            raise finished
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(141)
    except OSError as error:
        _silence_stdout()
        if sys.stderr is not None:
            print(f"error: standard output: {error.strerror or error}", file=sys.stderr)
        sys.exit(1)


def _echo_without_control_characters() -> None:
    """Every `typer.echo` line (titles, problems, feedback quoting the student) goes out without
    control characters, as the Rich console's output does (`ui/console.py`); colour and style
    sequences stay, so a `typer.style`d line keeps its look. JSON output is unaffected:
    `json.dumps` already writes control characters as escapes."""
    import typer

    from cjstudy.ui.safe_text import printable

    original = typer.echo
    if getattr(original, "_cjstudy_safe", False):
        return

    def echo(message: object = None, *args: object, **kwargs: object) -> None:
        original(printable(message, keep_style=True) if isinstance(message, str) else message, *args, **kwargs)

    echo._cjstudy_safe = True  # type: ignore[attr-defined]
    typer.echo = echo  # type: ignore[assignment]


def _exit_cleanly_on_hangup_and_terminate() -> None:
    """SIGTERM and SIGHUP unwind like an exception (exit 128+N), so every `finally` runs: the
    terminal leaves raw mode, temp files go, the store closes. Answers are already committed."""
    import signal

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            try:
                signal.signal(number, stop)
            except (OSError, ValueError):  # not the main thread, or not allowed here
                pass


def _silence_stdout() -> None:
    """Point stdout at /dev/null so Python's final flush does not fail a second time."""
    import os
    import sys

    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass
