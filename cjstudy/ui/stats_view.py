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
        return {"total_reviews": self.total_reviews, "cards_seen": self.cards_seen, "due_now": self.due_now,
                "cards": self.cards, "decks": [d.to_dict() for d in self.decks]}


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


def stats_table(report: StatsReport) -> Any:
    """The human table; deck ids (not titles) keep it inside 80 columns."""
    from rich.table import Table

    title = (f"{report.cards_seen} of {report.cards} cards seen · {report.due_now} due now · "
             f"{report.total_reviews} reviews")
    table = Table(title=title, title_justify="left", show_footer=len(report.decks) > 1)
    columns = ("deck", "cards", "new", "learning", "review", "due now", "reviews")
    totals = ("total", report.cards, sum(d.new for d in report.decks), sum(d.learning for d in report.decks),
              sum(d.review for d in report.decks), report.due_now, sum(d.reviews for d in report.decks))
    for name, total in zip(columns, totals):
        table.add_column(name, justify="left" if name == "deck" else "right", footer=str(total),
                         overflow="fold" if name == "deck" else "ellipsis", no_wrap=name != "deck")
    for d in report.decks:
        table.add_row(d.id, str(d.cards), str(d.new), str(d.learning), str(d.review), str(d.due_now),
                      str(d.reviews))
    return table
