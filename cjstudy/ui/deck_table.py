"""The `cjstudy decks` table: id, title, language, cards and due, one line per deck.

It lays itself out for the console's width: titles are cut with an ellipsis rather than
wrapped, long ids fold, and below 70 columns the headers shorten, so a deck stays on one
line at 60 columns and the title column never vanishes. Where a deck came from (`source`)
is for `show DECK` and `decks --json`, not for the student's list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cjstudy.model import Deck

ID_WIDTH = 24  # longer ids (imported decks) fold onto a second line
MIN_TITLE = 18  # below this the ids fold rather than the titles vanish
READING_WIDTH = 100  # wider terminals get no wider table


class DeckTable:
    """A Rich renderable; `due` maps deck ids to cards due now (empty without a store)."""

    def __init__(self, decks: Sequence[Deck], due: Mapping[str, int]) -> None:
        self.decks, self.due = decks, due

    def __rich_console__(self, console: Any, options: Any):  # type: ignore[no-untyped-def]
        from rich.table import Table

        width = min(options.max_width, READING_WIDTH)
        narrow = width < 70
        lang = "lang" if narrow else "language"
        rows = [(d.id, d.title, d.language, str(len(d.cards)), str(self.due.get(d.id, 0))) for d in self.decks]
        fixed = [max([len(r[i]) for r in rows] + [len(name)]) for i, name in ((2, lang), (3, "cards"), (4, "due"))]
        id_width = min(ID_WIDTH, max([len(r[0]) for r in rows] + [2]))
        overhead = 2 * 4  # one space of padding either side of each of the four column gaps
        title_width = width - overhead - sum(fixed) - id_width
        if title_width < MIN_TITLE:  # very narrow: ids fold so the title keeps its room
            id_width = max(8, id_width - (MIN_TITLE - title_width))
            title_width = width - overhead - sum(fixed) - id_width
        longest_title = max([len(r[1]) for r in rows] + [5])
        title_width = max(5, min(title_width, longest_title))
        cards = sum(len(d.cards) for d in self.decks)
        due = sum(self.due.values())
        table = Table(title=f"{len(self.decks)} decks, {cards} cards, {due} due now", title_justify="left",
                      box=None, pad_edge=False, padding=(0, 1), header_style="bold underline")
        table.add_column("id", width=id_width, overflow="fold")
        table.add_column("title", width=title_width, no_wrap=True, overflow="ellipsis")
        table.add_column(lang, width=fixed[0], no_wrap=True)
        table.add_column("cards", width=fixed[1], justify="right", no_wrap=True)
        table.add_column("due", width=fixed[2], justify="right", no_wrap=True)
        for row in rows:
            table.add_row(*row)
        yield table
