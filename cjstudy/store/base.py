"""Transactions and the few statements every part of the store shares."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cjstudy.errors import StoreError
from cjstudy.model import CardKey, CardState, Review
from cjstudy.store import codec
from cjstudy.store.connection import guarded

SOURCES = ("study", "exam", "import")
STATE_COLUMNS = "state, step, stability, difficulty, due, last_review, reps, lapses"


class StoreBase:
    """A connection, its path and the write/read helpers; see `cjstudy.store.Store`."""

    def __init__(self, db: sqlite3.Connection, path: Path,
                 before_first_write: Callable[[], None] | None = None) -> None:
        self.db = db
        self.path = path
        self._before_first_write = before_first_write

    def _fire_first_write(self) -> None:
        hook, self._before_first_write = self._before_first_write, None
        if hook is not None:
            hook()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, committed on leaving; any failure rolls back and names the file."""
        self._fire_first_write()
        with guarded(self.path):
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                # Some errors (a full disk, an I/O error) make SQLite roll back by itself; a second
                # ROLLBACK would then fail and hide the real cause from the message.
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with guarded(self.path):
            return self.db.execute(sql, params).fetchall()

    @staticmethod
    def _deck_filter(decks: Iterable[str] | None, column: str = "c.deck") -> tuple[str, list[str]]:
        if decks is None:
            return "", []
        decks = list(decks)
        return f" AND {column} IN ({', '.join('?' * len(decks))})", decks

    @staticmethod
    def _card_id(db: sqlite3.Connection, key: CardKey, now_ms: int) -> int:
        """The card's row id, creating an off-deck row (position NULL) if it has none yet."""
        row = db.execute("SELECT id FROM card WHERE deck = ? AND card = ? AND variant = ?",
                         (key.deck, key.card, key.variant)).fetchone()
        if row:
            return row[0]
        return db.execute("INSERT INTO card (deck, card, variant, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                          (key.deck, key.card, key.variant, now_ms, now_ms)).lastrowid

    def _check_source(self, source: str) -> None:
        if source not in SOURCES:
            raise StoreError(f"{self.path}: unknown review source {source!r}")

    @staticmethod
    def _review_values(card_id: int, review: Review) -> tuple:
        return (card_id, codec.to_ms(review.reviewed_at), int(review.rating), review.duration_ms, review.source,
                review.before.state, review.after.state, codec.state_to_json(review.before),
                codec.state_to_json(review.after))

    INSERT_REVIEW = ("INSERT INTO review_log (card_id, reviewed_at, rating, duration_ms, source, state_before, "
                     "state_after, before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")

    def _insert_review(self, db: sqlite3.Connection, card_id: int, review: Review) -> int:
        self._check_source(review.source)
        return db.execute(self.INSERT_REVIEW, self._review_values(card_id, review)).lastrowid

    @staticmethod
    def _put_state(db: sqlite3.Connection, card_id: int, state: CardState, now_ms: int) -> None:
        """Set the card's memory state; a new state always ends any burial."""
        db.execute("UPDATE card SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, last_review = ?, "
                   "reps = ?, lapses = ?, buried_until = NULL, updated_at = ? WHERE id = ?",
                   (*codec.state_columns(state), now_ms, card_id))
