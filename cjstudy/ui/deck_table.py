"""The `cjstudy decks` table: id, title, language, cards and due, one line per deck.

It lays itself out for the terminal's width (capped at the reading width): titles are cut
with an ellipsis rather than wrapped, ids longer than ID_WIDTH fold onto a second line, and
below 70 columns the language header shortens, so a deck stays on one line at 60 columns
and the title column never vanishes. Where a deck came from (`source`) is for `show DECK`
and `decks --json`, not for the student's list.

Plain text on purpose, without Rich: `decks` is the command people run first and often, and
formatting five columns by hand keeps its start-up close to a bare Typer command.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cjstudy.model import Deck

ID_WIDTH = 24  # longer ids (imported decks) fold onto a second line
MIN_TITLE = 18  # below this the ids fold rather than the titles vanish
READING_WIDTH = 100  # wider terminals get no wider table
GAP = "  "


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:max(0, width - 1)] + "…"


def deck_table_lines(decks: Sequence[Deck], due: Mapping[str, int], width: int) -> list[str]:
    """The table as lines of at most `width` characters (the first is the title line)."""
    width = min(width, READING_WIDTH)
    lang = "lang" if width < 70 else "language"
    rows = [(d.id, d.title, d.language, str(len(d.cards)), str(due.get(d.id, 0))) for d in decks]
    fixed = [max([len(r[i]) for r in rows] + [len(name)]) for i, name in ((2, lang), (3, "cards"), (4, "due"))]
    id_width = min(ID_WIDTH, max([len(r[0]) for r in rows] + [2]))
    spare = width - len(GAP) * 4 - sum(fixed)
    if spare - id_width < MIN_TITLE:  # very narrow: ids fold so the title keeps its room
        id_width = max(8, spare - MIN_TITLE)
    title_width = max(5, min(spare - id_width, max([len(r[1]) for r in rows] + [5])))
    widths = (id_width, title_width, *fixed)

    def line(cells: Sequence[str]) -> str:
        parts = [cells[0].ljust(widths[0]), _cut(cells[1], widths[1]).ljust(widths[1]), cells[2].ljust(widths[2]),
                 cells[3].rjust(widths[3]), cells[4].rjust(widths[4])]
        return GAP.join(parts).rstrip()

    cards = sum(len(d.cards) for d in decks)
    out = [f"{len(decks)} decks, {cards} cards, {sum(due.values())} due now",
           line(("id", "title", lang, "cards", "due"))]
    for row in rows:
        ident = row[0]
        out.append(line((ident[:id_width], *row[1:])))
        for start in range(id_width, len(ident), id_width):  # the rest of a long id, folded
            out.append(ident[start:start + id_width])
    return out


def print_deck_table(decks: Sequence[Deck], due: Mapping[str, int]) -> None:
    """Write the table to standard output at the terminal's width (COLUMNS honoured)."""
    import os
    import shutil
    import sys

    width = shutil.get_terminal_size((80, 24)).columns
    lines = deck_table_lines(decks, due, width)
    bold = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    if bold:
        lines[1] = f"\x1b[1m{lines[1]}\x1b[0m"
    sys.stdout.write("\n".join(lines) + "\n")
