"""`decks`, `validate` and `show`: the instructor's view of the deck files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from cjstudy.cli.app import app
from cjstudy.cli.common import DECKS_OPTION_HELP, deck_files_to_check, load_decks


@app.command("decks")
def list_decks(
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list instead of a table."),
    decks: Optional[list[Path]] = typer.Option(None, "--decks", help=DECKS_OPTION_HELP, metavar="DIR"),
) -> None:
    """List the loaded decks: id, title, language, cards and how many are due now.

    `--json` adds the path, notes, source, description and tags of each deck.

    Examples: cjstudy decks  ·  cjstudy decks --json
    """
    deck_set = load_decks(decks)
    due = _due_by_deck()
    if as_json:
        rows = [
            {
                "id": d.id, "title": d.title, "language": d.language, "path": d.path,
                "notes": len(d.notes), "cards": len(d.cards), "due": due.get(d.id, 0), "source": d.source,
                "description": d.description, "tags": list(d.tags), "bundled": d.bundled,
            }
            for d in deck_set.decks
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from cjstudy.ui.deck_table import print_deck_table

    print_deck_table(deck_set.decks, due)


def _due_by_deck() -> dict[str, int]:
    """Cards due now per deck; reading never creates a store (none yet: nothing is due)."""
    import os

    from cjstudy.paths import store_path

    if not store_path(os.environ).exists():
        return {}
    from cjstudy.cli.common import now
    from cjstudy.cli.insight_support import existing_store

    with existing_store() as store:
        return store.count_due_by_deck(now()) if store is not None else {}


@app.command("validate")
def validate(
    paths: Optional[list[Path]] = typer.Argument(
        None, metavar="[PATH]...",
        help="Deck files or folders (default: the deck files of the current folder, else the loaded decks)."),
    strict: bool = typer.Option(False, "--strict", help="Treat warnings as errors."),
    decks: Optional[list[Path]] = typer.Option(None, "--decks", help=DECKS_OPTION_HELP, metavar="DIR"),
) -> None:
    """Check deck files and report every problem as file:line:column.

    Without a path it checks the deck files of the current folder when there are any (YAML
    files with a top-level `deck:` line), else the loaded decks (bundled, --decks and
    CJSTUDY_DECKS). Exit code 0 when there are no errors, 1 when there are (with --strict,
    warnings count too).

    Examples: cjstudy validate  ·  cjstudy validate decks/  ·  cjstudy validate --strict decks/touch-points.yaml
    """
    from cjstudy.deck import read_all

    files, what = deck_files_to_check(paths, decks)
    loaded, problems = read_all(files)
    for problem in problems:
        typer.echo(str(problem))
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    cards = sum(len(d.cards) for d in loaded)
    typer.echo(f"checked {what}: "
               f"{len(files)} file{'s' * (len(files) != 1)}, {len(loaded)} deck{'s' * (len(loaded) != 1)}, "
               f"{cards} card{'s' * (cards != 1)}: "
               f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}")
    if errors or (strict and warnings):
        raise typer.Exit(1)


@app.command("show")
def show(
    deck_id: str = typer.Argument(..., metavar="DECK", help="Deck id (see `cjstudy decks`)."),
    card_id: Optional[str] = typer.Argument(None, metavar="[CARD]", help="Card id, optionally with @variant."),
    decks: Optional[list[Path]] = typer.Option(None, "--decks", help=DECKS_OPTION_HELP, metavar="DIR"),
) -> None:
    """Preview a deck, or one card, as the student will see it (question, then answer).

    Examples: cjstudy show touch-points  ·  cjstudy show touch-points tp-categories  ·
    cjstudy show service-blueprint blueprinting-maps@c2
    """
    from rich.rule import Rule

    from cjstudy.ui.card_view import card_panel
    from cjstudy.ui.console import make_console

    deck_set = load_decks(decks)
    deck = deck_set.require_deck(deck_id)
    if card_id is None:
        cards = list(deck.cards)
    elif "@" in card_id:
        cards = [deck_set.resolve(f"{deck_id}/{card_id}")]
    else:
        cards = [c for c in deck.cards if c.key.card == card_id] or [deck_set.resolve(f"{deck_id}/{card_id}")]
    console = make_console()
    if card_id is None:
        console.print(Rule(f"{deck.title} ({deck.id}, {deck.language}) · {len(deck.cards)} cards", align="left"))
        if deck.description:
            console.print(deck.description)
        console.print(f"source: {deck.source or 'not given'} · file: {deck.path}", style="dim", highlight=False)
    for card in cards:
        console.print(card_panel(card, reveal=True))
