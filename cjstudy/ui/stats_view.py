"""`cjstudy stats`: per-deck counts of cards, progress and reviews, as a table or JSON.

`collect_stats` is pure (decks, stored states, buried cards, review counts and `now` in, one
report out) so it is tested without a store; Rich is imported only to draw the table, so
`stats --json` stays light.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from cjstudy.model import CardKey, CardState, Deck

LEARNING_STATES = ("learning", "relearning")


@dataclass(frozen=True)
class DeckStats:
    """One deck's row. `seen` = started cards; `reviews` counts answers not undone."""

    id: str
    title: str
    cards: int
    seen: int
    new: int
    learning: int
    review: int
    due_now: int
    reviews: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class StatsReport:
    decks: list[DeckStats] = field(default_factory=list)
    total_reviews: int = 0  # every answer in the store that was not undone, loaded deck or not
    exam_date: str | None = None  # a saved exam (`plan --exam DATE --save`), YYYY-MM-DD
    exam_in_days: int | None = None

    @property
    def cards_seen(self) -> int:
        return sum(d.seen for d in self.decks)

    @property
    def due_now(self) -> int:
        return sum(d.due_now for d in self.decks)

    @property
    def cards(self) -> int:
        return sum(d.cards for d in self.decks)

    def to_dict(self) -> dict[str, Any]:
        """The `--json` shape: total_reviews, cards_seen, due_now, decks[{id, cards, seen, due_now, reviews, …}]."""
        exam = None if self.exam_date is None else {"date": self.exam_date, "days": self.exam_in_days}
        return {"total_reviews": self.total_reviews, "cards_seen": self.cards_seen, "due_now": self.due_now,
                "cards": self.cards, "decks": [d.to_dict() for d in self.decks], "exam": exam}


def collect_stats(decks: Sequence[Deck], states: Mapping[CardKey, CardState], buried: Iterable[CardKey],
                  reviews_by_deck: Mapping[str, int], total_reviews: int, now: datetime) -> StatsReport:
    """Count each deck's cards by state; a buried card is not due now, whatever its date."""
    hidden = set(buried)
    rows = []
    for deck in decks:
        seen = learning = review = due = 0
        for card in deck.cards:
            state = states.get(card.key)
            if state is None or state.is_new:
                continue
            seen += 1
            if state.state in LEARNING_STATES:
                learning += 1
            else:
                review += 1
            if state.due is not None and state.due <= now and card.key not in hidden:
                due += 1
        rows.append(DeckStats(deck.id, deck.title, len(deck.cards), seen, len(deck.cards) - seen, learning,
                              review, due, reviews_by_deck.get(deck.id, 0)))
    return StatsReport(rows, total_reviews)


COLUMNS = ("deck", "cards", "new", "learning", "review", "due now", "reviews")
DROP_ORDER = ("reviews", "learning", "new", "review")  # dropped first when the terminal is narrow


class _StatsTable:
    """The per-deck table at the console's width: narrow terminals drop columns, never stack letters."""

    def __init__(self, report: StatsReport) -> None:
        self.report = report

    def _cells(self) -> tuple[list[tuple[str, ...]], tuple[str, ...]]:
        report = self.report
        rows = [(d.id, str(d.cards), str(d.new), str(d.learning), str(d.review), str(d.due_now), str(d.reviews))
                for d in report.decks]
        totals = ("total", str(report.cards), str(sum(d.new for d in report.decks)),
                  str(sum(d.learning for d in report.decks)), str(sum(d.review for d in report.decks)),
                  str(report.due_now), str(sum(d.reviews for d in report.decks)))
        return rows, totals

    def __rich_console__(self, console, options):  # type: ignore[no-untyped-def]
        from rich.table import Table

        report = self.report
        rows, totals = self._cells()
        widths = [max(len(name), len(total), *(len(r[i]) for r in rows)) for i, (name, total)
                  in enumerate(zip(COLUMNS, totals))]
        keep = list(range(len(COLUMNS)))
        deck_min = min(widths[0], 16)

        def needed() -> int:
            return deck_min + sum(widths[i] for i in keep[1:]) + 3 * len(keep) + 1

        for name in DROP_ORDER:
            if needed() <= options.max_width:
                break
            keep.remove(COLUMNS.index(name))
        title = (f"{report.cards_seen} of {report.cards} cards seen · {report.due_now} due now · "
                 f"{report.total_reviews} reviews")
        table = Table(title=title, title_justify="left", show_footer=len(report.decks) > 1)
        for i in keep:
            name = COLUMNS[i]
            table.add_column(name, justify="left" if name == "deck" else "right", footer=totals[i],
                             overflow="fold" if name == "deck" else "ellipsis", no_wrap=name != "deck",
                             min_width=deck_min if name == "deck" else None)
        for row in rows:
            table.add_row(*(row[i] for i in keep))
        yield table
        if report.exam_date is not None and report.exam_in_days is not None:
            from rich.text import Text

            days = report.exam_in_days
            when = {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")
            yield Text(f"exam {when} ({report.exam_date}); `cjstudy plan` shows the day-by-day plan")


def stats_table(report: StatsReport) -> Any:
    """The human table; deck ids (not titles), and fewer columns when the terminal is narrow."""
    return _StatsTable(report)


def empty_state() -> str:
    """What `stats` says instead of empty charts when nothing has been answered yet."""
    return ("No reviews yet, so there is nothing to chart. Start with `cjstudy study` (or "
            "`cjstudy study --deck ID`; `cjstudy decks` lists them); progress shows here afterwards.")
