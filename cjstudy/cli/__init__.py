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
    app(prog_name="cjstudy")  # the same name in messages whether run as a script or with -m
