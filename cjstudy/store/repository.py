"""The `Store`: card states, the study queues, answering, undo, burying and settings.

Writes happen in short `BEGIN IMMEDIATE` transactions that are committed before the method
returns, so an answer is on disk before the next card is drawn. History is append-only:
`review_log` rows are never deleted; undo only marks a row and restores the state before it.
Review-log reading and imports live in `history.py` (the `HistoryQueries` base class).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from cjstudy.errors import StoreError
from cjstudy.model import CardKey, CardState, Review
from cjstudy.store import codec
from cjstudy.store.base import STATE_COLUMNS
from cjstudy.store.connection import BUSY_TIMEOUT_MS, connect, guarded, migrate, schema_version
from cjstudy.store.history import REVIEW_COLUMNS, HistoryQueries, review_from_row
from cjstudy.store.rows import deck_fingerprint


class Store(HistoryQueries):
    """The progress store at `path`. Use `Store.open(path)`; close it (or use `with`)."""

    @classmethod
    def open(cls, path: Path | str, *, now: datetime | None = None,
             before_first_write: Callable[[], None] | None = None,
             busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> "Store":
        """Open (creating folder and file if needed) and migrate to the newest schema.

        `before_first_write` runs once, just before this store's first write (a migration or
        an answer): the CLI hangs the daily backup on it. `now` only stamps migration rows.
        """
        path = Path(path)
        db = connect(path, busy_timeout_ms)
        store = cls(db, path, before_first_write)
        try:
            migrate(db, path, codec.to_ms(now) if now is not None else 0, store._fire_first_write)
        except BaseException:
            db.close()
            raise
        return store

    def close(self) -> None:
        """Fold the write-ahead log back into the file (cheaply, never waiting), then close."""
        try:
            self.db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error:
            pass  # busy or read-only: the next open (or the last connection) checkpoints
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        with guarded(self.path):
            return schema_version(self.db)

    # --- card state ----------------------------------------------------------------------

    def state(self, key: CardKey) -> CardState | None:
        """The card's state, or None if the store has never heard of it."""
        rows = self._query(f"SELECT {STATE_COLUMNS} FROM card WHERE deck = ? AND card = ? AND variant = ?",
                           (key.deck, key.card, key.variant))
        return codec.state_from_row(rows[0]) if rows else None

    def states(self, decks: Iterable[str] | None = None) -> dict[CardKey, CardState]:
        """Every studied card's state (of `decks` if given), including cards no longer in any deck."""
        where, params = self._deck_filter(decks, "deck")
        rows = self._query(f"SELECT deck, card, variant, {STATE_COLUMNS} FROM card WHERE state <> 'new'{where}",
                           params)
        return {CardKey(r[0], r[1], r[2]): codec.state_from_row(r[3:]) for r in rows}

    # --- queues --------------------------------------------------------------------------

    def sync_deck(self, deck: str, keys: Iterable[CardKey], now: datetime, fingerprint: str | None = None) -> bool:
        """Record which cards deck `deck` has now, in file order.

        Cheap when nothing changed (one fingerprint compare; with the deck's own `fingerprint`
        given, `keys` is not even read then). Otherwise one transaction writes only what
        differs: new cards get a row, moved cards their new position, cards no longer in the
        file position NULL (their history and state stay). Returns True if it wrote.
        """
        if fingerprint is None:
            keys = list(keys)
            fingerprint = deck_fingerprint(keys)
        stored = self._query("SELECT fingerprint FROM deck_sync WHERE deck = ?", (deck,))
        if stored and stored[0][0] == fingerprint:
            return False
        keys = list(keys)
        now_ms = codec.to_ms(now)
        with self._write() as db:
            existing = {(card, variant): (card_id, position) for card_id, card, variant, position in db.execute(
                "SELECT id, card, variant, position FROM card WHERE deck = ?", (deck,))}
            inserts, moves = [], []
            for index, key in enumerate(keys):
                found = existing.pop((key.card, key.variant), None)
                if found is None:
                    inserts.append((deck, key.card, key.variant, index, now_ms, now_ms))
                elif found[1] != index:
                    moves.append((index, found[0]))
            moves += [(None, card_id) for card_id, position in existing.values() if position is not None]
            db.executemany("INSERT INTO card (deck, card, variant, position, created_at, updated_at) "
                           "VALUES (?, ?, ?, ?, ?, ?)", inserts)
            db.executemany("UPDATE card SET position = ? WHERE id = ?", moves)
            db.execute("INSERT INTO deck_sync (deck, fingerprint, cards, synced_at) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT (deck) DO UPDATE SET fingerprint = excluded.fingerprint, "
                       "cards = excluded.cards, synced_at = excluded.synced_at",
                       (deck, fingerprint, len(keys), now_ms))
        return True

    # Due reviews rank by elapsed time over stability: FSRS retrievability falls as that ratio
    # grows, so "highest ratio first" is "lowest retrievability first" whatever the parameters,
    # and SQLite can sort it straight from the covering `card_due` index.
    _DUE_REVIEWS = ("FROM card INDEXED BY card_due WHERE due < :until AND state = 'review' "
                    "AND position IS NOT NULL AND (buried_until IS NULL OR buried_until <= :now)")
    _RATIO = "coalesce((:now - last_review) / stability, 1e300)"

    def count_due_reviews(self, now: datetime, until: datetime, decks: Iterable[str] | None = None) -> int:
        """How many review-state cards are due before `until` (in their deck, not buried)."""
        decks = None if decks is None else list(decks)
        if decks == []:
            return 0
        where, named = self._in_decks(decks)
        return self._query(f"SELECT count(*) {self._DUE_REVIEWS}{where}", dict(named, **self._times(now, until)))[0][0]

    def due_reviews(self, now: datetime, until: datetime, decks: Iterable[str] | None = None, *,
                    after: tuple[float, int] | None = None,
                    limit: int | None = None) -> list[tuple[CardKey, tuple[float, int]]]:
        """Due review cards, lowest retrievability at `now` first, each with its place in that order.

        For the next page pass the last place back as `after` (with the same `now`).
        """
        decks = None if decks is None else list(decks)
        if decks == []:
            return []
        where, named = self._in_decks(decks)
        named.update(self._times(now, until))
        if after is not None:
            where += f" AND ({self._RATIO} < :ratio OR ({self._RATIO} = :ratio AND id > :id))"
            named.update(ratio=after[0], id=after[1])
        if limit is not None:
            named["limit"] = limit
        rows = self._query(f"SELECT deck, card, variant, {self._RATIO} AS ratio, id {self._DUE_REVIEWS}{where} "
                           f"ORDER BY ratio DESC, id{' LIMIT :limit' if limit is not None else ''}", named)
        return [(CardKey(deck, card, variant), (ratio, card_id)) for deck, card, variant, ratio, card_id in rows]

    def due_learning(self, now: datetime, until: datetime,
                     decks: Iterable[str] | None = None) -> list[tuple[CardKey, datetime]]:
        """Learning and relearning cards whose next step is before `until`, soonest first."""
        decks = None if decks is None else list(decks)
        if decks == []:
            return []
        where, named = self._in_decks(decks)
        rows = self._query(
            "SELECT deck, card, variant, due FROM card INDEXED BY card_due WHERE due < :until "
            "AND state IN ('learning', 'relearning') AND position IS NOT NULL "
            f"AND (buried_until IS NULL OR buried_until <= :now){where} ORDER BY due",
            dict(named, **self._times(now, until)))
        return [(CardKey(deck, card, variant), codec.from_ms(due)) for deck, card, variant, due in rows]

    @staticmethod
    def _times(now: datetime, until: datetime) -> dict[str, int]:
        return {"now": codec.to_ms(now), "until": codec.to_ms(until)}

    @staticmethod
    def _in_decks(decks: Iterable[str] | None) -> tuple[str, dict[str, Any]]:
        """` AND deck IN (:d0, :d1, …)` and its parameters; nothing for all decks."""
        if decks is None:
            return "", {}
        named = {f"d{i}": deck for i, deck in enumerate(decks)}
        return f" AND deck IN ({', '.join(':' + name for name in named)})", named

    def new_cards(self, deck: str, now: datetime, page: int = 200) -> Iterator[tuple[str, str]]:
        """(card id, variant) of the deck's never-studied, unburied cards in file order, lazily.

        As of the last `sync_deck`; each page is a complete query (nothing is left open).
        """
        now_ms, after = codec.to_ms(now), -1
        while True:
            rows = self._query(
                "SELECT card, variant, position FROM card INDEXED BY card_new WHERE deck = ? AND state = 'new' "
                "AND position IS NOT NULL AND position > ? AND (buried_until IS NULL OR buried_until <= ?) "
                "ORDER BY position LIMIT ?", (deck, after, now_ms, page))
            for card, variant, _ in rows:
                yield card, variant
            if len(rows) < page:
                return
            after = rows[-1][2]

    def iter_due(self, after: datetime, decks: Iterable[str] | None = None,
                 page: int = 500) -> Iterator[tuple[CardKey, datetime]]:
        """Started cards still in their deck and due after `after`, soonest first, page by page.

        Lazy so a caller can stop at the first card it cares about.
        """
        wanted = None if decks is None else set(decks)
        last = (codec.to_ms(after), 2 ** 62)  # strictly after `after`
        while True:
            rows = self._query(
                "SELECT deck, card, variant, due, id FROM card WHERE (due > ? OR (due = ? AND id > ?)) "
                "AND state <> 'new' AND position IS NOT NULL ORDER BY due, id LIMIT ?",
                (last[0], last[0], last[1], page))
            for deck, card, variant, due, _ in rows:
                if wanted is None or deck in wanted:
                    yield CardKey(deck, card, variant), codec.from_ms(due)
            if len(rows) < page:
                return
            last = (rows[-1][3], rows[-1][4])

    def count_due_by_deck(self, now: datetime) -> dict[str, int]:
        """Started cards due at `now` per deck (in their deck, not buried): what `decks` shows."""
        now_ms = codec.to_ms(now)
        rows = self._query("SELECT deck, count(*) FROM card WHERE due IS NOT NULL AND due <= ? AND state <> 'new' "
                           "AND position IS NOT NULL AND (buried_until IS NULL OR buried_until <= ?) GROUP BY deck",
                           (now_ms, now_ms))
        return {deck: count for deck, count in rows}

    # --- answering -----------------------------------------------------------------------

    def record_review(self, review: Review) -> Review:
        """Append the log row and set the card's state to `review.after`, committed together.

        Returns the review as stored (with its id, times cut to milliseconds).
        """
        now_ms = codec.to_ms(review.reviewed_at)
        with self._write() as db:
            card_id = self._card_id(db, review.key, now_ms)
            review_id = self._insert_review(db, card_id, review)
            self._put_state(db, card_id, review.after, now_ms)
        return self._stored(review, review_id)

    def review_with(self, key: CardKey, compute: Callable[[CardState], Review]) -> Review:
        """Read the card's current state and record `compute(state)` in the same transaction.

        Two sessions answering the same card cannot overwrite each other: the second one
        starts from the first one's result. `compute` must be quick and pure.
        """
        with self._write() as db:
            row = db.execute(f"SELECT id, {STATE_COLUMNS} FROM card WHERE deck = ? AND card = ? AND variant = ?",
                             (key.deck, key.card, key.variant)).fetchone()
            before = codec.state_from_row(row[1:]) if row else CardState()
            review = compute(before)
            if review.key != key or review.before != before:
                raise ValueError("compute() must return a review of the given card from the given state")
            now_ms = codec.to_ms(review.reviewed_at)
            card_id = row[0] if row else self._card_id(db, key, now_ms)
            review_id = self._insert_review(db, card_id, review)
            self._put_state(db, card_id, review.after, now_ms)
        return self._stored(review, review_id)

    @staticmethod
    def _stored(review: Review, review_id: int) -> Review:
        return replace(review, id=review_id, reviewed_at=codec.from_ms(codec.to_ms(review.reviewed_at)),
                       before=codec.normalise(review.before), after=codec.normalise(review.after))

    def undo_review(self, review_id: int, now: datetime) -> Review:
        """Mark the review undone and put its card back in the state it had before it.

        Only the card's latest standing review can be undone (anything else would throw away
        a later answer); the row stays in the log for good, flagged with `undone_at`.
        """
        with self._write() as db:
            row = db.execute(f"SELECT {REVIEW_COLUMNS}, r.card_id, r.undone_at FROM review_log r "
                             "JOIN card c ON c.id = r.card_id WHERE r.id = ?", (review_id,)).fetchone()
            if row is None:
                raise StoreError(f"{self.path}: there is no review #{review_id} to undo")
            review, card_id, undone_at = review_from_row(row[:10]), row[10], row[11]
            if undone_at is not None:
                raise StoreError(f"{self.path}: review #{review_id} was already undone")
            if db.execute("SELECT 1 FROM review_log WHERE card_id = ? AND id > ? AND undone_at IS NULL",
                          (card_id, review_id)).fetchone():
                raise StoreError(f"{self.path}: {review.key.address} was answered again after review "
                                 f"#{review_id}; only its latest answer can be undone")
            now_ms = codec.to_ms(now)
            db.execute("UPDATE review_log SET undone_at = ? WHERE id = ?", (now_ms, review_id))
            self._put_state(db, card_id, review.before, now_ms)
        return review

    # --- burying -------------------------------------------------------------------------

    def bury(self, key: CardKey, until: datetime, now: datetime) -> None:
        """Hide the card until `until` (normally the start of the next study day)."""
        now_ms = codec.to_ms(now)
        with self._write() as db:
            card_id = self._card_id(db, key, now_ms)
            db.execute("UPDATE card SET buried_until = ?, updated_at = ? WHERE id = ?",
                       (codec.to_ms(until), now_ms, card_id))

    def bury_siblings(self, keys: Sequence[CardKey], until: datetime, now: datetime) -> list[CardKey]:
        """Bury those of `keys` that are new or in review and not buried now, in one transaction.

        For the siblings of an answered card (Anki's sibling burying): learning cards keep their
        steps. Returns the keys buried, so an undo can unbury exactly those.
        """
        now_ms, until_ms = codec.to_ms(now), codec.to_ms(until)
        buried = []
        with self._write() as db:
            for key in keys:
                changed = db.execute(
                    "UPDATE card SET buried_until = ?, updated_at = ? WHERE deck = ? AND card = ? AND variant = ? "
                    "AND state IN ('new', 'review') AND position IS NOT NULL "
                    "AND (buried_until IS NULL OR buried_until <= ?)",
                    (until_ms, now_ms, key.deck, key.card, key.variant, now_ms)).rowcount
                if changed:
                    buried.append(key)
        return buried

    def unbury(self, keys: Iterable[CardKey] | None = None) -> int:
        """Un-hide the given cards (all buried cards if None); returns how many were buried."""
        with self._write() as db:
            if keys is None:
                return db.execute("UPDATE card SET buried_until = NULL WHERE buried_until IS NOT NULL").rowcount
            return sum(db.execute("UPDATE card SET buried_until = NULL WHERE buried_until IS NOT NULL "
                                  "AND deck = ? AND card = ? AND variant = ?",
                                  (key.deck, key.card, key.variant)).rowcount for key in keys)

    def buried(self, now: datetime) -> dict[CardKey, datetime]:
        """Cards hidden at `now`, with the time they come back."""
        rows = self._query("SELECT deck, card, variant, buried_until FROM card WHERE buried_until > ?",
                           (codec.to_ms(now),))
        return {CardKey(r[0], r[1], r[2]): codec.from_ms(r[3]) for r in rows}

    # --- settings ------------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        rows = self._query("SELECT value FROM setting WHERE key = ?", (key,))
        if not rows:
            return default
        try:
            return json.loads(rows[0][0])
        except ValueError:
            raise StoreError(f"{self.path}: setting {key!r} is not valid JSON; set it again") from None

    def set_setting(self, key: str, value: Any, now: datetime | None = None) -> None:
        """Store any JSON-able value (retention, new cards per day, fitted parameters, exam date …)."""
        text = json.dumps(value)
        stamp = codec.to_ms(now) if now is not None else 0
        with self._write() as db:
            db.execute("INSERT INTO setting (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) "
                       "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at", (key, text, stamp))

    def delete_setting(self, key: str) -> bool:
        with self._write() as db:
            return db.execute("DELETE FROM setting WHERE key = ?", (key,)).rowcount > 0

    def settings(self) -> dict[str, Any]:
        return {key: json.loads(value) for key, value in self._query("SELECT key, value FROM setting ORDER BY key")}
