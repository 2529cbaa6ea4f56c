"""The Typer application object and the error boundary every command runs inside.

Command modules import `app` from here and register with `@app.command()`. They keep heavy
imports inside the command functions so that `cjstudy --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from typer.core import TyperGroup

from cjstudy import __version__
from cjstudy.errors import CjstudyError


class ErrorReportingGroup(TyperGroup):
    """Turns our own errors into one line on stderr and an exit code, never a traceback."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # type: ignore[override]
        """Usage errors (bad option values, unknown commands) as one `error:` line, exit 2.

        Click's own display is three lines (usage, a hint, the error); the project's rule for
        bad input is one line that says what and where.
        """
        from cjstudy.cli.lazy_params import skip_coercing_missing

        skip_coercing_missing(self)
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError

        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except NoArgsIsHelpError as error:  # bare `cjstudy` or a group without its command: the help
            typer.echo(error.format_message(), err=True)
            sys.exit(error.exit_code)
        except UsageError as error:
            where = f"{error.ctx.command_path}: " if error.ctx is not None else ""
            hint = f" (see `{error.ctx.command_path} --help`)" if error.ctx is not None else ""
            report(f"{where}{_our_did_you_mean(error.format_message())}{hint}")
            sys.exit(error.exit_code)
        except ClickException as error:
            report(error.format_message())
            sys.exit(error.exit_code)
        sys.exit(result if isinstance(result, int) else 0)

    def get_command(self, ctx, cmd_name):  # type: ignore[override]
        """Each command with its help laid out the cjstudy way (`cli/help_format.py`)."""
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            from cjstudy.cli.help_format import tidy_command
            from cjstudy.cli.lazy_params import skip_coercing_missing

            tidy_command(command)
            for one in (command, *getattr(command, "commands", {}).values()):
                skip_coercing_missing(one)
                if ctx.resilient_parsing:  # shell completion is asking
                    from cjstudy.cli.completion import attach_completion

                    attach_completion(one)
        return command

    def invoke(self, ctx: typer.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except CjstudyError as error:
            report(str(error))
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            report("interrupted")
            raise typer.Exit(130) from None
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            report(f"{where}{error.strerror or error}")
            raise typer.Exit(1) from None


def _our_did_you_mean(message: str) -> str:
    """Click's 'Did you mean X?' and '(Possible options: …)' in the one form every cjstudy
    message uses: ` (did you mean 'x'?)`."""
    import re

    message = re.sub(r"\.? Did you mean '?([^'?]+)'?\?", r" (did you mean '\1'?)", message)
    return re.sub(r" \(Possible options: ([^,)]+)[^)]*\)", r" (did you mean '\1'?)", message)


def report(message: str) -> None:
    from cjstudy.ui.safe_text import printable  # an error may quote a file's text: never its escape codes

    for line in message.splitlines() or [message]:
        prefix = "" if _has_position(line) else "error: "
        typer.echo(printable(f"{prefix}{line}"), err=True)


def _has_position(line: str) -> bool:
    """Lines like `file:3:1: error: …` already say what they are."""
    return ": error: " in line or ": warning: " in line


# Options given before the command name; the root callback fills this on every invocation.
GLOBAL_OPTIONS: dict[str, list[Path]] = {"decks": []}

app = typer.Typer(
    cls=ErrorReportingGroup,
    name="cjstudy",
    help="Flashcards and mock exams for customer-journey and service-marketing concepts.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"cjstudy {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    decks: Optional[list[Path]] = typer.Option(
        None, "--decks", metavar="DIR", help="Extra folder of deck files for any command (repeatable).",
    ),
    version: bool = typer.Option(
        False, "--version", "-V", callback=_version_callback, is_eager=True,
        help="Show the version and exit.",
    ),
) -> None:
    """Flashcards and mock exams for customer-journey and service-marketing concepts.

    Start with `cjstudy study`; `cjstudy decks` lists what there is to learn.
    """
    GLOBAL_OPTIONS["decks"] = list(decks or [])

