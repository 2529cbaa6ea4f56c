"""Reading the review log (for stats and undo) and importing history from elsewhere."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from cjstudy.model import CardKey, CardState, Rating, Review
from cjstudy.store import codec
from cjstudy.store.base import StoreBase
from cjstudy.store.rows import ReviewRow

REVIEW_COLUMNS = ("r.id, c.deck, c.card, c.variant, r.reviewed_at, r.rating, r.duration_ms, r.source, "
                  "r.before_json, r.after_json")


def review_from_row(row: tuple) -> Review:
    rid, deck, card, variant, at, rating, duration, source, before, after = row
    return Review(CardKey(deck, card, variant), codec.from_ms(at), Rating(rating), duration,
                  codec.state_from_json(before), codec.state_from_json(after), source, rid)


class HistoryQueries(StoreBase):
    """Review-log queries. Undone reviews are left out unless asked for: stats ignore them."""

    def _history_filter(self, since: datetime | None, until: datetime | None, key: CardKey | None,
                        decks: Iterable[str] | None, sources: Iterable[str] | None,
                        include_undone: bool) -> tuple[str, list[Any]]:
        clauses: list[str] = ["1"]
        params: list[Any] = []
        if since is not None:
            clauses.append("r.reviewed_at >= ?")
            params.append(codec.to_ms(since))
        if until is not None:
            clauses.append("r.reviewed_at < ?")
            params.append(codec.to_ms(until))
        if key is not None:
            clauses.append("c.deck = ? AND c.card = ? AND c.variant = ?")
            params += [key.deck, key.card, key.variant]
        if not include_undone:
            clauses.append("r.undone_at IS NULL")
        if sources is not None:
            sources = list(sources)
            clauses.append(f"r.source IN ({', '.join('?' * len(sources))})")
            params += sources
        where, deck_params = self._deck_filter(decks)
        return " AND ".join(clauses) + where, params + deck_params

    def reviews(self, since: datetime | None = None, until: datetime | None = None, *,
                key: CardKey | None = None, decks: Iterable[str] | None = None,
                sources: Iterable[str] | None = None, include_undone: bool = False) -> list[Review]:
        """Reviews in [since, until), oldest first, with full before/after states."""
        where, params = self._history_filter(since, until, key, decks, sources, include_undone)
        rows = self._query(f"SELECT {REVIEW_COLUMNS} FROM review_log r JOIN card c ON c.id = r.card_id "
                           f"WHERE {where} ORDER BY r.reviewed_at, r.id", params)
        return [review_from_row(row) for row in rows]

    def review_rows(self, since: datetime | None = None, until: datetime | None = None, *,
                    decks: Iterable[str] | None = None, sources: Iterable[str] | None = None,
                    include_undone: bool = False, page: int = 5000) -> Iterator[ReviewRow]:
        """Like `reviews` but without state snapshots, read page by page: for stats over long histories.

        Each page is a complete query, so an abandoned iterator holds nothing open.
        """
        where, params = self._history_filter(since, until, None, decks, sources, include_undone)
        last = (-(2 ** 62), -1)
        while True:
            rows = self._query(
                "SELECT r.id, c.deck, c.card, c.variant, r.reviewed_at, r.rating, r.duration_ms, r.source, "
                f"r.state_before, r.undone_at FROM review_log r JOIN card c ON c.id = r.card_id WHERE {where} "
                "AND (r.reviewed_at > ? OR (r.reviewed_at = ? AND r.id > ?)) ORDER BY r.reviewed_at, r.id LIMIT ?",
                [*params, last[0], last[0], last[1], page])
            for rid, deck, card, variant, at, rating, duration, source, before, undone in rows:
                yield ReviewRow(rid, CardKey(deck, card, variant), codec.from_ms(at), Rating(rating), duration,
                                source, before, undone is not None)
            if len(rows) < page:
                return
            last = (rows[-1][4], rows[-1][0])

    def count_reviews(self, since: datetime | None = None, until: datetime | None = None, *,
                      include_undone: bool = False) -> int:
        where, params = self._history_filter(since, until, None, None, None, include_undone)
        return self._query(f"SELECT count(*) FROM review_log r JOIN card c ON c.id = r.card_id WHERE {where}",
                           params)[0][0]

    def count_reviews_by_deck(self, *, include_undone: bool = False) -> dict[str, int]:
        """Reviews per deck id in one grouped query (the `stats` column); undone ones left out."""
        where, params = self._history_filter(None, None, None, None, None, include_undone)
        return dict(self._query(f"SELECT c.deck, count(*) FROM review_log r JOIN card c ON c.id = r.card_id "
                                f"WHERE {where} GROUP BY c.deck", params))

    def count_new_introduced(self, since: datetime, until: datetime) -> int:
        """Cards first studied in [since, until): what the daily new-card limit counts (imports excluded)."""
        return self._query(
            "SELECT count(DISTINCT card_id) FROM review_log WHERE reviewed_at >= ? AND reviewed_at < ? "
            "AND state_before = 'new' AND undone_at IS NULL AND source <> 'import'",
            (codec.to_ms(since), codec.to_ms(until)))[0][0]

    def import_history(self, key: CardKey, reviews: Sequence[Review], final: CardState) -> bool:
        """Add imported history (e.g. an Anki revlog) for a card that has none; False if it has some."""
        return self.import_histories([(key, reviews, final)]) == 1

    def import_histories(self, items: Iterable[tuple[CardKey, Sequence[Review], CardState]]) -> int:
        """Import many cards' histories in ONE transaction; cards that already have history are skipped.

        Returns how many cards were imported. An import never half-lands: any error rolls back all.
        """
        imported = 0
        with self._write() as db:
            for key, reviews, final in items:
                if not reviews:
                    continue
                stamp = codec.to_ms(max(r.reviewed_at for r in reviews))
                row = db.execute("SELECT id, state FROM card WHERE deck = ? AND card = ? AND variant = ?",
                                 (key.deck, key.card, key.variant)).fetchone()
                if row is not None and (row[1] != "new" or db.execute(
                        "SELECT 1 FROM review_log WHERE card_id = ? LIMIT 1", (row[0],)).fetchone()):
                    continue
                card_id = row[0] if row else self._card_id(db, key, stamp)
                for review in reviews:
                    self._check_source(review.source)
                db.executemany(self.INSERT_REVIEW, [self._review_values(card_id, replace(r, key=key))
                                                    for r in sorted(reviews, key=lambda r: r.reviewed_at)])
                self._put_state(db, card_id, final, stamp)
                imported += 1
        return imported
