"""`lint`: item-writing checks for instructors (the rules are in docs/lint.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from cjstudy.cli.app import app
from cjstudy.cli.common import DECKS_OPTION_HELP, deck_files_to_check


@app.command("lint")
def lint(
    paths: Optional[list[Path]] = typer.Argument(
        None, metavar="[PATH]...",
        help="Deck files or folders (default: the deck files of the current folder, else the loaded decks)."),
    as_json: bool = typer.Option(False, "--json", help="Print the findings as a JSON list."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when there is any warning."),
    decks: Optional[list[Path]] = typer.Option(None, "--decks", help=DECKS_OPTION_HELP, metavar="DIR"),
) -> None:
    """Check cards against item-writing rules: guessable options, trivia gaps, two questions in one.

    Each warning is file:line:col: warning: message [rule]; silence a rule on one card with
    `lint: {ignore: [rule]}`. Without a path it checks what `validate` would: the deck files of
    the current folder when there are any, else the loaded decks. Exit 1 on deck errors, and
    with --strict on any warning.

    Examples: cjstudy lint  ·  cjstudy lint my-decks/ --strict  ·  cjstudy lint my-folder/my-topic.yaml --json
    """
    from cjstudy.deck.lint import lint_files

    files = [path for path, _bundled in deck_files_to_check(paths, decks)[0]]
    result = lint_files(files)
    if as_json:
        rows = [f.to_dict() for f in result.findings]
        rows += [{"path": p.path, "line": p.line, "column": p.column, "severity": "error",
                  "rule": "validate", "message": p.message, "deck": "", "card": ""} for p in result.errors]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for problem in result.errors:
            typer.echo(str(problem))
        for finding in result.findings:
            typer.echo(str(finding))
        count = len(result.findings)
        typer.echo(f"{result.files} file{'s' * (result.files != 1)}, {result.cards} card{'s' * (result.cards != 1)}: "
                   f"{count} warning{'s' * (count != 1)}"
                   + (f", {len(result.errors)} error{'s' * (len(result.errors) != 1)} (see `cjstudy validate`)"
                      if result.errors else ""))
    if result.errors or (strict and result.findings):
        raise typer.Exit(1)
