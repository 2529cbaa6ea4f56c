"""`grade`: check one typed answer against one card, as study and exam would grade it."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Optional

import typer

from cjstudy.cli.app import app
from cjstudy.cli.common import DECKS_OPTION_HELP, load_decks


@app.command("grade")
def grade_answer(
    address: str = typer.Argument(..., metavar="ADDRESS", help="Card address: deck/card or deck/card@variant."),
    answer: str = typer.Argument(..., metavar="ANSWER", help="The typed answer; '-' reads it from standard input."),
    as_json: bool = typer.Option(False, "--json", help="Print {correct, score, expected, feedback, verdict} as JSON."),
    decks: Optional[list[Path]] = typer.Option(None, "--decks", help=DECKS_OPTION_HELP, metavar="DIR"),
) -> None:
    """Grade ANSWER for the card at ADDRESS: verdict, score, expected answer and feedback.

    The verdict is correct, partial, wrong or unsure (the grader cannot tell: in study and exam
    the student judges those answers). Answers are read in the deck's language: word forms,
    numerals, British/American spelling, negations and the deck's `synonyms:` all count.

    Typos, accents, optional parts and alternatives are judged as in `study`. The exit code is
    0 whatever the verdict; it is non-zero only when the card or deck cannot be found.

    Examples: cjstudy grade touch-points/tp-categories "brand-owned, partner-owned"  ·
    cjstudy grade service-blueprint/blueprinting-maps@c2 "back office processes" --json
    """
    from cjstudy.grading.grade import grade

    if answer == "-":
        answer = sys.stdin.read()
    deck_set = load_decks(decks)
    card = deck_set.resolve(address)
    deck = deck_set.deck(card.key.deck)
    result = grade(card, answer, siblings=deck.cards if deck is not None else ())
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    verdict = {"correct": "✓ correct", "unsure": "? unsure: judge it yourself against the answer"}.get(
        result.verdict, "✗ not correct")
    typer.echo(f"{verdict} (score {result.score:.2f})")
    typer.echo(f"expected: {result.expected}")
    if result.feedback:
        typer.echo(f"feedback: {result.feedback}")
    from cjstudy.ui.card_view import also_accepted

    also = also_accepted(card)
    if also:
        line = f"also accepted: {'; '.join(also)}"
        typer.echo(line if "NO_COLOR" in os.environ else typer.style(line, dim=True))
